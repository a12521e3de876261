import { debounce } from "./lib/http.js";

// @mention completion: a listbox under the text box, driven by the keyboard or the pointer.
export function wireMentions(area, searchUrl) {
  var menu = document.createElement("ul");
  menu.className = "mention-menu";
  menu.id = area.id + "-mentions";
  menu.setAttribute("role", "listbox");
  menu.hidden = true;
  area.parentNode.appendChild(menu);
  area.setAttribute("aria-autocomplete", "list");
  area.setAttribute("aria-controls", menu.id);
  var active = -1;
  var items = [];

  function close() {
    menu.hidden = true; items = []; active = -1;
    area.removeAttribute("aria-activedescendant");
  }
  function highlight(index) {
    active = index;
    Array.prototype.forEach.call(menu.children, function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
    if (index >= 0) { area.setAttribute("aria-activedescendant", menu.children[index].id); }
  }
  function currentWord() {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|[\s(])@([A-Za-z0-9][A-Za-z0-9_.-]{0,39})$/.exec(before);
    return match ? match[2] : null;
  }
  function choose(index) {
    var word = currentWord();
    if (word === null || !items[index]) { return close(); }
    var start = area.selectionStart - word.length;
    var insert = items[index].username + " ";
    area.value = area.value.slice(0, start) + insert + area.value.slice(area.selectionStart);
    area.setSelectionRange(start + insert.length, start + insert.length);
    close();
    area.dispatchEvent(new Event("input"));
  }
  var lookup = debounce(function () {
    var word = currentWord();
    if (!word) { return close(); }
    fetch(searchUrl + "?q=" + encodeURIComponent(word), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { members: [] }; })
      .then(function (data) {
        items = data.members || [];
        menu.replaceChildren();
        items.forEach(function (member, i) {
          var li = document.createElement("li");
          li.id = menu.id + "-" + i;
          li.setAttribute("role", "option");
          li.textContent = "@" + member.username + " — " + member.display_name;
          li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
          menu.appendChild(li);
        });
        if (!items.length) { return close(); }
        menu.hidden = false;
        highlight(0);
      });
  }, 200);
  area.addEventListener("input", lookup);
  area.addEventListener("blur", close);
  area.addEventListener("keydown", function (event) {
    if (menu.hidden) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
}
