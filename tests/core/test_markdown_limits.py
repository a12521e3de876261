"""Limits on member-written Markdown: one time budget that holds in any thread, and nesting that is
refused with a reason rather than cut off without a word."""

import threading
import time

import pytest

from forum.core import markdown
from forum.core.markdown import MarkdownTooComplex, parse_markdown, render_markdown

# 32,000 characters (the default FORUM_MAX_POST_CHARS) that take markdown-it over a second: each "[" makes
# the link rule scan the rest of the text for a closing bracket.
PATHOLOGICAL = "![" * 16_000


def _render_in_a_thread(text: str) -> tuple[BaseException | None, float]:
    """Render as a threaded server (`flask run`, gunicorn's gthread workers) would: off the main thread."""
    outcome: list = []

    def work():
        started = time.monotonic()
        try:
            render_markdown(text)
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append((error, time.monotonic() - started))
        else:
            outcome.append((None, time.monotonic() - started))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    return outcome[0]


def test_pathological_text_is_refused_within_the_budget_outside_the_main_thread(monkeypatch):
    monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.2)
    error, seconds = _render_in_a_thread(PATHOLOGICAL)
    assert isinstance(error, MarkdownTooComplex), error
    assert "too complex" in str(error.message)
    assert seconds < 0.2 + 1.0


def test_ordinary_long_text_renders_within_the_default_budget_in_a_thread():
    text = "\n\n".join(f"Paragraph {n} with **bold**, a [link](https://example.org/{n}) and `code`." for n in range(400))
    error, _seconds = _render_in_a_thread(text)
    assert error is None


def test_mentions_and_html_come_from_one_parse_under_one_budget(monkeypatch):
    """The posting path parses once: finding @names and rendering share the tokens and the budget."""
    monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.2)
    with pytest.raises(MarkdownTooComplex):
        parse_markdown("@aino " + PATHOLOGICAL)
    parsed = parse_markdown("Hi @aino and @mikko\n\n> @quoted")
    assert parsed.mentions == {"aino", "mikko"}
    html = parsed.html({"aino": "/u/aino"})
    assert '<a href="/u/aino" class="mention"' in html and ">@aino</a> and @mikko" in html


def test_nesting_past_the_limit_is_refused_with_a_reason_not_dropped():
    with pytest.raises(MarkdownTooComplex) as refused:
        render_markdown(">" * 30 + " the point of the post")
    assert "nested" in str(refused.value.message)


def test_nested_lists_past_the_limit_are_refused_too():
    text = "".join("  " * depth + "- level\n" for depth in range(30))
    with pytest.raises(MarkdownTooComplex):
        render_markdown(text)


def test_nesting_within_the_limit_renders_every_level():
    html = render_markdown(">" * (markdown.MAX_NESTING - 1) + " deep")
    assert html.count("<blockquote>") == markdown.MAX_NESTING - 1 and "deep" in html


def test_a_link_followed_by_thousands_of_brackets_is_quick_and_keeps_them():
    """Trimming an autolink's trailing brackets is quadratic, inside one parser rule call: links are capped."""
    started = time.monotonic()
    html = render_markdown("see http://example.org/a" + ")" * 31_000)
    assert time.monotonic() - started < 1.0
    assert '>http://example.org/a</a>' + ")" * 100 in html
