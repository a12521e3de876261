"""Small text helpers shared by areas: slugs, and text without the characters that draw nothing."""

import re
import unicodedata

from markdown_it import MarkdownIt


def slugify(text: str, max_length: int = 80) -> str:
    """'Jyväskylä: learning cycles!' -> 'jyvaskyla-learning-cycles'; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "topic"


# Format (bidi controls, zero-width characters, soft hyphen), control, surrogate and private-use characters.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co"})
# Letters and marks that draw nothing, used to make a name or title look empty or like another.
BLANK_LETTERS = frozenset({"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u2800", "\u3164", "\uffa0"})


def visible_text(text: str, form: str = "NFC") -> str:
    """`text` normalised (NFC, or NFKC to fold full-width and other compatibility forms), without invisible
    characters, its runs of white space made single spaces."""
    text = unicodedata.normalize(form, text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in INVISIBLE_CATEGORIES and ch not in BLANK_LETTERS)
    return " ".join(text.split())


# Only the beginning of a post is read for an excerpt: a long post costs no more than a short one.
EXCERPT_SOURCE_CHARS = 2000
_commonmark = MarkdownIt("commonmark")


def plain_excerpt(raw: str, limit: int = 200) -> str:
    """The opening words of a post as plain text, from its Markdown (not from its HTML): the text of its
    paragraphs, headings, lists and links; no code blocks, images or raw HTML. For digests, banners, lists."""
    parts = []
    for token in _commonmark.parse(raw[:EXCERPT_SOURCE_CHARS]):
        if token.type != "inline":
            continue
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        parts.append(" ")
    text = visible_text("".join(parts))
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
