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

// `fn` once calls have paused for `ms`; `.cancel()` forgets a call still waiting.
export function debounce(fn, ms) {
  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(fn, ms); }
  later.cancel = function () { clearTimeout(timer); };
  return later;
}
