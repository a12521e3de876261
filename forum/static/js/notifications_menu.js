// The header's Notifications and Messages open as dropdowns, loaded fresh each time one opens. Without
// JavaScript (or with a modifier key, to open a new tab) they stay links to the full pages.

var menus = [];

function setContent(panel, node) {
  panel.replaceChildren(node);
}

function message(text) {
  var p = document.createElement("p");
  p.className = "menu-status";
  p.setAttribute("role", "status");
  p.textContent = text;
  return p;
}

function load(menu) {
  var panel = menu.panel;
  // The first time, say it is loading; later, the last list stays until the fresh one replaces it.
  if (!panel.firstElementChild) { setContent(panel, message(panel.dataset.loading)); }
  fetch(menu.link.dataset.menu, { credentials: "same-origin", headers: { "Accept": "text/html" } })
    .then(function (r) { if (!r.ok || r.redirected) { throw new Error(r.status); } return r.text(); })
    .then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var body = doc.querySelector(".menu-body");
      if (!body) { throw new Error("no menu"); }
      setContent(panel, document.adoptNode(body));
    })
    .catch(function () { setContent(panel, message(panel.dataset.failed)); });
}

function close(menu, returnFocus) {
  if (menu.panel.hidden) { return; }
  menu.panel.hidden = true;
  menu.link.setAttribute("aria-expanded", "false");
  if (returnFocus) { menu.link.focus(); }
}

function open(menu) {
  menus.forEach(function (other) { if (other !== menu) { close(other, false); } });
  menu.panel.hidden = false;
  menu.link.setAttribute("aria-expanded", "true");
  // On a narrow screen the panel spans it (fixed): it opens just below the header's link and ends above the
  // bottom of the window, scrolling within, so that its foot can always be reached.
  if (window.getComputedStyle(menu.panel).position === "fixed") {
    var top = Math.round(menu.link.getBoundingClientRect().bottom + 6);
    menu.panel.style.top = top + "px";
    menu.panel.style.maxHeight = Math.max(window.innerHeight - top - 8, 160) + "px";
  }
  load(menu);
}

function toggle(menu) {
  if (menu.panel.hidden) { open(menu); } else { close(menu, false); }
}

function wireMenu(link) {
  var panel = link.parentElement.querySelector(".menu-panel");
  if (!panel) { return; }
  var menu = { link: link, panel: panel };
  menus.push(menu);
  link.setAttribute("role", "button");
  link.setAttribute("aria-expanded", "false");
  link.setAttribute("aria-controls", panel.id);
  link.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    toggle(menu);
  });
  // A role=button answers the space bar as a real button does (Enter already follows the click path).
  link.addEventListener("keydown", function (event) {
    if (event.key === " ") { event.preventDefault(); toggle(menu); }
  });
  link.parentElement.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { event.preventDefault(); close(menu, true); }
  });
}

export function wireHeaderMenus(root) {
  root.querySelectorAll("a.menu-toggle[data-menu]").forEach(wireMenu);
  if (!menus.length) { return; }
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (!menu.link.parentElement.contains(event.target)) { close(menu, false); }
    });
  });
  // Moving focus out of a menu (Tab past its end) closes it, as a click elsewhere does.
  document.addEventListener("focusin", function (event) {
    menus.forEach(function (menu) {
      if (!menu.link.parentElement.contains(event.target)) { close(menu, false); }
    });
  });
}
