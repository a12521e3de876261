"""forum.search.ranking ranks as Whoosh does, only faster: checked here against Whoosh's own matchers on an
index of several segments, with deletions, and terms long enough to span many postings blocks."""

import random
from datetime import datetime, timedelta

import pytest
from whoosh import index as whoosh_index
from whoosh import query

from forum.search import ranking, segments
from forum.search.documents import make_schema
from forum.search.query import parse_search, text_query

WORDS = ("learning system budget council health school experiment trust story data team cycle "
         "reflection workshop design launch evidence purpose relationship practice").split()


def _document(n: int, rng: random.Random) -> dict:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40)))
    doc = {
        "key": f"p{n}", "kind": "post", "topic_id": str(n // 5), "category": str(n % 4), "author": f"u{n % 7}",
        "first": "y" if n % 5 == 0 else "n", "status": "open", "body": body, "words": body,
        "created": datetime(2026, 1, 1) + timedelta(hours=n),
    }
    if n % 5 == 0:
        doc["title"] = doc["title_words"] = " ".join(rng.sample(WORDS, 3))
    return doc


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """1,200 posts in three segments, some deleted (so postings still hold documents that must not match)."""
    rng = random.Random(7)
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("ranking-index")), make_schema())
    for start, end in ((0, 800), (800, 1100), (1100, 1200)):  # three commits, not merged: three segments
        writer = ix.writer()
        for n in range(start, end):
            writer.add_document(**_document(n, rng))
        writer.commit(merge=False)
    writer = ix.writer()
    for n in (3, 5, 801, 1150):
        writer.delete_by_term("key", f"p{n}")
    writer.commit(merge=False)
    with ix.searcher() as opened:
        assert len(opened.leaf_searchers()) >= 3
        yield opened


def _whoosh(searcher, q, limit, mask=frozenset(), newest_first=False):
    """Whoosh's own ranking, exact: its top-N collector may leave out parts of a query for speed (a matcher
    "replaced" once the N-th score is high enough), so every match is scored and sorted here."""
    if newest_first:
        return [(0, hit.docnum) for hit in searcher.search(q, limit=limit, mask=set(mask), sortedby="created",
                                                           reverse=True)]
    every = [(round(hit.score, 4), hit.docnum) for hit in searcher.search(q, limit=None, mask=set(mask))]
    return sorted(every, key=lambda item: (-item[0], item[1]))[:limit]


def _query(searcher, text):
    return text_query(parse_search(text), searcher.schema).normalize()


@pytest.mark.parametrize("text", [
    "learning", "budget council", "trust story data", "health OR school", "design -launch",
    "evidence purpose relationship practice", "cycle OR (team story)",
])
def test_scores_and_order_are_whoosh_s(searcher, text):
    q = _query(searcher, text)
    if "-" in text:  # an excluded word is applied as part of the mask by the search service
        kept, (excluded,) = q.subqueries[0], [part.query for part in q.subqueries if isinstance(part, query.Not)]
        mask = ranking.matching(searcher, excluded)
        q = kept
    else:
        mask = set()
    mask |= {d for d in range(searcher.doc_count_all()) if d % 9 == 0}  # as permissions would leave some out
    expected = _whoosh(searcher, q, 50, mask)
    ranked = ranking.rank(searcher, q, 50, mask)
    assert len(expected) > 10
    # The same scores, rank by rank (documents with equal scores may come in either order).
    whoosh_scores = {hit.docnum: round(hit.score, 4) for hit in searcher.search(q, limit=None, mask=mask)}
    assert [whoosh_scores[d] for d in ranked.docnums] == [score for score, _docnum in expected]
    assert ranked.matched == len(whoosh_scores)


def test_filters_and_newest_first_are_whoosh_s(searcher):
    q = query.And([_query(searcher, "workshop"), query.Term("author", "u3"), query.Term("first", "n")])
    expected = _whoosh(searcher, q, 30, newest_first=True)
    assert len(expected) == 30
    assert [d for _s, d in expected] == ranking.rank(searcher, q, 30, set(), newest_first=True).docnums


def test_deleted_documents_never_come_back(searcher):
    deleted = {searcher.document_number(key=f"p{n}") for n in (3, 5, 801, 1150)} - {None}
    everything = ranking.rank(searcher, query.Every(), 5000, set())
    assert everything.matched == 1200 - 4
    assert not deleted & set(everything.docnums)
    assert not deleted & ranking.matching(searcher, _query(searcher, "learning OR system OR budget"))


@pytest.mark.parametrize("words", ["budget council", "trust story data"])
def test_a_phrase_needs_its_words_together_in_order(searcher, words):
    q = _query(searcher, f'"{words}"')
    expected = {hit.docnum for hit in searcher.search(q, limit=None)}
    ranked = ranking.rank(searcher, q, 5000, set())
    assert expected and set(ranked.docnums) == expected
    loose = {hit.docnum for hit in searcher.search(_query(searcher, words), limit=None)}
    assert len(loose) > len(expected)  # the words apart match the plain query, not the phrase


def test_the_top_of_a_phrase_search_is_the_best_of_those_with_the_phrase(searcher):
    q = _query(searcher, '"story data" team')
    everything = ranking.rank(searcher, q, 5000, set()).docnums
    assert ranking.rank(searcher, q, 3, set()).docnums == everything[:3]


def test_queries_it_does_not_rank_are_left_to_whoosh(searcher):
    scaled = query.Or([query.Term("body", "trust"), query.Term("body", "stori")], scale=0.9)
    with pytest.raises(ranking.Unsupported):
        ranking.rank(searcher, scaled, 10, set())
    with pytest.raises(ranking.Unsupported):
        ranking.rank(searcher, query.Or([query.Phrase("body", ["trust", "stori"]), query.Term("body", "data")]),
                     10, set())


def test_cached_postings_give_the_same_ranking(searcher):
    q = _query(searcher, "reflection workshop")
    segments.forget_postings()
    cold = ranking.rank(searcher, q, 40, set()).docnums
    warm = ranking.rank(searcher, q, 40, set()).docnums
    assert len(cold) == 40 and cold == warm
