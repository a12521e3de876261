"""GitHub Flavored Markdown: the spec's examples for the extensions members paste from GitHub and Teams.

The examples (tests/core/gfm_extension_examples.json) are copied from the GFM spec
(https://github.github.com/gfm/, version 0.29-gfm): tables, task list items, strikethrough, autolinks and
disallowed raw HTML. The spec's HTML is compared with ours after both go through our sanitizer, modulo
what we do on purpose: alignment as classes (our Content-Security-Policy forbids inline styles),
strikethrough as <s> rather than <del>, and the task-list classes.
"""

import json
import re
from pathlib import Path

from forum.core.markdown import render_markdown, sanitize
from tests.core.test_markdown import _normalise

EXAMPLES = json.loads((Path(__file__).parent / "gfm_extension_examples.json").read_text())

# Differences kept on purpose. 628: ftp:// is not autolinked (our sanitizer allows http, https and mailto
# only, so a link would lose its address anyway).
DIFFERENT_ON_PURPOSE = {628}

TASK_CLASSES = re.compile(r' class="(?:task-list-item|contains-task-list|task-list-item-checkbox)"')
# Our task-list boxes are named by their item's text (or hidden when it has none); the spec's have no name.
TASK_BOX_NAMES = re.compile(r' aria-label="[^"]*"| aria-hidden="true"')


def _expected(html: str) -> str:
    html = re.sub(r' align="(left|center|right)"', r' class="text-\1"', html)
    html = html.replace("<del>", "<s>").replace("</del>", "</s>")
    return _comparable(sanitize(html, class_mark=""))


def _comparable(html: str) -> str:
    return _normalise(TASK_BOX_NAMES.sub("", TASK_CLASSES.sub("", html)).replace('checked="checked"', 'checked=""'))


def _ours(markdown: str) -> str:
    return _comparable(render_markdown(markdown))


def test_gfm_extension_examples_render_as_the_spec_says_after_sanitizing():
    unexpected = [
        (e["example"], e["section"], e["markdown"], _expected(e["html"]), _ours(e["markdown"]))
        for e in EXAMPLES
        if e["example"] not in DIFFERENT_ON_PURPOSE and _ours(e["markdown"]) != _expected(e["html"])
    ]
    assert not unexpected, "\n\n".join(f"#{n} ({s})\n{md!r}\nspec: {e!r}\nours: {o!r}" for n, s, md, e, o in unexpected)


def test_documented_gfm_differences_still_differ():
    by_number = {e["example"]: e for e in EXAMPLES}
    for number in DIFFERENT_ON_PURPOSE:
        assert _ours(by_number[number]["markdown"]) != _expected(by_number[number]["html"]), number


def test_single_tilde_strikes_through_as_on_github():
    assert "<s>gone</s>" in render_markdown("This is ~gone~ now")


def test_email_addresses_become_mail_links_even_with_underscores():
    html = render_markdown("Write to first_last@example.org.")
    assert '<a href="mailto:first_last@example.org" rel="nofollow ugc noopener noreferrer">first_last@example.org</a>.' in html


def test_autolinks_leave_out_trailing_punctuation_brackets_and_entities():
    html = render_markdown("(Visit www.commonmark.org/a.b) or www.commonmark.org/he<lp, see http://example.org/x?! and www.a.org/q&hl;")
    assert '<a href="http://www.commonmark.org/a.b" rel="nofollow ugc noopener noreferrer">www.commonmark.org/a.b</a>)' in html
    assert ">www.commonmark.org/he</a>&lt;lp" in html
    assert ">http://example.org/x</a>?!" in html
    assert ">www.a.org/q</a>&amp;hl;" in html


def test_strikethrough_around_a_link_keeps_both():
    html = render_markdown("~~http://example.com~~")
    assert html.strip() == (
        '<p><s><a href="http://example.com" rel="nofollow ugc noopener noreferrer">http://example.com</a></s></p>'
    )


def test_footnotes_link_both_ways_with_ids_unique_to_the_post():
    text = "A claim.[^1] Another.[^note]\n\n[^1]: The source.\n[^note]: More."
    first, second = render_markdown(text), render_markdown(text)
    refs = re.findall(r'<a href="#(fn-[0-9a-f]+-\d)" id="(fnref-[0-9a-f]+-\d)"', first)
    assert len(refs) == 2
    for note, back in refs:
        assert f'<li id="{note}" class="footnote-item">' in first
        assert f'href="#{back}" class="footnote-backref"' in first
    assert '<section class="footnotes">' in first and "The source." in first
    assert set(re.findall(r'id="([^"]+)"', first)).isdisjoint(re.findall(r'id="([^"]+)"', second))
