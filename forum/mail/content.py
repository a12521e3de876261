"""A post's content made safe for an email: its cooked HTML cleaned again for a mail client, and its raw Markdown
for the text part.

Mail clients are not browsers: a page's relative links mean nothing in an inbox, an image that loads on open
tells its host who read what and when, and a long post should not become a long email. So every link is made
absolute (at the post's address, itself at FORUM_BASE_URL), every image becomes a link named by its alt text
(nothing is fetched when the email is opened, not even our own uploads), nothing that runs or restyles
survives, and the content is capped, with a flag for the caller's "read more" link.
"""

import re
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import nh3
from markupsafe import Markup

# What a post may show in an email: text structure, links, tables and code. No images, forms or frames.
EMAIL_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "summary", "div", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
EMAIL_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},  # read by the image pass below, which replaces every <img>
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "abbr": {"title"},
}
# Removed with everything inside them (other unknown tags go, their text stays).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "form"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"
# Characters of cleaned HTML an email shows before "read more"; of raw Markdown for the text part.
MAX_HTML = 20_000
MAX_TEXT = 8_000

# nh3's output is serialised by html5ever: every tag is regular, every attribute name="value".
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'([^\s"\'>/=]+)(?:="([^"]*)")?')


class EmailContent(NamedTuple):
    html: Markup
    text: str
    truncated: bool


def _absolute(base: str):
    """nh3 attribute filter: links and image sources resolved against `base` (an absolute URL)."""

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src"):
            return value
        resolved = urljoin(base, value.strip())
        return resolved if urlsplit(resolved).scheme in URL_SCHEMES else None

    return keep


def _clean(html: str, base: str) -> str:
    return nh3.clean(
        html,
        tags=EMAIL_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=EMAIL_ATTRIBUTES,
        attribute_filter=_absolute(base),
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _images_as_links(html: str) -> str:
    """Every <img> becomes a link to the image named by its alt text (inside a link: just the text)."""
    parts, last, in_link = [], 0, 0
    for tag in _TAG.finditer(html):
        closing, name = tag.group(1), tag.group(2).lower()
        if name == "a":
            in_link = max(in_link + (-1 if closing else 1), 0)
        if name != "img":
            continue
        values = dict(_ATTRIBUTE.findall(tag.group(3)))
        src, alt = values.get("src", ""), values.get("alt", "")
        # The attribute value is escaped for an attribute; as text, < and > must be too.
        label = "[{}]".format((alt or "image").replace("<", "&lt;").replace(">", "&gt;"))
        if src and not in_link:
            label = f'<a href="{src}" rel="{LINK_REL}">{label}</a>'
        parts += [html[last : tag.start()], label]
        last = tag.end()
    return "".join(parts) + html[last:] if parts else html


def _cut_html(html: str, limit: int) -> str:
    """The first `limit` characters, cut back out of any tag or entity they would split."""
    cut = html[:limit]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut


def _cut_text(text: str, limit: int) -> str:
    """The first `limit` characters, ending at a word."""
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + " …"


def html_for_email(cooked: str, base: str, limit: int = MAX_HTML) -> tuple[Markup, bool]:
    """(HTML safe to put in an email, whether it was cut short): `base` is the absolute URL of the post,
    against which its relative links resolve."""
    html = _images_as_links(_clean(cooked, base))
    if len(html) <= limit:
        return Markup(html), False
    # Cleaning the cut text again closes the elements the cut left open.
    return Markup(_images_as_links(_clean(_cut_html(html, limit), base))), True


def text_for_email(raw: str, limit: int = MAX_TEXT) -> tuple[str, bool]:
    """(The post as its author typed it, whether it was cut short): Markdown is readable as it is."""
    raw = raw.replace("\r\n", "\n").strip()
    if len(raw) <= limit:
        return raw, False
    return _cut_text(raw, limit), True


def post_content(raw: str, cooked: str, base: str) -> EmailContent:
    """Both parts of a post for an email, cut short together (a "read more" link follows either)."""
    html, html_cut = html_for_email(cooked, base)
    text, text_cut = text_for_email(raw)
    return EmailContent(html, text, html_cut or text_cut)
