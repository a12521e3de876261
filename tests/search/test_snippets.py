"""Snippets mark the words the index matched: their one-pass analyzers must read text as the index does."""

import pytest

from forum.search.documents import exact_analyzer, stemming_analyzer
from forum.search.snippets import EXACT_TOKENS, STEMMED_TOKENS

TEXTS = [
    "Experiments in Jyväskylä: the learning cycles we ran, and what Hämeenlinna's team learnt (2026).",
    "A & B — it's the co-production of U.K. public-sector services; e.g. trust-based commissioning… ok?",
    "Öljy, ÅLAND, straße, naïve café, I/O, x, 3.14, don't, experimenting*, self-organising systems",
]


def _tokens(analyzer, text):
    return [(t.text, t.startchar, t.endchar, bool(t.stopped))
            for t in analyzer(text, chars=True, mode="query", removestops=False)]


@pytest.mark.parametrize("text", TEXTS)
def test_snippet_analyzers_read_text_as_the_index_does(text):
    assert _tokens(STEMMED_TOKENS, text) == _tokens(stemming_analyzer(), text)
    assert _tokens(EXACT_TOKENS, text) == _tokens(exact_analyzer(), text)
