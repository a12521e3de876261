import { debounce } from "./lib/http.js";

// Name completion shared by @mentions in the text and the recipients of a private message: a listbox of
// members and groups, driven by the keyboard (arrows, Enter or Tab, Escape) or the pointer.
// `options.wordAt(field)` gives {start, word} for the name being typed at the caret, or null;
// `options.atCaret` places the list under the caret (in a text box) rather than under the field.

var MIRRORED = ["boxSizing", "width", "height", "overflowX", "overflowY", "borderTopWidth", "borderRightWidth",
  "borderBottomWidth", "borderLeftWidth", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
  "fontStyle", "fontVariant", "fontWeight", "fontStretch", "fontSize", "lineHeight", "fontFamily",
  "textAlign", "textTransform", "textIndent", "letterSpacing", "wordSpacing", "tabSize"];

// Where the caret is drawn in a textarea, relative to the textarea's box: a hidden copy of the text box with
// the text up to the caret, and a marker where the caret falls.
export function caretOffset(area, index) {
  var style = window.getComputedStyle(area);
  var mirror = document.createElement("div");
  MIRRORED.forEach(function (name) { mirror.style[name] = style[name]; });
  mirror.style.position = "absolute";
  mirror.style.visibility = "hidden";
  mirror.style.whiteSpace = "pre-wrap";
  mirror.style.overflowWrap = "break-word";
  mirror.style.top = "0";
  mirror.style.left = "0";
  mirror.textContent = area.value.slice(0, index);
  var marker = document.createElement("span");
  marker.textContent = area.value.slice(index) || ".";
  mirror.appendChild(marker);
  document.body.appendChild(mirror);
  var lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
  var offset = {
    top: marker.offsetTop - area.scrollTop,
    left: marker.offsetLeft - area.scrollLeft,
    height: lineHeight
  };
  mirror.remove();
  return offset;
}

export function wireCompletion(field, options) {
  var menu = document.createElement("ul");
  var status = document.createElement("span");
  menu.className = "completion-menu";
  menu.id = field.id + "-completion";
  menu.setAttribute("role", "listbox");
  menu.setAttribute("aria-label", options.label || field.getAttribute("aria-label") || "");
  menu.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  field.parentNode.appendChild(menu);
  field.parentNode.appendChild(status);
  if (field.tagName === "INPUT") {
    field.setAttribute("role", "combobox");
    field.setAttribute("aria-expanded", "false");
  }
  field.setAttribute("aria-autocomplete", "list");
  field.setAttribute("aria-controls", menu.id);
  var active = -1;
  var items = [];

  function close() {
    menu.hidden = true; items = []; active = -1;
    field.removeAttribute("aria-activedescendant");
    if (field.tagName === "INPUT") { field.setAttribute("aria-expanded", "false"); }
  }
  function highlight(index) {
    active = index;
    Array.prototype.forEach.call(menu.children, function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
    if (index >= 0) {
      field.setAttribute("aria-activedescendant", menu.children[index].id);
      menu.children[index].scrollIntoView({ block: "nearest" });
    }
  }
  function choose(index) {
    var at = options.wordAt(field);
    if (at === null || !items[index]) { return close(); }
    var insert = items[index].name + options.after;
    var end = field.selectionStart;
    field.value = field.value.slice(0, at.start) + insert + field.value.slice(end);
    field.setSelectionRange(at.start + insert.length, at.start + insert.length);
    close();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  // Fixed to the window, so that no scrolling box (the docked composer) clips it; above the caret when
  // there is no room below.
  function place() {
    var box = field.getBoundingClientRect();
    var top, left;
    if (options.atCaret) {
      var caret = caretOffset(field, field.selectionStart);
      top = box.top + caret.top + caret.height;
      left = box.left + caret.left;
    } else {
      top = box.bottom;
      left = box.left;
    }
    menu.style.maxWidth = Math.min(box.width, window.innerWidth - 16) + "px";
    var width = menu.offsetWidth;
    var height = menu.offsetHeight;
    left = Math.max(8, Math.min(left, window.innerWidth - width - 8));
    if (top + height > window.innerHeight - 8) {
      var lineTop = options.atCaret ? top - caretOffset(field, field.selectionStart).height : box.top;
      top = Math.max(8, lineTop - height);
    }
    menu.style.top = top + "px";
    menu.style.left = left + "px";
  }
  function option(i, name, label, detail) {
    var li = document.createElement("li");
    li.id = menu.id + "-" + i;
    li.setAttribute("role", "option");
    li.textContent = label;
    if (detail) {
      var small = document.createElement("span");
      small.className = "muted";
      small.textContent = " — " + detail;
      li.appendChild(small);
    }
    li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
    return li;
  }
  var lookup = debounce(function () {
    var at = options.wordAt(field);
    if (!at) { return close(); }
    var word = at.word;
    fetch(options.url + "?q=" + encodeURIComponent(word), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { members: [], groups: [] }; })
      .then(function (data) {
        var now = options.wordAt(field);
        if (!now || now.word !== word) { return; }
        items = (data.members || []).map(function (m) { return { name: m.username, label: "@" + m.username, detail: m.display_name }; })
          .concat((data.groups || []).map(function (g) { return { name: g.slug, label: "@" + g.slug, detail: g.name + " (" + options.groupText + ")" }; }));
        menu.replaceChildren.apply(menu, items.map(function (item, i) { return option(i, item.name, item.label, item.detail); }));
        if (!items.length) { status.textContent = ""; return close(); }
        menu.hidden = false;
        if (field.tagName === "INPUT") { field.setAttribute("aria-expanded", "true"); }
        highlight(0);
        place();
        if (options.matchesText) { status.textContent = options.matchesText.replace("{n}", items.length); }
      });
  }, 200);
  field.addEventListener("input", lookup);
  field.addEventListener("blur", close);
  window.addEventListener("scroll", function () { if (!menu.hidden) { place(); } }, { passive: true });
  window.addEventListener("resize", function () { if (!menu.hidden) { place(); } });
  field.addEventListener("keydown", function (event) {
    if (menu.hidden) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
}
