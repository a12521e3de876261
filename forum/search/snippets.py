"""Highlighted titles and snippets: the words of a search marked in the posts found.

Marking a snippet means analysing the whole post again, word by word, to find the words that matched.
Whoosh's analyzers are chains of generators (tokenizer, lower case, accents, stop words, stems), which cost
most of a search's snippet time; the analyzers here produce the same tokens in one pass (a test holds them
to documents.py's), and Whoosh's fragmenter and formatter do the rest, escaping the text around the marks.
"""

from functools import lru_cache

from markupsafe import Markup, escape
from whoosh import highlight, query
from whoosh.analysis import Token
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from forum.search.documents import STOP_WORDS

SNIPPET_CHARS = 240

_stem = lru_cache(maxsize=50_000)(stem)


def _tokens(stemmed: bool):
    """An analyzer like documents.stemming_analyzer() (or exact_analyzer()), for highlighting only: it keeps
    stop words in the stream, marked, as Whoosh's highlighter asks."""

    def analyze(text, mode="query", **_options):
        token = Token(positions=False, chars=True, removestops=False, mode=mode)
        for match in default_pattern.finditer(text):
            word = match.group().lower().translate(accent_map)
            token.stopped = stemmed and (len(word) < 2 or word in STOP_WORDS)
            token.text = _stem(word) if stemmed and not token.stopped else word
            token.startchar, token.endchar = match.start(), match.end()
            token.boost = 1.0
            yield token

    return analyze


STEMMED_TOKENS = _tokens(stemmed=True)
EXACT_TOKENS = _tokens(stemmed=False)
_ANALYZERS = {"title": STEMMED_TOKENS, "body": STEMMED_TOKENS, "words": EXACT_TOKENS, "title_words": EXACT_TOKENS}


class Snippets:
    """Marks the words of one search's query in titles and post texts."""

    def __init__(self, q):
        self.terms: dict[str, set[str]] = {}
        self._collect(q)
        # One formatter per search: it numbers the words it marks (term0, term1, …) as it goes.
        self.formatter = highlight.HtmlFormatter(tagname="mark", classname="hit", termclass="term", between=" … ")
        self.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)

    def _collect(self, q) -> None:
        if isinstance(q, query.Not):
            return  # an excluded word is not in the post
        if q.is_leaf():
            for field_name, text in q.terms(phrases=True):
                self.terms.setdefault(field_name, set()).add(text)
        for part in q.children():
            self._collect(part)

    def marked(self, text: str, field_name: str, words_field: str) -> Markup | None:
        """`text` with the words searched in `field_name` marked, or else those of `words_field` (the whole
        words a prefix* matched); None when none is in it."""
        for name in (field_name, words_field):
            if self.terms.get(name):
                marked = highlight.highlight(text, self.terms[name], _ANALYZERS[name], self.fragmenter,
                                             self.formatter, top=2)
                return Markup(marked) if marked else None
        return None

    @staticmethod
    def plain(text: str) -> Markup:
        """The start of `text`, when no word of the search is in it."""
        return escape(text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …")
