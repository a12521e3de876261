// The phone's menu button is a <details> disclosure and works without this. With it, Escape closes the open
// menu (focus back on its button), and so does a tap or a focus move outside it, as members expect of a menu.
export function wireSiteMenu(menu) {
  var button = menu.querySelector("summary");
  function close() { menu.open = false; }
  menu.addEventListener("keydown", function (event) {
    // The search box's suggestions take their Escape first (they prevent its default).
    if (event.key === "Escape" && menu.open && !event.defaultPrevented) {
      close();
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) { close(); }
  });
  document.addEventListener("focusin", function (event) {
    if (menu.open && !menu.contains(event.target)) { close(); }
  });
}
