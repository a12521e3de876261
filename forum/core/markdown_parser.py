"""The Markdown parser behind forum.core.markdown: CommonMark (markdown-it-py) with GitHub's extensions
(tables, strikethrough with one or two tildes, task lists, extended autolinks, footnotes), a time budget
checked inside every parser rule (so it holds in any thread), and nesting refused past its limit.

Classes and ids the renderer writes carry a per-render mark (`env[MARK]`) that member-written raw HTML
cannot know; the sanitizer keeps a class or id only with the mark, then removes it.
"""

import re
import time
from functools import wraps

from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import html_block
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin
from mdit_py_plugins.gfm_autolink._match import check_prev, match_any_email, match_http
from mdit_py_plugins.gfm_autolink.index import _www_inline_rule as _plugin_www_autolink

from forum.core.errors import DomainError

MAX_NESTING = 20

# Keys of the parse environment (markdown-it's `env`).
DEADLINE = "forum_deadline"
MARK = "forum_mark"
FOOTNOTE_KEY = "docId"  # the footnote plugin's name: ids become fn-<key>-1, so posts on one page do not clash


class MarkdownTooComplex(DomainError):
    pass


TOO_COMPLEX = _l("This text is too complex to display. Please simplify its formatting.")
TOO_DEEP = _l("This text is nested too deeply (quotes or lists inside each other). Please flatten it.")


def check_time(env) -> None:
    if time.monotonic() > env[DEADLINE]:
        raise MarkdownTooComplex(TOO_COMPLEX, field="raw")


def _timed(rule):
    @wraps(rule)
    def checked(state, *args):
        check_time(state.env)
        return rule(state, *args)

    return checked


def _time_every_rule(md: MarkdownIt) -> None:
    """Check the deadline before every core, block and inline rule: the slow inputs are many cheap rule calls
    (each `[` scanning ahead for its `]`), so this bounds the time to the budget plus one rule call."""
    for ruler in (md.core.ruler, md.block.ruler, md.inline.ruler, md.inline.ruler2):
        for rule in ruler.__rules__:
            rule.fn = _timed(rule.fn)
        ruler.__cache__ = None


def _refuse_deep_nesting(tokenize):
    """markdown-it skips, without a trace, whatever lies deeper than maxNesting: refuse it instead."""

    @wraps(tokenize)
    def checked(state, start_line, end_line):
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(start_line)
            if line < end_line and state.sCount[line] >= state.blkIndent:
                raise MarkdownTooComplex(TOO_DEEP, field="raw")
        tokenize(state, start_line, end_line)

    return checked


# --- autolinks ------------------------------------------------------------------------------------------

_PROTOCOL = re.compile(r"(https?|mailto|xmpp)$")
# Trimming trailing punctuation is quadratic in the link's length (a link followed by 30,000 ")" took a second
# in one rule call, where the time budget cannot see it): a bare address links its first 4,096 characters.
LONGEST_AUTOLINK = 4096


def _www_autolink(state, silent: bool) -> bool:
    """gfm_autolink's www. rule, looking no further than LONGEST_AUTOLINK characters ahead."""
    end = state.posMax
    state.posMax = min(end, state.pos + LONGEST_AUTOLINK)
    try:
        return _plugin_www_autolink(state, silent)
    finally:
        state.posMax = end


def _protocol_autolink(state, silent: bool) -> bool:
    """GFM autolinks after `http:`, `https:`, `mailto:` and `xmpp:`, as in mdit-py-plugins' gfm_autolink, whose
    rule searches all pending text at every ':' (a line of colons took 25 s); the name is in its last 6."""
    pos, src = state.pos, state.src
    if silent or state.linkLevel > 0 or src[pos] != ":" or state.posMax - pos < 4:
        return False
    found = _PROTOCOL.search(state.pending[-6:])
    if found is None:
        return False
    protocol = found.group(1)
    back = len(protocol)
    if pos - back > 0 and not check_prev(src[pos - back - 1]):
        return False
    combined = protocol + src[pos : min(state.posMax, pos + LONGEST_AUTOLINK)]
    matched = match_http(combined) if protocol.startswith("http") else match_any_email(combined, back + 1, protocol)
    if matched is None:
        return False
    url, length = matched
    href = state.md.normalizeLink(url)
    if not state.md.validateLink(href):
        return False
    state.pending = state.pending[:-back]
    state.push("link_open", "a", 1).attrs = {"href": href}
    state.push("text", "", 0).content = state.md.normalizeLinkText(combined[:length])
    state.push("link_close", "a", -1)
    state.pos += length - back
    return True


_EMAIL_START = re.compile(r"(?<![A-Za-z0-9.+_-])[A-Za-z0-9.+_-]+@")
_LONGEST_EMAIL = 320


