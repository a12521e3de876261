// On a phone the header sticks to the top and the reading position sticks just below it. The header's height
// is not fixed: large text or zoom make its row taller. Its real height is kept in --header-height, which the
// CSS uses for the bar's offset and the scroll padding; without this (no JavaScript, no ResizeObserver) the CSS
// falls back to the height of the header at normal text size.
export function shareHeaderHeight() {
  var header = document.querySelector(".site-header");
  if (!header || !("ResizeObserver" in window)) { return; }
  var root = document.documentElement;
  new ResizeObserver(function () {
    root.style.setProperty("--header-height", header.getBoundingClientRect().height + "px");
  }).observe(header);
}
