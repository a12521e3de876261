// One polite live region for the page: changes made in place (a like, a bookmark) are read out by screen readers.

var region = null;

export function announce(text) {
  if (!region) {
    region = document.createElement("div");
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.id = "live-announcer";
    document.body.appendChild(region);
  }
  // Cleared first, so that the same words twice in a row are announced twice.
  region.textContent = "";
  window.setTimeout(function () { region.textContent = text; }, 50);
}

// The region exists from page load: some screen readers ignore a region created at the moment it changes.
export function prepareAnnouncer() {
  if (!region) { announce(""); }
}
