import { debounce, postJSON } from "./lib/http.js";
import { wireDock } from "./composer_dock.js";
import { wireMentions, wireRecipients } from "./mentions.js";
import { wireToolbar } from "./toolbar.js";
import { wireUploads } from "./uploads.js";

// The composer: drafts saved on the server as the member types, a live preview (beside the text on wide
// screens), the formatting toolbar, name completion, the notice of a restored draft, Cancel that asks
// about the draft, and a warning before leaving with text that is not saved anywhere.
export function wireComposer(form) {
  var area = form.querySelector("textarea[name=raw]");
  if (!area) { return; }
  var title = form.querySelector("input[name=title]");
  var replyTo = form.querySelector("input[name=reply_to]");
  var tools = form.querySelector(".composer-tools");
  var status = form.querySelector(".draft-status");
  var preview = form.querySelector(".preview");
  var toggle = form.querySelector(".preview-toggle");
  var toolbar = form.querySelector(".composer-toolbar");
  var picker = form.querySelector("input[type=file][name=attachment]");
  var recipients = form.querySelector("[data-recipients] input");
  var unsaved = false;
  var submitting = false;
  var texts = { groupText: form.dataset.groupText, matchesText: form.dataset.matchesText, label: form.dataset.namesLabel };
  if (tools) { tools.hidden = false; }
  if (toolbar) { wireToolbar(toolbar, area, picker); }
  if (form.dataset.mentionUrl) {
    wireMentions(area, form.dataset.mentionUrl, texts);
    if (recipients) { wireRecipients(recipients, form.dataset.mentionUrl, texts); }
  }
  if (form.dataset.uploadUrl) { wireUploads(form, area, status); }

  function say(text) { if (status) { status.textContent = text; } }
  function draftBody() {
    return { raw: area.value, title: title ? title.value : null,
             reply_to: replyTo && replyTo.value ? parseInt(replyTo.value, 10) : null,
             recipients: recipients ? recipients.value : null };
  }
  var saveTimer = null;
  function saveNow() {
    clearTimeout(saveTimer);
    if (!form.dataset.draftUrl) { return Promise.resolve(); }
    return postJSON(form.dataset.draftUrl, "PUT", draftBody()).then(function (r) {
      if (r.ok) { unsaved = false; say(form.dataset.savedText); }
    });
  }
  function saveDraft() { clearTimeout(saveTimer); saveTimer = setTimeout(saveNow, 1500); }
  function discardDraft() {
    clearTimeout(saveTimer);
    unsaved = false;
    return form.dataset.draftUrl ? postJSON(form.dataset.draftUrl, "DELETE") : Promise.resolve();
  }

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
  if (recipients) { recipients.addEventListener("input", changed); }
  if (replyTo) { replyTo.addEventListener("change", changed); }
  if (toggle && preview) {
    toggle.addEventListener("click", function () {
      preview.hidden = !preview.hidden;
      toggle.setAttribute("aria-expanded", String(!preview.hidden));
      toggle.textContent = preview.hidden ? form.dataset.showPreview : form.dataset.hidePreview;
      var editor = preview.closest(".composer-editor");
      if (editor) { editor.classList.toggle("previewing", !preview.hidden); }
      renderPreview();
    });
  }

  // "Draft restored from …": Discard empties the composer in place, Keep just puts the notice away.
  var notice = document.querySelector("[data-draft-notice][data-discard-url='" + form.dataset.draftUrl + "']");
  if (notice) {
    notice.querySelector("[data-discard-draft]").addEventListener("click", function (event) {
      event.preventDefault();
      discardDraft().then(function (r) {
        if (r && !r.ok) { return; }
        area.value = "";
        if (title) { title.value = ""; }
        if (replyTo) { replyTo.value = ""; }
        if (recipients) { recipients.value = ""; }
        var note = form.querySelector(".replying-to");
        if (note) { note.hidden = true; }
        notice.remove();
        say(form.dataset.discardedText);
        renderPreview();
        (title || area).focus();
      });
    });
    notice.querySelector("[data-keep-draft]").addEventListener("click", function (event) {
      event.preventDefault();
      notice.remove();
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
    });
  }

  // Cancel asks about the draft in a dialog; an empty composer has nothing to ask about.
  var cancel = form.querySelector("a.composer-cancel[data-cancel-url]");
  var dialog = form.querySelector("dialog.cancel-dialog");
  if (cancel && dialog) {
    var leave = function () { submitting = true; window.location.assign(cancel.dataset.cancelUrl); };
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      if (!area.value.trim() && !(title && title.value.trim())) { discardDraft().then(leave); return; }
      dialog.showModal();
      dialog.querySelector("[data-cancel-keep]").focus();
    });
    dialog.querySelector("[data-cancel-discard]").addEventListener("click", function () { discardDraft().then(leave); });
    dialog.querySelector("[data-cancel-keep]").addEventListener("click", function () { saveNow().then(leave); });
    dialog.querySelector("[data-cancel-stay]").addEventListener("click", function () { dialog.close(); area.focus(); });
  }

  var section = form.closest("section.composer[data-dock]");
  if (section) { wireDock(section); }

  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved && !submitting && area.value.trim()) {
      event.preventDefault();
      event.returnValue = form.dataset.unsavedText;
    }
  });
}
