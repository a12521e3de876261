// Keyboard shortcuts on a topic, as in Discourse: j / k next and previous post, r reply, l like, ? the list.
// They never act while the member types in a field, nor with Ctrl, Alt or Meta held (the browser's own keys).

import { currentPost, goToPost } from "./reading_position.js";
import { focusComposer, setReplyTo } from "./topic.js";

var selected = null;

function stream() {
  return Array.prototype.slice.call(document.querySelectorAll(".post-stream > article.post[id^='post-']"));
}

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']") !== null;
}

function select(article) {
  if (selected) { selected.classList.remove("is-selected"); }
  selected = article;
  article.classList.add("is-selected");
  goToPost(article);
}

// The post a shortcut acts on: the one chosen with j / k if still on screen, else the one being read.
function target() {
  if (selected && document.contains(selected)) {
    var box = selected.getBoundingClientRect();
    if (box.bottom > 0 && box.top < window.innerHeight) { return selected; }
  }
  return currentPost();
}

function move(step) {
  var list = stream();
  if (!list.length) { return; }
  var from = selected && document.contains(selected) ? selected : null;
  var index = from ? list.indexOf(from) + step : list.indexOf(currentPost());
  if (from === null && step < 0) { index -= 1; }
  if (index >= list.length) {
    var next = document.querySelector("a[rel=next]");
    if (next) { window.location.href = next.href; }
    return;
  }
  if (index < 0) {
    var previous = document.querySelector("a[rel=prev]");
    if (previous) { window.location.href = previous.href; }
    return;
  }
  select(list[index]);
}

function reply() {
  var article = selected && document.contains(selected) ? selected : null;
  var link = article && article.querySelector("a[data-reply-to]");
  if (link) {
    // Replies in place where the page has a composer; otherwise the link opens the reply page.
    if (setReplyTo(link.dataset.replyTo, link.dataset.replyName)) { focusComposer(); } else { link.click(); }
    return;
  }
  if (setReplyTo(null)) { focusComposer(); }
}

function like() {
  var article = target();
  var button = article && article.querySelector("form[data-like] button");
  if (button) { button.click(); }
}

function openList(dialog) {
  if (!dialog.open) { dialog.showModal(); }
}

export function wireShortcuts() {
  var dialog = document.getElementById("shortcuts-dialog");
  if (!dialog || !document.querySelector(".post-stream")) { return; }
  var hint = document.querySelector(".shortcuts-hint");
  if (hint) {
    hint.hidden = false;
    hint.querySelector("button").addEventListener("click", function () { openList(dialog); });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) { return; }
    if (typing(event.target) || dialog.open) { return; }
    var actions = {
      "j": function () { move(1); },
      "k": function () { move(-1); },
      "r": reply,
      "l": like,
      "?": function () { openList(dialog); }
    };
    var action = actions[event.key];
    if (!action) { return; }
    event.preventDefault();
    action();
  });
}
