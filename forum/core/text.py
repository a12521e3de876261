"""Small text helpers shared by areas: slugs and the Markdown quote of a post."""

import re
import unicodedata


def slugify(text: str, max_length: int = 80) -> str:
    """'Jyväskylä: learning cycles!' -> 'jyvaskyla-learning-cycles'; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "topic"
