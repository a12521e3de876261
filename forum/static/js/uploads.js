import { csrfToken } from "./lib/http.js";

// Attachments: the file picker, drag-and-drop onto the text box, and pasted images are uploaded
// straight away and their Markdown inserted where the caret is. Without JavaScript the file goes
// with the form instead.
export function wireUploads(form, area, status) {
  var picker = form.querySelector("input[type=file][name=attachment]");
  function insertAtCaret(text) {
    var at = area.selectionStart || area.value.length;
    var before = area.value.slice(0, at);
    var gap = before && !/\n$/.test(before) ? "\n" : "";
    area.value = before + gap + text + "\n" + area.value.slice(at);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function upload(file) {
    var data = new FormData();
    data.append("file", file, file.name || "pasted-image.png");
    if (status) { status.textContent = form.dataset.uploadingText; }
    return fetch(form.dataset.uploadUrl, {
      method: "POST", credentials: "same-origin", body: data,
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (result) {
        if (!result.ok) { if (status) { status.textContent = result.body.message || "Upload failed"; } return; }
        insertAtCaret(result.body.markdown);
        if (status) { status.textContent = form.dataset.uploadedText + ": " + (file.name || "image"); }
      });
  }
  if (picker) {
    picker.addEventListener("change", function () {
      Array.prototype.forEach.call(picker.files, upload);
      picker.value = "";
    });
  }
  area.addEventListener("dragover", function (event) { event.preventDefault(); });
  area.addEventListener("drop", function (event) {
    if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
    event.preventDefault();
    Array.prototype.forEach.call(event.dataTransfer.files, upload);
  });
  area.addEventListener("paste", function (event) {
    var files = event.clipboardData ? event.clipboardData.files : [];
    if (!files || !files.length) { return; }
    event.preventDefault();
    Array.prototype.forEach.call(files, upload);
  });
}
