"""Keep only what the member wrote: quoted history, signatures and disclaimers are removed.

mail-parser-reply does the generic work; it scored best of the maintained libraries on the shared fixtures
(README, "Reply-by-mail: quoted-text removal"): email-reply-parser scored a little higher but has had no
release since 2020 and knows only English, and quotequail found few quote headers. Our own rules, all in
rules.py, run first and after it for what it misses. HTML-only mail is trimmed in its DOM (Gmail, Apple
Mail, Thunderbird, Outlook and Yahoo mark their quotes there) before it becomes Markdown.
"""

import re

from bs4 import BeautifulSoup, Tag
from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

from forum.mail.inbound import rules
from forum.mail.inbound.htmltext import markdown_of, soup_of

# Quote containers the clients mark in HTML: removed with everything inside.
_HTML_QUOTES = (
    "blockquote[type=cite]",
    "div.gmail_quote",
    "div.gmail_quote_container",
    "div.gmail_signature",
    "div.moz-cite-prefix",
    "div.moz-signature",
    "div.yahoo_quoted",
    "#OLK_SRC_BODY_SECTION",
    "#Signature",
    "div.ms-outlook-mobile-signature",
)
# Dividers after which everything is the earlier message (Outlook desktop and on the web, Hotmail).
_HTML_DIVIDERS = (
    "#divRplyFwdMsg",
    "#appendonsend",
    "hr#stopSpelling",
    "div.OutlookMessageHeader",
    "div[style*='border-top:solid #E1E1E1']",
    "div[style*='border-top: solid #E1E1E1']",
    "div[style*='border-top:solid #B5C4DF']",
    "div[style*='border-top: solid #B5C4DF']",
)
_MAX_LIBRARY_CHARS = 200_000
_PARSER = EmailReplyParser(languages=list(MAIL_LANGUAGES))
_HEADER_LOOKAHEAD = 6
_SIGNATURE_MAX_LINES = 35


def trim_reply(text: str | None, html: str | None = None) -> str:
    """The member's own words as Markdown, from the text body or, when there is none, the HTML one."""
    if (text is None or not text.strip()) and html:
        return trim_html(html)
    return trim_text(text or "")


def trim_html(html: str) -> str:
    soup = soup_of(html)
    _remove_html_quotes(soup)
    return trim_text(markdown_of(soup))


def trim_text(text: str) -> str:
    text = rules.ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    lines = text.split("\n")
    start = quote_start(lines)
    if start is not None:
        before = "\n".join(lines[:start])
        if not before.strip():
            return _below_quote(lines, start)
        text = before
    text = _library(text)
    return _clean_tail(text)


def quote_start(lines: list[str]) -> int | None:
    """The index of the line where quoted history begins, by our own rules, or None."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if rules.FINNISH_QUOTE_HEADER.match(stripped) or rules.DATED_ADDRESS_HEADER.match(stripped):
            return index
        if rules.DIVIDERS.match(stripped):
            return index
        header_start = _quote_header_start(lines, index)
        if header_start is not None:
            return header_start
        if rules.UNDERSCORE_LINE.match(stripped) and _is_header_block(lines, _next_filled(lines, index + 1)):
            return index
        if _is_header_block(lines, index):
            return index
    return None


def _quote_header_start(lines: list[str], end: int) -> int | None:
    """Where a quote header ending with "wrote:" (or a translation) on line ``end`` starts, or None.

    Headers wrap: "On Tue, ... John <" / "john@example.com> wrote:", or Gmail on Android's
    "On ..." / "" / "<mailto:...>" / "> wrote:". Walking up from the verb, a line that starts like a header
    ("On <date>", a date) is the start; else the nearest line up to which the text names an address or a date.
    """
    line = lines[end].rstrip()
    bare = not line.endswith((":", "：", "-")) and bool(rules.QUOTE_HEADER_VERB_BARE.search(line))
    if not bare and not line.endswith((":", "：", "-")):
        return None
    fallback, crossed_blank = None, False
    for start in range(end, max(-1, end - _HEADER_LOOKAHEAD), -1):
        if not lines[start].strip():
            crossed_blank = True
            continue
        joined = " ".join(line.strip() for line in lines[start : end + 1] if line.strip())
        if len(joined) > 400:
            break
        if bare:
            if rules.QUOTE_HEADER_START.match(lines[start]) and rules.QUOTE_HEADER_VERB_BARE.search(joined):
                return start
            continue
        if not (rules.QUOTE_HEADER_VERB.search(joined) or rules.ADDRESS_COLON_HEADER.match(joined)):
            continue
        if rules.QUOTE_HEADER_START.match(lines[start]):
            return start
        if fallback is None and not crossed_blank and re.search(r"[@\d]", joined):
            fallback = start
    return fallback


def _is_header_block(lines: list[str], index: int | None) -> bool:
    """Outlook's "From: / Sent: / To: / Subject:" block: a From line and two more fields right below."""
    if index is None or index >= len(lines) or not rules.HEADER_BLOCK_FROM.match(lines[index]):
        return False
    fields = sum(1 for line in lines[index + 1 : index + 7] if rules.HEADER_BLOCK_FIELD.match(line))
    return fields >= 2


