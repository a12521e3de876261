"""Markdown to safe HTML: CommonMark (markdown-it-py) plus GitHub's extensions (tables, ~strikethrough~ and
~~strikethrough~~, task lists, www./http(s)/email autolinks, footnotes), sanitised with nh3. Posts are
rendered once, at write time, and parsed once: the same tokens give the @mentions and the HTML.

Limits on untrusted input:
- length: 32,000 characters by default (FORUM_MAX_POST_CHARS), checked by the callers (board services,
  /preview) before rendering;
- nesting: 20 levels of block containers (MAX_NESTING; a quote is one level, a list two: 19 quotes inside
  each other, or 9 lists). Deeper text is refused with a message, never dropped without a word;
- time: 2 seconds per text (RENDER_SECONDS), parsing and rendering together, checked inside every parser rule,
  so it holds in any thread (threaded `flask run`, gunicorn's sync and gthread workers, jobs). A text over it
  is refused with the same MarkdownTooComplex message for preview and post. The deadline is noticed at the
  next rule call: the longest single call we found was under half a second (one table of 2,000 columns).
- autolinks: a bare address links at most its first 4,096 characters (LONGEST_AUTOLINK), an email 320;
- raw HTML: script, style, title, textarea, xmp, iframe, noembed, noframes, noscript and plaintext tags are
  shown as text (GFM's "disallowed raw HTML"); images load only from /uploads/<id>/<name> (any other image
  becomes a link); classes and ids survive only where the renderer wrote them, and so do form controls (the
  task-list boxes, read-only and named by their item's text).
"""

import re
import secrets
import time

from markdown_it.token import Token

from forum.core.markdown_parser import (
    DEADLINE,
    FOOTNOTE_KEY,
    MARK,
    MAX_NESTING,
    MarkdownTooComplex,
    build_parser,
    check_time,
    render_options,
)
from forum.core.markdown_sanitizer import sanitize

__all__ = ["MAX_NESTING", "RENDER_SECONDS", "MarkdownTooComplex", "ParsedMarkdown", "extract_mentions",
           "parse_markdown", "render_markdown", "sanitize"]

RENDER_SECONDS = 2.0

_parser = build_parser()


class ParsedMarkdown:
    """One member-written text parsed once: the @names it mentions, the links its quotes name as their source
    (`quote_sources`), then its HTML once the names are resolved."""

    def __init__(self, text: str):
        self._env = {
            DEADLINE: time.monotonic() + RENDER_SECONDS,
            MARK: f"m{secrets.token_hex(8)}-",
            FOOTNOTE_KEY: secrets.token_hex(4),
        }
        self._tokens = _parser.parse(text, self._env)
        # The budget left is kept for rendering, which may come after a database round trip.
        self._seconds_left = self._env[DEADLINE] - time.monotonic()
        self.mentions = _mentioned_names(self._tokens)
        self.quote_sources = _quote_sources(self._tokens)

    def html(self, mention_links: dict[str, str] | None = None) -> str:
        """Sanitised HTML ready to store as a post's cooked HTML. `mention_links` maps lower-cased @names
        that exist to the page they link to."""
        self._env[DEADLINE] = time.monotonic() + self._seconds_left
        tokens = _link_mentions(self._tokens, mention_links or {}, self._env[MARK])
        html = _parser.renderer.render(tokens, render_options(_parser, self._env), self._env)
        check_time(self._env)
        return sanitize(html, class_mark=self._env[MARK])


def parse_markdown(text: str) -> ParsedMarkdown:
    """Parse member-written Markdown within the time budget; raises MarkdownTooComplex."""
    return ParsedMarkdown(text)


def render_markdown(text: str, mention_links: dict[str, str] | None = None) -> str:
    """Render member-written Markdown to sanitised HTML (see ParsedMarkdown.html)."""
    return parse_markdown(text).html(mention_links)


def extract_mentions(text: str) -> set[str]:
    """Lower-cased @names in `text`, leaving out code, links and quotes (quoting a mention does not notify)."""
    return parse_markdown(text).mentions


# --- quotes --------------------------------------------------------------------------------------------

MAX_QUOTE_SOURCES = 20


def _quote_sources(tokens: list[Token]) -> list[str]:
    """The links that head top-level quotes, as quoting writes them (`> [@name #3](link):`): a quote whose
    first paragraph starts with a link whose text starts with @. At most MAX_QUOTE_SOURCES, in order."""
    sources: list[str] = []
    depth = 0
    for index, token in enumerate(tokens):
        depth += (token.type == "blockquote_open") - (token.type == "blockquote_close")
        if token.type != "blockquote_open" or depth != 1 or index + 2 >= len(tokens):
            continue
        paragraph, inline = tokens[index + 1], tokens[index + 2]
        children = inline.children or []
        if (
            paragraph.type == "paragraph_open" and inline.type == "inline" and len(children) > 1
            and children[0].type == "link_open" and children[1].content.startswith("@")
        ):
            href = children[0].attrGet("href")
            if href and href not in sources:
                sources.append(str(href))
    return sources[:MAX_QUOTE_SOURCES]


# --- mentions -------------------------------------------------------------------------------------------

# @name: a username or a group's slug, not part of an email address or a path.
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9][A-Za-z0-9_.-]{0,38}[A-Za-z0-9]|[A-Za-z0-9])")


def _outside_links(children: list[Token]):
    """The text tokens of an inline run that are not inside a link, with their index."""
    in_link = 0
    for index, child in enumerate(children):
        in_link += (child.type == "link_open") - (child.type == "link_close")
        if child.type == "text" and not in_link:
            yield index, child


def _mentioned_names(tokens: list[Token]) -> set[str]:
    names: set[str] = set()
    quote_depth = 0
    for token in tokens:
        quote_depth += (token.type == "blockquote_open") - (token.type == "blockquote_close")
        if token.type == "inline" and token.children and not quote_depth:
            for _index, child in _outside_links(token.children):
                names.update(match.group(1).lower() for match in MENTION.finditer(child.content))
    return names


def _link_mentions(tokens: list[Token], targets: dict[str, str], mark: str) -> list[Token]:
    """The tokens with @name linked to the member's (or group's) page, outside code and links; the parsed
    tokens stay as they were."""
    if not targets:
        return tokens
    linked = []
    for token in tokens:
        if token.type == "inline" and token.children:
            children = list(token.children)
            for index, child in reversed(list(_outside_links(token.children))):
                children[index : index + 1] = _mention_tokens(child.content, targets, mark) or [child]
            token = token.copy(children=children)
        linked.append(token)
    return linked


def _mention_tokens(text: str, targets: dict[str, str], mark: str) -> list[Token]:
    """Split a text into text and links for the mentions whose names are in `targets` ([] if none)."""
    out, last = [], 0
    for match in MENTION.finditer(text):
        href = targets.get(match.group(1).lower())
        if href is None:
            continue
        if match.start() > last:
            out.append(Token("text", "", 0, content=text[last : match.start()]))
        out += [
            Token("link_open", "a", 1, attrs={"href": href, "class": mark + "mention"}),
            Token("text", "", 0, content=match.group(0)),
            Token("link_close", "a", -1),
        ]
        last = match.end()
    if out and last < len(text):
        out.append(Token("text", "", 0, content=text[last:]))
    return out
