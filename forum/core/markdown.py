"""Markdown to safe HTML: CommonMark (markdown-it-py) plus tables, strikethrough, task lists and
autolinks, sanitised with nh3. Posts are rendered once, at write time.

Limits on untrusted input: the text length is capped by the caller (FORUM_MAX_POST_CHARS), nesting by
markdown-it's `maxNesting`, and, where the platform allows it (the main thread of a process, as in
gunicorn's sync workers and the CLI), rendering time by an interval timer.
"""

import re
import signal
import threading
from contextlib import contextmanager

import nh3
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

from forum.core.errors import DomainError

MAX_NESTING = 20
MAX_SCAN_CHARS = 100_000
RENDER_SECONDS = 2.0

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "summary", "div", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "label",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "input": {"checked"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "abbr": {"title"},
}
ALLOWED_CLASSES = {
    "td": {"text-left", "text-center", "text-right"},
    "th": {"text-left", "text-center", "text-right"},
    "li": {"task-list-item"},
    "ul": {"contains-task-list"},
    "ol": {"contains-task-list"},
    "input": {"task-list-item-checkbox"},
    "a": {"mention"},
    "blockquote": {"quote"},
    "p": {"quote-source"},
}
# Task-list boxes are shown, never used as form controls.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener noreferrer"


class MarkdownTooComplex(DomainError):
    pass


# @name: a username or a group's slug, not part of an email address or a path.
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9][A-Za-z0-9_.-]{0,38}[A-Za-z0-9]|[A-Za-z0-9])")


def _mention_tokens(text: str, targets: dict[str, str]) -> list[Token]:
    """Split a text token into text and links for the mentions whose names are in `targets`."""
    out, last = [], 0
    for match in MENTION.finditer(text):
        href = targets.get(match.group(1).lower())
        if href is None:
            continue
        if match.start() > last:
            out.append(_text_token(text[last : match.start()]))
        link_open = Token("link_open", "a", 1)
        link_open.attrs = {"href": href, "class": "mention"}
        out += [link_open, _text_token(match.group(0)), Token("link_close", "a", -1)]
        last = match.end()
    if out and last < len(text):
        out.append(_text_token(text[last:]))
    return out


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link_mentions(state) -> None:
    """Turn @name into a link to the member's (or group's) page, outside code and existing links."""
    targets = state.env.get("mention_links") if isinstance(state.env, dict) else None
    if not targets:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for child in block.children:
            in_link += child.type == "link_open"
            in_link -= child.type == "link_close"
            linked = _mention_tokens(child.content, targets) if child.type == "text" and not in_link else []
            children.extend(linked or [child])
        block.children = children


def extract_mentions(text: str) -> set[str]:
    """Lower-cased @names in `text`, leaving out code and quotes (quoting a mention does not notify)."""
    names: set[str] = set()
    quote_depth = 0
    for token in _parser.parse(text[:MAX_SCAN_CHARS]):
        quote_depth += (token.type == "blockquote_open") - (token.type == "blockquote_close")
        if token.type != "inline" or quote_depth or not token.children:
            continue
        in_link = 0
        for child in token.children:
            in_link += (child.type == "link_open") - (child.type == "link_close")
            if child.type == "text" and not in_link:
                names.update(m.group(1).lower() for m in MENTION.finditer(child.content))
    return names


def _alignment_to_class(state) -> None:
    """Tables align cells with inline styles, which our Content-Security-Policy forbids: use classes."""
    for token in state.tokens:
        style = token.attrGet("style") if token.attrs else None
        if style and style.startswith("text-align:"):
            token.attrs.pop("style")
            token.attrSet("class", "text-" + style.split(":", 1)[1])


def _render_image(self, tokens, idx, options, env):
    """Images from other sites become links: loading them would tell a third party who reads what."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if src.startswith(("http://", "https://", "//")):
        alt = self.renderInlineAsText(token.children or [], options, env) or src
        return f'<a href="{escapeHtml(src)}">{escapeHtml(alt)}</a>'
    return self.image(tokens, idx, options, env)


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": True, "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough", "linkify"])
    md.use(tasklists_plugin)
    md.core.ruler.push("alignment_to_class", _alignment_to_class)
    md.core.ruler.push("link_mentions", _link_mentions)
    md.add_render_rule("image", _render_image)
    return md


_parser = _build_parser()


def sanitize(html: str) -> str:
    """Remove everything from `html` that could run script, load third-party content or restyle the page."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        set_tag_attribute_values=FORCED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


@contextmanager
def _time_limit(seconds: float):
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise MarkdownTooComplex(_l("This text is too complex to display. Please simplify its formatting."))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_markdown(text: str, mention_links: dict[str, str] | None = None) -> str:
    """Render member-written Markdown to sanitised HTML ready to store as a post's cooked HTML.
    `mention_links` maps lower-cased @names that exist to the page they link to."""
    with _time_limit(RENDER_SECONDS):
        html = _parser.render(text, {"mention_links": mention_links or {}})
    return sanitize(html)
