// A newcomer's welcome: hiding it stays on the page (the form posts in the background), tells screen readers,
// and puts the focus on the page's heading instead of on a button that is gone. Without this, the form posts
// and the page comes back without the welcome.
import { csrfToken } from "./lib/http.js";

export function wireWelcome(form) {
  var welcome = form.closest("[data-welcome]");
  var status = document.querySelector("[data-welcome-status]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      welcome.remove();
      if (status) { status.textContent = status.dataset.dismissed; }
      var heading = document.querySelector("main h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }).catch(function () { form.submit(); });
  });
}
