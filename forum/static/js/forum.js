// Progressive enhancement for Fellowship. Every feature here has a plain-HTML path without it.
(function () {
  "use strict";

  // Remember the browser's time zone, so that times show in it until the member chooses one.
  function rememberTimeZone() {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
        document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
      }
      var select = document.querySelector(".tz-select select");
      if (select && !select.value) {
        for (var i = 0; i < select.options.length; i++) {
          if (select.options[i].value === zone) { select.value = zone; break; }
        }
      }
    } catch (e) { /* very old browser: times stay in UTC */ }
  }

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

  function composer() {
    return document.querySelector(".composer form textarea, section.composer textarea");
  }

  function setReplyTo(number, name) {
    var form = document.querySelector("section.composer form");
    if (!form) { return false; }
    form.querySelector("input[name=reply_to]").value = number || "";
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

  function focusComposer() {
    var area = composer();
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
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
      link.addEventListener("click", function (event) {
        var area = composer();
        var post = link.closest("article");
        var body = post && post.querySelector(".post-body");
        var selection = window.getSelection ? String(window.getSelection()) : "";
        // Only a selection inside this post is quoted in place; otherwise the server builds the quote.
        if (!area || !body || !selection.trim() || !body.contains(window.getSelection().anchorNode)) { return; }
        event.preventDefault();
        var quoted = selection.trim().split("\n").map(function (l) { return l ? "> " + l : ">"; }).join("\n");
        var source = post.querySelector("a.post-number").getAttribute("href");
        var header = "> [@" + body.dataset.author + " #" + body.dataset.postNumber + "](" + source + "):\n>\n";
        area.value += (area.value && !/\n\n$/.test(area.value) ? "\n\n" : "") + header + quoted + "\n\n";
        setReplyTo(body.dataset.postNumber, body.dataset.author);
        focusComposer();
      });
    });
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
    root.querySelectorAll("details.replies[data-src]").forEach(expandReplies);
  }

  function wire(root) { wireActions(root); }

  function csrfToken() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  function postJSON(url, method, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  // The composer: drafts saved on the server as the member types, a live preview, and a warning
  // before leaving with text that is not saved anywhere.
  function wireComposer(form) {
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

  // @mention completion: a listbox under the text box, driven by the keyboard or the pointer.
  function wireMentions(area, searchUrl) {
    var menu = document.createElement("ul");
    menu.className = "mention-menu";
    menu.id = area.id + "-mentions";
    menu.setAttribute("role", "listbox");
    menu.hidden = true;
    area.parentNode.appendChild(menu);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", menu.id);
    var active = -1;
    var items = [];

    function close() {
      menu.hidden = true; items = []; active = -1;
      area.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(menu.children, function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
      if (index >= 0) { area.setAttribute("aria-activedescendant", menu.children[index].id); }
    }
    function currentWord() {
      var before = area.value.slice(0, area.selectionStart);
      var match = /(^|[\s(])@([A-Za-z0-9][A-Za-z0-9_.-]{0,39})$/.exec(before);
      return match ? match[2] : null;
    }
    function choose(index) {
      var word = currentWord();
      if (word === null || !items[index]) { return close(); }
      var start = area.selectionStart - word.length;
      var insert = items[index].username + " ";
      area.value = area.value.slice(0, start) + insert + area.value.slice(area.selectionStart);
      area.setSelectionRange(start + insert.length, start + insert.length);
      close();
      area.dispatchEvent(new Event("input"));
    }
    var lookup = debounce(function () {
      var word = currentWord();
      if (!word) { return close(); }
      fetch(searchUrl + "?q=" + encodeURIComponent(word), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { members: [] }; })
        .then(function (data) {
          items = data.members || [];
          menu.replaceChildren();
          items.forEach(function (member, i) {
            var li = document.createElement("li");
            li.id = menu.id + "-" + i;
            li.setAttribute("role", "option");
            li.textContent = "@" + member.username + " — " + member.display_name;
            li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
            menu.appendChild(li);
          });
          if (!items.length) { return close(); }
          menu.hidden = false;
          highlight(0);
        });
    }, 200);
    area.addEventListener("input", lookup);
    area.addEventListener("blur", close);
    area.addEventListener("keydown", function (event) {
      if (menu.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
  }

  // Top matches as you type in the header's search box: a combobox whose options are links to topics and
  // members. Enter on an option opens it; otherwise the form submits to the full results page.
  function wireQuickSearch(form) {
    var input = form.querySelector("input[type=search]");
    var menu = document.createElement("ul");
    var status = document.createElement("p");
    menu.className = "quick-search";
    menu.id = "quick-search-list";
    menu.setAttribute("role", "listbox");
    menu.setAttribute("aria-label", form.getAttribute("aria-label") || input.placeholder);
    menu.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(menu);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", menu.id);
    input.setAttribute("aria-expanded", "false");
    var options = [];
    var active = -1;

    function close() {
      menu.hidden = true; options = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      active = index;
      options.forEach(function (li, i) { li.setAttribute("aria-selected", String(i === index)); });
      if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].id); }
    }
    function option(text, detail, url) {
      var li = document.createElement("li");
      li.id = menu.id + "-" + options.length;
      li.setAttribute("role", "option");
      li.dataset.url = url;
      li.textContent = text;
      if (detail) {
        var small = document.createElement("span");
        small.className = "muted";
        small.textContent = " — " + detail;
        li.appendChild(small);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); window.location.assign(url); });
      options.push(li);
      return li;
    }
    function group(label) {
      var li = document.createElement("li");
      li.setAttribute("role", "presentation");
      li.className = "quick-search-group";
      li.textContent = label;
      return li;
    }
    var lookup = debounce(function () {
      var text = input.value.trim();
      if (text.length < 2) { return close(); }
      fetch(form.dataset.quickSearch + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { topics: [], members: [] }; })
        .then(function (data) {
          if (input.value.trim() !== text) { return; }
          options = []; active = -1;
          menu.replaceChildren();
          if (data.topics.length) {
            menu.appendChild(group(menu.dataset.topicsLabel || "Topics"));
            data.topics.forEach(function (t) { menu.appendChild(option(t.title, t.category, t.url)); });
          }
          if (data.members.length) {
            menu.appendChild(group(menu.dataset.membersLabel || "Members"));
            data.members.forEach(function (m) { menu.appendChild(option(m.display_name, "@" + m.username + (m.organisation ? ", " + m.organisation : ""), m.url)); });
          }
          status.textContent = options.length ? form.dataset.matchesLabel.replace("{n}", options.length) : "";
          if (!options.length) { return close(); }
          menu.hidden = false;
          input.setAttribute("aria-expanded", "true");
        });
    }, 200);
    menu.dataset.topicsLabel = form.dataset.topicsLabel;
    menu.dataset.membersLabel = form.dataset.membersLabel;
    input.addEventListener("input", lookup);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (menu.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); window.location.assign(options[active].dataset.url); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
  }

  // Attachments: the file picker, drag-and-drop onto the text box, and pasted images are uploaded
  // straight away and their Markdown inserted where the caret is. Without JavaScript the file goes
  // with the form instead.
  function wireUploads(form, area, status) {
    var picker = form.querySelector("input[type=file][name=attachment]");
    function insertAtCaret(text) {
      var at = area.selectionStart || area.value.length;
      var before = area.value.slice(0, at);
      var gap = before && !/\n$/.test(before) ? "\n" : "";
      area.value = before + gap + text + "\n" + area.value.slice(at);
      area.dispatchEvent(new Event("input"));
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

  // Read tracking: report the highest post number that has been on screen, a moment after scrolling stops.
  function trackReading() {
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

  document.addEventListener("DOMContentLoaded", function () {
    // Tells the server that this browser reports reading itself (see trackReading).
    if (document.cookie.indexOf("js=1") === -1) { document.cookie = "js=1; path=/; max-age=31536000; SameSite=Lax"; }
    rememberTimeZone();
    wire(document);
    trackReading();
    document.querySelectorAll("form[data-composer]").forEach(wireComposer);
    document.querySelectorAll("form[data-quick-search]").forEach(wireQuickSearch);
    var cancel = document.querySelector(".cancel-reply");
    if (cancel) { cancel.addEventListener("click", function () { setReplyTo(null); }); }
    var errors = document.querySelector(".form-errors");
    if (errors) { errors.focus(); }
  });
})();
