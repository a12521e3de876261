import { debounce } from "./http.js";

// Suggestions offered in a list as you type in a text box, after the WAI-ARIA combobox pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): focus stays in the box while the arrow keys move
// through the options (aria-activedescendant), Enter takes one, and Escape closes the list. Escape is
// consumed only when a list was open: otherwise it belongs to what holds the box (the phone's menu closes,
// the docked composer minimises). A look-up still on its way is dropped on Escape or blur, so that a list
// the member dismissed does not turn up a moment later.
//
// settings:
//   id, className, label  the list's; it and its status go into `container`
//   url, query()          GET url?q=<query()> as JSON; query() is the text to look up now, or null for none
//   entries(data)         what to offer: {group: "heading"} or {label, detail, avatar, icon, choose()}, where
//                         avatar is a member's (users/avatars.py: for_script) and icon a name in icons.svg
//   autoSelect            the first option is chosen at once, and Tab takes it as Enter does (names)
//   matchesText           read out when options are shown ("{n}" is their number)
//   place(menu)           for a list positioned by script: called whenever it opens, scrolls or resizes

var AVATAR_SIZE = 24;  // users/avatars.py: SUGGESTION_SIZE
var SPRITE = new URL("../../img/icons.svg", import.meta.url).pathname;

function avatar(picture) {
  var element;
  if (picture.url) {
    element = document.createElement("img");
    element.src = picture.url;
    element.width = element.height = AVATAR_SIZE;
    element.alt = "";  // decoration: the name is beside it
    element.decoding = "async";
    element.className = "avatar avatar-" + AVATAR_SIZE;
  } else {
    element = document.createElement("span");
    element.className = "avatar avatar-" + AVATAR_SIZE + " avatar-c" + picture.colour;
    element.setAttribute("aria-hidden", "true");
    element.textContent = picture.initials;
  }
  return element;
}

function icon(name) {
  var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  use.setAttribute("href", SPRITE + "#" + name);
  svg.appendChild(use);
  return svg;
}

function heading(text) {
  var li = document.createElement("li");
  li.setAttribute("role", "presentation");
  li.className = "listbox-group";
  li.textContent = text;
  return li;
}

export function wireListbox(field, settings) {
  var menu = document.createElement("ul");
  var status = document.createElement("span");
  var isInput = field.tagName === "INPUT";  // a text area keeps its own role; the list is still announced
  menu.className = settings.className;
  menu.id = settings.id;
  menu.setAttribute("role", "listbox");
  menu.setAttribute("aria-label", settings.label);
  menu.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  settings.container.appendChild(menu);
  settings.container.appendChild(status);
  if (isInput) {
    field.setAttribute("role", "combobox");
    field.setAttribute("aria-expanded", "false");
  }
  field.setAttribute("aria-autocomplete", "list");
  field.setAttribute("aria-controls", menu.id);
  var options = [];
  var active = -1;
  var asked = 0;  // look-ups started: an answer to any but the latest is dropped

  function close() {
    menu.hidden = true; options = []; active = -1;
    field.removeAttribute("aria-activedescendant");
    if (isInput) { field.setAttribute("aria-expanded", "false"); }
  }
  function dismiss() {
    lookup.cancel();
    asked += 1;
    close();
  }
  function highlight(index) {
    active = index;
    options.forEach(function (item, i) { item.li.setAttribute("aria-selected", String(i === index)); });
    field.setAttribute("aria-activedescendant", options[index].li.id);
    options[index].li.scrollIntoView({ block: "nearest" });
  }
  function choose(index) {
    var entry = options[index].entry;
    dismiss();
    entry.choose();
  }
  function option(entry) {
    var index = options.length;
    var li = document.createElement("li");
    var text = document.createElement("span");
    li.id = menu.id + "-" + index;
    li.setAttribute("role", "option");
    li.className = "listbox-option";
    if (entry.avatar) { li.appendChild(avatar(entry.avatar)); }
    else if (entry.icon) { li.appendChild(icon(entry.icon)); }
    text.className = "listbox-option-text";
    text.textContent = entry.label;
    if (entry.detail) {
      var small = document.createElement("span");
      small.className = "muted";
      small.textContent = " — " + entry.detail;
      text.appendChild(small);
    }
    li.appendChild(text);
    // On mousedown, before the box loses focus (which would close the list).
    li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
    options.push({ li: li, entry: entry });
    return li;
  }
  function show(entries) {
    options = []; active = -1;
    menu.replaceChildren.apply(menu, entries.map(function (entry) { return entry.group ? heading(entry.group) : option(entry); }));
    status.textContent = options.length && settings.matchesText ? settings.matchesText.replace("{n}", options.length) : "";
    if (!options.length) { return close(); }
    menu.hidden = false;
    if (isInput) { field.setAttribute("aria-expanded", "true"); }
    if (settings.autoSelect) { highlight(0); }
    if (settings.place) { settings.place(menu); }
  }
  var lookup = debounce(function () {
    var text = settings.query();
    if (text === null) { return close(); }
    var ticket = ++asked;
    fetch(settings.url + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (ticket !== asked || settings.query() !== text) { return; }
        show(data ? settings.entries(data) : []);
      });
  }, 200);

  field.addEventListener("input", lookup);
  field.addEventListener("blur", dismiss);
  field.addEventListener("keydown", function (event) {
    var open = !menu.hidden;
    if (event.key === "Escape") {
      dismiss();
      if (open) { event.preventDefault(); }
      return;
    }
    if (!open) { return; }
    var last = options.length - 1;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active >= last ? 0 : active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active <= 0 ? last : active - 1); }
    else if ((event.key === "Enter" || (event.key === "Tab" && settings.autoSelect)) && active >= 0) {
      event.preventDefault();
      choose(active);
    }
  });
  if (settings.place) {
    window.addEventListener("scroll", function () { if (!menu.hidden) { settings.place(menu); } }, { passive: true });
    window.addEventListener("resize", function () { if (!menu.hidden) { settings.place(menu); } });
  }
}