def _next_filled(lines: list[str], index: int) -> int | None:
    return next((i for i in range(index, min(len(lines), index + 3)) if lines[i].strip()), None)


def _below_quote(lines: list[str], start: int) -> str:
    """Nothing above the quote: a bottom-posted reply below it, or a forward whose content is the message."""
    rest = lines[start + 1 :]
    body_start = _next_filled(rest, 0)
    if body_start is not None and _is_header_line(rest[body_start]):
        while body_start < len(rest) and rest[body_start].strip():
            body_start += 1  # the forwarded message's header paragraph, folded lines included
    rest = rest[body_start or 0 :]
    quoted = 0
    while quoted < len(rest) and (rest[quoted].lstrip().startswith(">") or not rest[quoted].strip()):
        quoted += 1
    below = "\n".join(rest[quoted:])
    if quoted and below.strip():
        return trim_text(below)  # bottom-posting: the reply follows the quoted block
    if not quoted and below.strip():
        return trim_text(below)  # a forward: what was forwarded is the message
    return ""


def _is_header_line(line: str) -> bool:
    return bool(rules.HEADER_BLOCK_FROM.match(line) or rules.HEADER_BLOCK_FIELD.match(line))


def _library(text: str) -> str:
    if len(text) > _MAX_LIBRARY_CHARS or not text.strip():
        return text
    reply = _PARSER.parse_reply(text=text)
    return reply if reply.strip() else text


def _clean_tail(text: str) -> str:
    lines = text.split("\n")
    unquoted = list(lines)
    while unquoted and (not unquoted[-1].strip("-_=* \t") or unquoted[-1].lstrip().startswith(">")):
        unquoted.pop()  # a quote left at the bottom without its header
    if any(line.strip() for line in unquoted):
        lines = unquoted  # (a message that is only a quote stays as it is)
    for index, line in enumerate(lines):
        if index > 0 and len(lines) - index <= _SIGNATURE_MAX_LINES and (
            rules.SIGNATURE_DELIMITER.match(line) or rules.MOBILE_SIGNATURE.match(line.strip())
        ):
            lines = lines[:index]
            break
    return _drop_disclaimers("\n".join(lines)).strip()


def _drop_disclaimers(text: str) -> str:
    paragraphs = re.split(r"\n[ \t]*\n", text)
    kept = [p for p in paragraphs if not rules.DISCLAIMER.match(p.strip().replace("\n", " "))]
    return "\n\n".join(kept)


def _remove_html_quotes(soup: BeautifulSoup) -> None:
    for selector in _HTML_DIVIDERS:
        for element in soup.select(selector):
            if isinstance(element, Tag) and element.parent is not None:
                _cut_from(element)
    for selector in _HTML_QUOTES:
        for element in soup.select(selector):
            element.decompose()


def _cut_from(element: Tag) -> None:
    """Remove an element and everything after it in document order."""
    for node in list(element.next_elements):
        node.extract()
    element.extract()
