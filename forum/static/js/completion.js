import { wireListbox } from "./lib/listbox.js";

// Name completion shared by @mentions in the text and the recipients of a private message: a list of members
// (with their avatars) and groups, driven as lib/listbox.js describes (Tab takes a name as Enter does).
// `options.wordAt(field)` gives {start, word} for the name being typed at the caret, or null;
// `options.atCaret` places the list under the caret (in a text box) rather than under the field.

var MIRRORED = ["boxSizing", "width", "height", "overflowX", "overflowY", "borderTopWidth", "borderRightWidth",
  "borderBottomWidth", "borderLeftWidth", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
  "fontStyle", "fontVariant", "fontWeight", "fontStretch", "fontSize", "lineHeight", "fontFamily",
  "textAlign", "textTransform", "textIndent", "letterSpacing", "wordSpacing", "tabSize"];

// Where the caret is drawn in a textarea, relative to the textarea's box: a hidden copy of the text box with
// the text up to the caret, and a marker where the caret falls.
export function caretOffset(area, index) {
  var style = window.getComputedStyle(area);
  var mirror = document.createElement("div");
  MIRRORED.forEach(function (name) { mirror.style[name] = style[name]; });
  mirror.style.position = "absolute";
  mirror.style.visibility = "hidden";
  mirror.style.whiteSpace = "pre-wrap";
  mirror.style.overflowWrap = "break-word";
  mirror.style.top = "0";
  mirror.style.left = "0";
  mirror.textContent = area.value.slice(0, index);
  var marker = document.createElement("span");
  marker.textContent = area.value.slice(index) || ".";
  mirror.appendChild(marker);
  document.body.appendChild(mirror);
  var lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.3;
  var offset = {
    top: marker.offsetTop - area.scrollTop,
    left: marker.offsetLeft - area.scrollLeft,
    height: lineHeight
  };
  mirror.remove();
  return offset;
}

// Fixed to the window, so that no scrolling box (the docked composer) clips it; above the caret (or the field)
// when there is no room below.
function place(field, menu, atCaret) {
  var box = field.getBoundingClientRect();
  var top, left;
  if (atCaret) {
    var caret = caretOffset(field, field.selectionStart);
    top = box.top + caret.top + caret.height;
    left = box.left + caret.left;
  } else {
    top = box.bottom;
    left = box.left;
  }
  menu.style.maxWidth = Math.min(box.width, window.innerWidth - 16) + "px";
  var width = menu.offsetWidth;
  var height = menu.offsetHeight;
  left = Math.max(8, Math.min(left, window.innerWidth - width - 8));
  if (top + height > window.innerHeight - 8) {
    var lineTop = atCaret ? top - caretOffset(field, field.selectionStart).height : box.top;
    top = Math.max(8, lineTop - height);
  }
  menu.style.top = top + "px";
  menu.style.left = left + "px";
}

export function wireCompletion(field, options) {
  function insert(name) {
    var at = options.wordAt(field);
    if (at === null) { return; }
    var text = name + options.after;
    var end = field.selectionStart;
    field.value = field.value.slice(0, at.start) + text + field.value.slice(end);
    field.setSelectionRange(at.start + text.length, at.start + text.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function entries(data) {
    var members = (data.members || []).map(function (m) {
      return { label: "@" + m.username, detail: m.display_name, avatar: m.avatar, choose: function () { insert(m.username); } };
    });
    var groups = (data.groups || []).map(function (g) {
      return { label: "@" + g.slug, detail: g.name + " (" + options.groupText + ")", icon: "users", choose: function () { insert(g.slug); } };
    });
    return members.concat(groups);
  }
  wireListbox(field, {
    id: field.id + "-completion",
    className: "completion-menu",
    label: options.label || field.getAttribute("aria-label") || "",
    container: field.parentNode,
    url: options.url,
    query: function () {
      var at = options.wordAt(field);
      return at ? at.word : null;
    },
    entries: entries,
    autoSelect: true,
    matchesText: options.matchesText,
    place: function (menu) { place(field, menu, options.atCaret); }
  });
}
