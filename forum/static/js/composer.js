import { debounce, postJSON } from "./lib/http.js";
import { wireMentions } from "./mentions.js";
import { wireUploads } from "./uploads.js";

// The composer: drafts saved on the server as the member types, a live preview, and a warning
// before leaving with text that is not saved anywhere.
export function wireComposer(form) {
  var area = form.querySelector("textarea[name=raw]");
  if (!area) { return; }
  var title = form.querySelector("input[name=title]");
  var replyTo = form.querySelector("input[name=reply_to]");
  var tools = form.querySelector(".composer-tools");
  var status = form.querySelector(".draft-status");
  var preview = form.querySelector(".preview");
  var toggle = form.querySelector(".preview-toggle");
  var unsaved = false;
  var submitting = false;
  if (tools) { tools.hidden = false; }
  if (form.dataset.mentionUrl) { wireMentions(area, form.dataset.mentionUrl); }
  if (form.dataset.uploadUrl) { wireUploads(form, area, status); }

  var saveDraft = debounce(function () {
    if (!form.dataset.draftUrl) { return; }
    var body = { raw: area.value, title: title ? title.value : null,
                 reply_to: replyTo && replyTo.value ? parseInt(replyTo.value, 10) : null };
    postJSON(form.dataset.draftUrl, "PUT", body).then(function (r) {
      if (r.ok) { unsaved = false; if (status) { status.textContent = form.dataset.savedText; } }
    });
  }, 1500);

  var renderPreview = debounce(function () {
    if (!preview || preview.hidden) { return; }
    postJSON(form.dataset.previewUrl, "POST", { raw: area.value })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        // The server renders and sanitises exactly as for a real post.
        preview.querySelector(".preview-body").innerHTML = data.html || "";
      });
  }, 400);

  function changed() { unsaved = true; saveDraft(); renderPreview(); }
  area.addEventListener("input", changed);
  if (title) { title.addEventListener("input", changed); }
  if (toggle && preview) {
    toggle.addEventListener("click", function () {
      preview.hidden = !preview.hidden;
      toggle.setAttribute("aria-expanded", String(!preview.hidden));
      toggle.textContent = preview.hidden ? form.dataset.showPreview : form.dataset.hidePreview;
      renderPreview();
    });
  }
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved && !submitting && area.value.trim()) {
      event.preventDefault();
      event.returnValue = form.dataset.unsavedText;
    }
  });
}
