// Like, bookmark and the notification level change in place: the same forms post as JSON, the page updates
// and a live region says what happened. Whenever the answer is not the JSON expected (an error page), or says
// the member must log in again (401), the form is sent the ordinary way instead, and the member sees the full
// page's answer (the login page, which brings them back).

import { announce, prepareAnnouncer } from "./lib/announce.js";
import { csrfToken } from "./lib/http.js";

function send(form, submitter) {
  var body = new FormData(form);
  if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
  return fetch(form.action, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    body: body
  }).then(function (response) {
    var type = response.headers.get("Content-Type") || "";
    if (response.status === 401 || response.redirected || type.indexOf("application/json") === -1) { throw new Error("not json"); }
    return response.json().then(function (data) { return { ok: response.ok, data: data }; });
  });
}

// Sends the form in place; on an answer that is not JSON, submits it normally.
function submitInPlace(event, onDone) {
  var form = event.target;
  event.preventDefault();
  if (form.dataset.busy) { return; }
  form.dataset.busy = "1";
  send(form, event.submitter).then(function (result) {
    delete form.dataset.busy;
    if (!result.ok) { announce(result.data.message || ""); return; }
    onDone(form, result.data);
    if (result.data.message) { announce(result.data.message); }
  }).catch(function () {
    delete form.dataset.busy;
    form.submit();
  });
}

function liked(form, data) {
  var button = form.querySelector("button");
  var label = button.querySelector(".action-label") || button;
  var count = form.parentElement.querySelector(".like-count");
  button.setAttribute("aria-pressed", data.liked ? "true" : "false");
  label.textContent = data.liked ? form.dataset.labelOn : form.dataset.labelOff;
  if (count) {
    count.textContent = data.like_count_label;
    count.hidden = !data.like_count;
  }
}

function bookmarked(form, data) {
  var menu = form.closest("details[data-bookmark]");
  menu.querySelector("summary .action-label").textContent = data.bookmarked ? menu.dataset.labelOn : menu.dataset.labelOff;
  menu.querySelector("form.bookmark-remove").hidden = !data.bookmarked;
  menu.open = false;
  menu.querySelector("summary").focus();
}

function levelSaved() {}

// Which forms change in place, and what follows. Listening on the document also covers posts loaded later
// (the replies shown in place under a post).
var HANDLERS = [
  ["form[data-like]", liked],
  ["details[data-bookmark] form", bookmarked],
  ["form.level-form", levelSaved]
];

export function wirePostActions(root) {
  prepareAnnouncer();
  root.addEventListener("submit", function (event) {
    for (var i = 0; i < HANDLERS.length; i++) {
      if (event.target.matches(HANDLERS[i][0])) { submitInPlace(event, HANDLERS[i][1]); return; }
    }
  });
  // A new notification level is saved as soon as it is chosen; the Save button stays for those who prefer it.
  root.addEventListener("change", function (event) {
    var form = event.target.form;
    if (event.target.matches("form.level-form select") && form) { form.requestSubmit(); }
  });
  // An opened bookmark menu comes into view: opened just above the docked composer, it would be under it
  // (scrolling stops short of the composer and the sticky bars: the page's scroll padding).
  root.addEventListener("toggle", function (event) {
    if (event.target.matches("details[data-bookmark]") && event.target.open) {
      event.target.scrollIntoView({ block: "nearest" });
    }
  }, true);
  // Typing a custom reminder time chooses "Custom time", as picking a date means to.
  root.addEventListener("input", function (event) {
    if (!event.target.matches("input[type=datetime-local]")) { return; }
    var fieldset = event.target.closest("fieldset");
    var custom = fieldset && fieldset.querySelector("input[name=preset][value=custom]");
    if (custom && event.target.value) { custom.checked = true; }
  });
}
