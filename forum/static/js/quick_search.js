import { debounce } from "./lib/http.js";

// Top matches as you type in the header's search box: a combobox whose options are links to topics and
// members. Enter on an option opens it; otherwise the form submits to the full results page.
export function wireQuickSearch(form) {
  var input = form.querySelector("input[type=search]");
  var menu = document.createElement("ul");
  var status = document.createElement("p");
  menu.className = "quick-search";
  menu.id = "quick-search-list";
  menu.setAttribute("role", "listbox");
  menu.setAttribute("aria-label", form.getAttribute("aria-label") || input.placeholder);
  menu.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(menu);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", menu.id);
  input.setAttribute("aria-expanded", "false");
  var options = [];
  var active = -1;

  function close() {
    menu.hidden = true; options = []; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function highlight(index) {
    active = index;
    options.forEach(function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
    if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].id); }
  }
  function option(text, detail, url) {
    var li = document.createElement("li");
    li.id = menu.id + "-" + options.length;
    li.setAttribute("role", "option");
    li.dataset.url = url;
    li.textContent = text;
    if (detail) {
      var small = document.createElement("span");
      small.className = "muted";
      small.textContent = " — " + detail;
      li.appendChild(small);
    }
    li.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.assign(url); });
    options.push(li);
    return li;
  }
  function group(label) {
    var li = document.createElement("li");
    li.setAttribute("role", "presentation");
    li.className = "quick-search-group";
    li.textContent = label;
    return li;
  }
  var lookup = debounce(function () {
    var text = input.value.trim();
    if (text.length < 2) { return close(); }
    fetch(form.dataset.quickSearch + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { topics: [], members: [] }; })
      .then(function (data) {
        if (input.value.trim() !== text) { return; }
        options = []; active = -1;
        menu.replaceChildren();
        if (data.topics.length) {
          menu.appendChild(group(menu.dataset.topicsLabel || "Topics"));
          data.topics.forEach(function (t) { menu.appendChild(option(t.title, t.category, t.url)); });
        }
        if (data.members.length) {
          menu.appendChild(group(menu.dataset.membersLabel || "Members"));
          data.members.forEach(function (m) { menu.appendChild(option(m.display_name, "@" + m.username + (m.organisation ? ", " + m.organisation : ""), m.url)); });
        }
        status.textContent = options.length ? form.dataset.matchesLabel.replace("{n}", options.length) : "";
        if (!options.length) { return close(); }
        menu.hidden = false;
        input.setAttribute("aria-expanded", "true");
      });
  }, 200);
  menu.dataset.topicsLabel = form.dataset.topicsLabel;
  menu.dataset.membersLabel = form.dataset.membersLabel;
  input.addEventListener("input", lookup);
  input.addEventListener("blur", close);
  input.addEventListener("keydown", function (event) {
    if (menu.hidden) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); window.location.assign(options[active].dataset.url); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
}
