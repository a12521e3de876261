import { wireCompletion } from "./completion.js";

// @mention completion in a text box: members and groups, listed at the caret.
export function wireMentions(area, searchUrl, texts) {
  wireCompletion(area, {
    url: searchUrl,
    atCaret: true,
    after: " ",
    groupText: texts.groupText,
    label: texts.label,
    matchesText: texts.matchesText,
    wordAt: function (field) {
      var before = field.value.slice(0, field.selectionStart);
      var match = /(^|[\s(])@([A-Za-z0-9][A-Za-z0-9_.-]{0,39})$/.exec(before);
      return match ? { start: field.selectionStart - match[2].length, word: match[2] } : null;
    }
  });
}

// The To field of a private message: names separated by commas, each completed like a mention.
export function wireRecipients(input, searchUrl, texts) {
  wireCompletion(input, {
    url: searchUrl,
    atCaret: false,
    after: ", ",
    groupText: texts.groupText,
    label: texts.label,
    matchesText: texts.matchesText,
    wordAt: function (field) {
      var before = field.value.slice(0, field.selectionStart);
      var match = /(^|[,\s])@?([A-Za-z0-9][A-Za-z0-9_.-]{0,39})$/.exec(before);
      return match ? { start: field.selectionStart - (match[0].length - match[1].length), word: match[2] } : null;
    }
  });
}
