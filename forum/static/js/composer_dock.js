// The topic page's composer, docked at the foot of the window (as in Discourse): it stays while the member
// scrolls and reads, minimises to its title bar (the button, or Escape), and the page is padded by its
// height so that it never covers the last post. Without JavaScript it is a form at the end of the page.

export function dockOf(element) {
  return element ? element.closest("section.composer[data-dock]") : null;
}

export function setDockOpen(section, open) {
  if (!section || !section.classList.contains("docked")) { return; }
  var toggle = section.querySelector(".dock-toggle");
  section.classList.toggle("minimised", !open);
  section.querySelector(".composer-panel").hidden = !open;
  toggle.setAttribute("aria-expanded", String(open));
  toggle.querySelector(".dock-toggle-text").textContent = open ? section.dataset.minimiseText : section.dataset.expandText;
  toggle.title = toggle.querySelector(".dock-toggle-text").textContent;
}

export function wireDock(section) {
  var toggle = section.querySelector(".dock-toggle");
  var area = section.querySelector("form[data-composer] textarea[name=raw]");
  var bar = section.querySelector(".composer-bar");
  section.classList.add("docked");
  toggle.hidden = false;

  // The page ends above the dock, and whatever is scrolled into view or focused stops above it too
  // (WCAG 2.2 2.4.11: a focused control is never hidden under the composer).
  function pad() {
    document.body.style.paddingBottom = section.offsetHeight + "px";
    document.documentElement.style.scrollPaddingBottom = section.offsetHeight + "px";
  }
  if ("ResizeObserver" in window) { new ResizeObserver(pad).observe(section); }
  window.addEventListener("resize", pad);

  function open(value) {
    setDockOpen(section, value);
    pad();
  }
  toggle.addEventListener("click", function () {
    var opening = section.classList.contains("minimised");
    open(opening);
    if (opening) { area.focus(); }
  });
  // The title bar opens a minimised composer too (a larger target than the button).
  bar.addEventListener("click", function (event) {
    if (event.target.closest("button") || !section.classList.contains("minimised")) { return; }
    open(true);
    area.focus();
  });
  section.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented || section.classList.contains("minimised")) { return; }
    event.preventDefault();
    open(false);
    toggle.focus();
  });
  // It starts as its title bar, as Discourse's opens only on Reply, so that reading gets the whole window;
  // text waiting in it (a draft, a refused post) or a link to it (#composer) opens it.
  var waiting = area.value.trim() || section.querySelector(".error, [data-draft-notice]");
  setDockOpen(section, Boolean(waiting) || window.location.hash === "#" + section.id);
  pad();
}
