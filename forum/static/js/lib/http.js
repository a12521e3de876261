// Small helpers shared by the page scripts: the CSRF token, JSON requests, debouncing.

export function csrfToken() {
  var meta = document.querySelector("meta[name=csrf-token]");
  return meta ? meta.content : "";
}

export function postJSON(url, method, body) {
  return fetch(url, {
    method: method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
}

export function debounce(fn, ms) {
  var timer = null;
  return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
}
