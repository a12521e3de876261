// The reading position of a long topic: "12 of 40" follows the post at the top of the screen, and "Go to post"
// jumps in place when that post is on this page (otherwise the GET form loads the page that holds it).

function posts() {
  return Array.prototype.slice.call(document.querySelectorAll(".post-stream > article.post[id^='post-']"));
}

export function numberOf(article) {
  return parseInt(article.id.replace("post-", ""), 10);
}

// The post the reader is at: the first whose bottom is below the line where a jump puts a post's top (under
// the sticky bars, the page's scroll-padding-top, and a post's own scroll-margin-top). The post before a
// jumped-to one ends just above that line, so it is not counted for the sliver of it still in view.
export function currentPost() {
  var list = posts();
  if (!list.length) { return null; }
  var bars = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
  var margin = parseFloat(getComputedStyle(list[0]).scrollMarginTop) || 0;
  var line = bars + margin + 8;
  for (var i = 0; i < list.length; i++) {
    if (list[i].getBoundingClientRect().bottom > line) { return list[i]; }
  }
  return list[list.length - 1];
}

export function goToPost(article) {
  if (!article.hasAttribute("tabindex")) { article.setAttribute("tabindex", "-1"); }
  article.scrollIntoView({ block: "start" });
  article.focus({ preventScroll: true });
  history.replaceState(null, "", "#" + article.id);
  showPosition(numberOf(article));
}

var form = null;

function showPosition(number) {
  if (!form) { return; }
  form.querySelector(".position-now").textContent = form.dataset.template.replace("{n}", number);
  var input = form.querySelector("input[name=n]");
  if (document.activeElement !== input) { input.value = number; }
}

export function wireReadingPosition() {
  form = document.querySelector(".reading-position form.jump-form");
  if (!form) { return; }
  var scheduled = false;
  window.addEventListener("scroll", function () {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      // A post the reader jumped to (it has focus) is where they are while it is on screen, even near the
      // page's end where it cannot scroll to the top.
      var focused = document.activeElement;
      var box = focused && focused.matches("article.post") ? focused.getBoundingClientRect() : null;
      var article = box && box.bottom > 0 && box.top < window.innerHeight ? focused : currentPost();
      if (article) { showPosition(numberOf(article)); }
    });
  }, { passive: true });
  form.addEventListener("submit", function (event) {
    var wanted = parseInt(form.querySelector("input[name=n]").value, 10);
    var target = document.getElementById("post-" + wanted);
    if (!target || !target.closest(".post-stream")) { return; }
    event.preventDefault();
    goToPost(target);
  });
  var start = currentPost();
  if (start && window.scrollY > 0) { showPosition(numberOf(start)); }
}
