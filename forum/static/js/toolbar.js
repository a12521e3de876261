// The composer's formatting toolbar: bold, italic, link, quote, list, code and image, each on a button and
// a keyboard shortcut (Ctrl, or ⌘ on a Mac). A toolbar in the ARIA sense: one tab stop, arrow keys move.

var IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

// Writes through the browser's editing command where it can, so that Undo undoes a formatting step.
function replaceRange(area, start, end, text, selectFrom, selectTo) {
  area.focus();
  area.setSelectionRange(start, end);
  if (!document.execCommand || !document.execCommand("insertText", false, text)) {
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  area.setSelectionRange(start + selectFrom, start + selectTo);
}

function wrap(area, before, after, placeholder) {
  var start = area.selectionStart, end = area.selectionEnd;
  var chosen = area.value.slice(start, end) || placeholder;
  replaceRange(area, start, end, before + chosen + after, before.length, before.length + chosen.length);
}

// Quote and list work on whole lines: every line the selection touches gets the prefix.
function prefixLines(area, prefix, placeholder) {
  var value = area.value;
  var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
  var end = area.selectionEnd;
  var lineEnd = value.indexOf("\n", end);
  end = lineEnd === -1 ? value.length : lineEnd;
  var lines = value.slice(start, end) || placeholder;
  var text = lines.split("\n").map(function (line) { return prefix + line; }).join("\n");
  replaceRange(area, start, end, text, prefix.length, text.length);
}

function link(area, image, textLabel) {
  var start = area.selectionStart, end = area.selectionEnd;
  var chosen = area.value.slice(start, end);
  var bang = image ? "!" : "";
  if (chosen && /^https?:\/\/\S+$/.test(chosen)) {
    var inserted = bang + "[" + textLabel + "](" + chosen + ")";
    replaceRange(area, start, end, inserted, bang.length + 1, bang.length + 1 + textLabel.length);
    return;
  }
  var label = chosen || textLabel;
  var text = bang + "[" + label + "](https://)";
  var urlAt = text.length - "https://)".length;
  if (chosen) { replaceRange(area, start, end, text, urlAt, urlAt + "https://".length); }
  else { replaceRange(area, start, end, text, bang.length + 1, bang.length + 1 + label.length); }
}

function code(area, placeholder) {
  var chosen = area.value.slice(area.selectionStart, area.selectionEnd);
  if (chosen.indexOf("\n") !== -1) { wrap(area, "```\n", "\n```", placeholder); }
  else { wrap(area, "`", "`", placeholder); }
}

export function wireToolbar(toolbar, area, picker) {
  var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button[data-format]"));
  var texts = toolbar.dataset;
  var actions = {
    bold: function () { wrap(area, "**", "**", texts.boldText); },
    italic: function () { wrap(area, "_", "_", texts.italicText); },
    link: function () { link(area, false, texts.linkText); },
    quote: function () { prefixLines(area, "> ", texts.quoteText); },
    list: function () { prefixLines(area, "- ", texts.listText); },
    code: function () { code(area, texts.codeText); },
    // With a file picker on the form, Image picks a file to upload (its Markdown lands at the caret).
    image: function () { if (picker) { picker.click(); } else { link(area, true, texts.imageText); } }
  };
  toolbar.hidden = false;
  buttons.forEach(function (button, index) {
    if (IS_MAC) {
      button.setAttribute("aria-label", button.dataset.macLabel);
      button.title = button.dataset.macLabel;
    }
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () { actions[button.dataset.format](); });
    button.addEventListener("keydown", function (event) {
      var next = null;
      if (event.key === "ArrowRight") { next = buttons[(index + 1) % buttons.length]; }
      else if (event.key === "ArrowLeft") { next = buttons[(index - 1 + buttons.length) % buttons.length]; }
      else if (event.key === "Home") { next = buttons[0]; }
      else if (event.key === "End") { next = buttons[buttons.length - 1]; }
      if (!next) { return; }
      event.preventDefault();
      buttons.forEach(function (b) { b.tabIndex = b === next ? 0 : -1; });
      next.focus();
    });
  });

  // Shortcuts: letters by the key typed (any keyboard layout), Shift combinations by the key's place
  // (Shift+8 types "*" on one keyboard and "(" on another).
  function matches(button, event) {
    var key = button.dataset.key;
    if ("shift" in button.dataset) {
      if (!event.shiftKey) { return false; }
      var code = key === "." ? "Period" : /\d/.test(key) ? "Digit" + key : "Key" + key;
      return event.code === code;
    }
    return !event.shiftKey && event.key.toUpperCase() === key;
  }
  area.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
    for (var i = 0; i < buttons.length; i++) {
      if (matches(buttons[i], event)) {
        event.preventDefault();
        actions[buttons[i].dataset.format]();
        return;
      }
    }
  });
}
