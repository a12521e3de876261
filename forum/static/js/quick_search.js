import { wireListbox } from "./lib/listbox.js";

// Top matches as you type in the header's search box (lib/listbox.js): topics, with their author's avatar,
// and members, each an option that opens its page. Enter with no option chosen submits the form to the full
// results page.
export function wireQuickSearch(form) {
  var input = form.querySelector("input[type=search]");
  function open(url) { return function () { window.location.assign(url); }; }
  function entries(data) {
    var found = [];
    if (data.topics.length) {
      found.push({ group: form.dataset.topicsLabel || "Topics" });
      data.topics.forEach(function (t) {
        found.push({ label: t.title, detail: t.category, avatar: t.author_avatar, choose: open(t.url) });
      });
    }
    if (data.members.length) {
      found.push({ group: form.dataset.membersLabel || "Members" });
      data.members.forEach(function (m) {
        var detail = "@" + m.username + (m.organisation ? ", " + m.organisation : "");
        found.push({ label: m.display_name, detail: detail, avatar: m.avatar, choose: open(m.url) });
      });
    }
    return found;
  }
  wireListbox(input, {
    id: "quick-search-list",
    className: "quick-search",
    label: form.getAttribute("aria-label") || input.placeholder,
    container: form,
    url: form.dataset.quickSearch,
    query: function () {
      var text = input.value.trim();
      return text.length < 2 ? null : text;
    },
    entries: entries,
    matchesText: form.dataset.matchesLabel
  });
}
