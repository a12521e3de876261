"""HTML mail to Markdown.

markdownify (MIT, maintained, built on BeautifulSoup) rather than html2text: html2text is GPL-3.0 and
converts a string in one go, while markdownify converts a BeautifulSoup tree, so trim.py can first remove
the quoted history from the same tree (Gmail's ``div.gmail_quote``, Outlook's ``#divRplyFwdMsg``...).
Images keep their ``cid:`` source so the receiver can point them at the uploads it makes of inline parts.
"""

import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction
from markdownify import MarkdownConverter

_NOT_CONTENT = ("script", "style", "head", "title", "meta", "link", "template", "object", "iframe")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


class _MailConverter(MarkdownConverter):
    def convert_img(self, el, text, parent_tags):
        if not (el.get("src") or "").startswith(("cid:", "http:", "https:")):
            return el.get("alt") or ""  # data: URIs and tracking pixels with no source are dropped
        return super().convert_img(el, text, parent_tags)


def soup_of(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_NOT_CONTENT):
        tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, Comment | Declaration | Doctype | ProcessingInstruction)):
        node.extract()
    return soup


def markdown_of(soup: BeautifulSoup) -> str:
    text = _MailConverter(heading_style="ATX", bullets="-", escape_misc=False).convert_soup(soup)
    text = text.replace("\xa0", " ")
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_markdown(html: str) -> str:
    """The whole HTML body as Markdown (nothing trimmed)."""
    if not html.strip():
        return ""
    return markdown_of(soup_of(html))
