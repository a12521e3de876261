// Reading a topic: reply and quote in place, replies loaded on demand, read tracking.

import { dockOf, setDockOpen } from "./composer_dock.js";
import { csrfToken } from "./lib/http.js";

// "N replies": load the replies into the post the first time the disclosure opens.
function expandReplies(details) {
  details.addEventListener("toggle", function () {
    if (!details.open || details.dataset.loaded) { return; }
    details.dataset.loaded = "1";
    var body = details.querySelector(".replies-body");
    fetch(details.dataset.src, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        body.replaceChildren.apply(body, Array.prototype.slice.call(doc.body.childNodes));
        wire(body);
      })
      .catch(function () { details.dataset.loaded = ""; });
  });
}

// The topic page's own composer form: the section also holds other forms (a restored draft's Discard).
function composerForm() {
  return document.querySelector("section.composer form[data-composer]");
}

export function composer() {
  var form = composerForm();
  return form && form.querySelector("textarea[name=raw]");
}

export function setReplyTo(number, name) {
  var form = composerForm();
  if (!form) { return false; }
  var replyTo = form.querySelector("input[name=reply_to]");
  if (replyTo.value !== String(number || "")) {
    replyTo.value = number || "";
    // The composer keeps the post it answers with the draft, as it keeps the text.
    replyTo.dispatchEvent(new Event("change", { bubbles: true }));
  }
  var note = form.querySelector(".replying-to");
  if (number) {
    note.querySelector(".replying-to-text").textContent =
      note.dataset.template.replace("{who}", "@" + name + " #" + number);
    note.hidden = false;
  } else {
    note.hidden = true;
  }
  return true;
}

// Opens the docked composer if it is minimised, and puts the caret at the end of its text.
export function focusComposer() {
  var area = composer();
  if (!area) { return; }
  setDockOpen(dockOf(area), true);
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}

// The text selected inside `body`, if the member selected some there.
function selectionIn(body) {
  var selection = window.getSelection ? window.getSelection() : null;
  if (!selection || !String(selection).trim() || !body.contains(selection.anchorNode)) { return ""; }
  return String(selection).trim();
}

// The quote links to the post's own address (/p/<id>), as the server's quotes do: it survives a move or retitle.
function quoteOfSelection(post, body, text) {
  var quoted = text.split("\n").map(function (l) { return l ? "> " + l : ">"; }).join("\n");
  var link = post.querySelector("a[data-quote-url]");
  var source = link ? link.dataset.quoteUrl.replace(/\/quote$/, "") : post.querySelector("a.post-number").getAttribute("href");
  return "> [@" + body.dataset.author + " #" + body.dataset.postNumber + "](" + source + "):\n>\n" + quoted + "\n\n";
}

// Setting the value fires no input event: one is sent, so that the composer keeps the text as a draft (and
// warns before leaving it unsaved) as it does for typing.
function addQuote(area, body, markdown) {
  area.value += (area.value && !/\n\n$/.test(area.value) ? "\n\n" : "") + markdown;
  area.dispatchEvent(new Event("input", { bubbles: true }));
  setReplyTo(body.dataset.postNumber, body.dataset.author);
  focusComposer();
}

// Quote, where the page has a composer: a selection inside the post is quoted as it is, otherwise the whole
// post is fetched from the server (the same quote as the reply page's); if that fails, the link's reply page.
function quote(link, event) {
  var area = composer();
  var post = link.closest("article");
  var body = post && post.querySelector(".post-body");
  if (!area || !body) { return; }
  event.preventDefault();
  var selected = selectionIn(body);
  if (selected) { addQuote(area, body, quoteOfSelection(post, body, selected)); return; }
  fetch(link.dataset.quoteUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) { addQuote(area, body, data.quote); })
    .catch(function () { window.location.assign(link.href); });
}

// Reply and Quote work in place when the topic page has a composer; otherwise the links lead to one.
function wireActions(root) {
  root.querySelectorAll("a[data-reply-to]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!setReplyTo(link.dataset.replyTo, link.dataset.replyName)) { return; }
      event.preventDefault();
      focusComposer();
    });
  });
  root.querySelectorAll("a[data-quote]").forEach(function (link) {
    link.addEventListener("click", function (event) { quote(link, event); });
  });
  root.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  root.querySelectorAll("details.replies[data-src]").forEach(expandReplies);
}

export function wire(root) { wireActions(root); }

// Read tracking: report the highest post number that has been on screen, a moment after scrolling stops.
export function trackReading() {
  var stream = document.querySelector(".post-stream[data-read-url]");
  if (!stream || !("IntersectionObserver" in window)) { return; }
  var sent = parseInt(stream.dataset.lastRead, 10) || 0;
  var seen = sent;
  var timer = null;
  function send() {
    timer = null;
    if (seen <= sent) { return; }
    var number = seen;
    fetch(stream.dataset.readUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ post_number: number })
    }).then(function (r) { if (r.ok) { sent = Math.max(sent, number); } });
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) { return; }
      var number = parseInt(entry.target.id.replace("post-", ""), 10);
      if (number > seen) { seen = number; }
      observer.unobserve(entry.target);
    });
    if (seen > sent && !timer) { timer = setTimeout(send, 1500); }
  }, { threshold: 0.5 });
  stream.querySelectorAll("article.post[id^='post-']").forEach(function (post) { observer.observe(post); });
}