def _email_autolinks(state) -> None:
    """GFM's bare email autolinks, found in whole text runs after parsing: gfm_autolink's inline rule sees
    only the text since the last `_`, so it linked first_last@example.org as last@example.org."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            children, in_link = [], 0
            for child in token.children:
                in_link += (child.type == "link_open") - (child.type == "link_close")
                found = _email_tokens(state, child.content) if child.type == "text" and not in_link else []
                children.extend(found or [child])
            token.children = children


def _email_tokens(state, text: str) -> list[Token]:
    out, last = [], 0
    for start in _EMAIL_START.finditer(text):
        check_time(state.env)
        if start.start() < last or (start.start() > 0 and not check_prev(text[start.start() - 1])):
            continue
        matched = match_any_email(text[start.start() : start.start() + _LONGEST_EMAIL], 0, None)
        href = state.md.normalizeLink(matched[0]) if matched else ""
        if not matched or not state.md.validateLink(href):
            continue
        end = start.start() + matched[1]
        out += [
            Token("text", "", 0, content=text[last : start.start()]),
            Token("link_open", "a", 1, attrs={"href": href}, markup="autolink", info="auto"),
            Token("text", "", 0, content=text[start.start() : end]),
            Token("link_close", "a", -1, markup="autolink", info="auto"),
        ]
        last = end
    if out and last < len(text):
        out.append(Token("text", "", 0, content=text[last:]))
    return [token for token in out if token.type != "text" or token.content]


# --- raw HTML -------------------------------------------------------------------------------------------

# GFM's "disallowed raw HTML" (plus noscript): elements whose content the browser reads as text, so that
# one of them would turn the rest of the post into literal text or swallow it. Their `<` is escaped.
RAW_TEXT_TAG = re.compile(
    r"<(?=/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|noscript|plaintext)(?:[\s/>]|$))", re.I
)
# CommonMark lets <script>, <style> and <textarea> start an HTML block that runs to their end tag (or the
# end of the post): with the tag escaped, that would show the rest of the post as unformatted text.
_RAW_TEXT_BLOCK = re.compile(r"<(?:script|style|textarea)(?:[\s>]|$)", re.I)


def _html_block_without_raw_text(state, start_line, end_line, silent) -> bool:
    if _RAW_TEXT_BLOCK.match(state.src, state.bMarks[start_line] + state.tShift[start_line]):
        return False
    return html_block(state, start_line, end_line, silent)


def _render_raw_html(self, tokens, idx, options, env) -> str:
    return RAW_TEXT_TAG.sub("&lt;", tokens[idx].content)


# --- classes and ids the renderer writes ----------------------------------------------------------------

def _alignment_to_class(state) -> None:
    """Tables align cells with inline styles, which our Content-Security-Policy forbids: use classes."""
    for token in state.tokens:
        style = token.attrGet("style") if token.attrs else None
        if style and style.startswith("text-align:"):
            token.attrs.pop("style")
            token.attrSet("class", "text-" + style.split(":", 1)[1])


def _mark_classes(state) -> None:
    mark = state.env[MARK]
    for token in state.tokens:
        for each in [token, *(token.children or ())]:
            if each.attrs.get("class"):
                each.attrs["class"] = " ".join(mark + name for name in str(each.attrs["class"]).split())


_CLASS_OR_ID = re.compile(r'\b(class|id)="')


def _marking(render):
    """A (bound) render rule that writes class="..." or id="..." itself (footnotes): mark them."""

    @wraps(render)
    def marked(self, tokens, idx, options, env):
        return _CLASS_OR_ID.sub(lambda m: f'{m.group(1)}="{env[MARK]}', render(tokens, idx, options, env))

    return marked


TASK_NAME_CHARS = 200  # a box's accessible name: the start of its item's text


def _task_text(tokens, idx) -> str:
    """The plain text of a task-list item's first paragraph (its inline content before any nested list)."""
    for token in tokens[idx + 1 :]:
        if token.type in {"list_item_close", "bullet_list_open", "ordered_list_open"}:
            return ""
        if token.type == "inline":
            text = " ".join("".join(
                " " if child.type.endswith("break") else child.content for child in token.children or ()
                if child.type in {"text", "code_inline", "image", "softbreak", "hardbreak"}
            ).split())
            return text if len(text) <= TASK_NAME_CHARS else text[: TASK_NAME_CHARS - 1].rstrip() + "…"
    return ""


def _render_list_item_open(self, tokens, idx, options, env) -> str:
    """A task-list item's box, shown and never usable as a form control, named by its item's text (a form
    control needs a name; the text beside it is not its label). A box with no text is hidden from assistive
    technology: there is nothing to say about it."""
    token = tokens[idx]
    html = self.renderToken(tokens, idx, options, env)
    if token.meta and "checked" in token.meta:
        checked = ' checked="checked"' if token.meta["checked"] else ""
        text = _task_text(tokens, idx)
        name = f' aria-label="{escapeHtml(text)}"' if text else ' aria-hidden="true"'
        html += f'<input class="{env[MARK]}task-list-item-checkbox" disabled="disabled" type="checkbox"{checked}{name}> '
    return html


def render_options(md: MarkdownIt, env) -> OptionsDict:
    """The parser's options with the fenced-code class marked (`language-python`, written from langPrefix)."""
    return OptionsDict({**md.options, "langPrefix": env[MARK] + "language-"})


def build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING, "tasklists": True, "strikethrough_single_tilde": True})
    md.enable(["table", "strikethrough"])
    md.use(gfm_autolink_plugin)
    md.inline.ruler.at("gfm_autolink_www", _www_autolink)
    md.inline.ruler.at("gfm_autolink_protocol", _protocol_autolink)
    md.inline.ruler.disable("gfm_autolink_email")
    md.use(footnote_plugin, inline=False)
    md.block.ruler.at("html_block", _html_block_without_raw_text, {"alt": ["paragraph", "reference", "blockquote"]})
    md.core.ruler.push("email_autolinks", _email_autolinks)
    md.core.ruler.push("alignment_to_class", _alignment_to_class)
    md.core.ruler.push("mark_classes", _mark_classes)
    for name in ("footnote_ref", "footnote_block_open", "footnote_open", "footnote_anchor"):
        md.add_render_rule(name, _marking(md.renderer.rules[name]))
    md.add_render_rule("list_item_open", _render_list_item_open)
    md.add_render_rule("html_block", _render_raw_html)
    md.add_render_rule("html_inline", _render_raw_html)
    _time_every_rule(md)
    md.block.tokenize = _refuse_deep_nesting(md.block.tokenize)
    return md
