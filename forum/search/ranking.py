"""Ranking matches a postings block at a time, for the queries members type most.

Whoosh scores each match by walking a tree of Python matcher objects, a few microseconds per posting and
field: a word found in one post in ten (10,000 of 100,000) costs about 40 ms, the whole budget of a search.
Here the same BM25F scores are summed from the same index into a dictionary, a block of postings at a time,
which is several times cheaper; the page is then picked with a heap. Words, AND, OR and "phrases" are
ranked here (a phrase is ranked as its words, then checked against the positions in the index only as far
down the ranking as the page needs); any other query raises Unsupported and is left to Whoosh. The tests
check these scores against Whoosh's own.
"""

import heapq
from bisect import bisect_left
from dataclasses import dataclass, field

from whoosh import query, scoring
from whoosh.reading import TermNotFound

from forum.search import segments
from forum.search.whoosh_compat import positions_in


class Unsupported(Exception):
    """A query this module does not rank; Whoosh ranks it instead."""


@dataclass
class Ranked:
    docnums: list[int]  # best (or newest) first, at most the limit asked for
    matched: int  # how many documents matched: a lower bound once phrases had to be checked
    positions: dict = field(default_factory=dict)  # what words_together() may reuse (see Positions)


class Positions(dict):
    """Encoded positions of terms read while scoring one search, so that checking which documents have the
    words together does not read the same postings blocks again: {positions_key: (ids, values)}."""

    def __init__(self, wanted=()):
        super().__init__()
        self.wanted = set(wanted)  # (field, term) whose positions to keep


def rank(searcher, q, limit: int, mask: set[int], allow: set[int] | None = None,
         newest_first: bool = False, together: list[str] = ()) -> Ranked:
    """The first `limit` documents matching `q`, leaving out `mask` and, with `allow`, keeping only those.
    `together`: words whose positions the caller will check (in title and body) afterwards."""
    if not searcher.doc_count_all():
        return Ranked([], 0)
    phrases, words = _phrase_groups(q)
    positions = Positions(
        [(f, w) for alternatives in phrases for f, terms in alternatives for w in terms]
        + [(f, w) for f in ("title", "body") for w in together]
    )
    scorers = _Scorers(searcher, positions)
    scores = scorers.scores(words, allow)
    leave_out = mask | segments.deleted(searcher)
    candidates = [d for d in scores if d not in leave_out]
    if allow is not None:
        candidates = [d for d in candidates if d in allow]
    if newest_first:
        dates = segments.created(searcher)
        key = dates.__getitem__
    else:
        key = scores.__getitem__  # ties: Whoosh puts the lower document number first, and so does a stable sort
        candidates.sort()
    if not phrases:
        return Ranked(heapq.nlargest(limit, candidates, key=key), len(candidates), positions)
    return _checked(searcher, phrases, candidates, key, limit, positions)


def matching(searcher, q) -> set[int]:
    """Every document matching `q`, unranked (deleted ones included: callers use this to leave documents
    out, as -excluded words do)."""
    try:
        return _documents(searcher, q)
    except Unsupported:
        return set(searcher.docs_for_query(q))


def _documents(searcher, q) -> set[int]:
    kind = type(q)
    if kind is query.Term:
        found = set()
        for leaf, offset in searcher.leaf_searchers():
            if leaf.reader().segment() is not None:
                found.update(d + offset for d in segments.postings(leaf, q.fieldname, q.text)[0])
        return found
    if kind is query.Or and not q.minmatch:
        return set().union(*(_documents(searcher, part) for part in q.subqueries))
    if kind is query.And:
        return set.intersection(*(_documents(searcher, part) for part in q.subqueries))
    raise Unsupported(kind.__name__)


# --- phrases --------------------------------------------------------------------------------------------

def _phrase_groups(q):
    """([alternatives of (field, words)] for each "phrase" the query requires, the query with its phrases
    read as plain words). Phrases are handled only where every match must have them: the whole query, or
    the parts of a top-level AND (a phrase in several fields is an OR of the same phrase per field)."""
    parts = list(q.subqueries) if type(q) is query.And else [q]
    groups = []
    relaxed = []
    for part in parts:
        alternatives = _phrase_alternatives(part)
        if alternatives:
            groups.append(alternatives)
            words = [query.And([query.Term(field, w) for w in terms]) for field, terms in alternatives]
            relaxed.append(words[0] if len(words) == 1 else query.Or(words))
        else:
            relaxed.append(part)
    if not groups:
        return [], q
    _no_phrases(relaxed)
    return groups, relaxed[0] if len(relaxed) == 1 else query.And(relaxed)


def _phrase_alternatives(part) -> list[tuple[str, list[str]]]:
    phrases = part.subqueries if type(part) is query.Or else [part]
    if not all(type(p) is query.Phrase for p in phrases):
        return []
    for p in phrases:
        if p.slop != 1 or p.boost != 1:
            raise Unsupported("phrase with slop or boost")
    return [(p.fieldname, list(p.words)) for p in phrases]


def _no_phrases(parts) -> None:
    for part in parts:
        if any(isinstance(q, query.Phrase) for q in part.leaves()) or isinstance(part, query.Phrase):
            raise Unsupported("a phrase inside OR or NOT")


def _checked(searcher, phrases, candidates: list[int], key, limit: int, positions: Positions) -> Ranked:
    """The best `limit` candidates that have every phrase, checked down the ranking in batches four times
    larger each time (each batch reads the terms' position blocks once, whatever its size)."""
    ranked = heapq.nlargest(max(4 * limit, 64), candidates, key=key)
    if len(ranked) < len(candidates):
        ranked += sorted(set(candidates) - set(ranked), key=key, reverse=True)
    found = []
    start, size = 0, max(4 * limit, 64)
    while start < len(ranked) and len(found) < limit:
        batch = ranked[start:start + size]
        holding = _with_phrases(searcher, phrases, batch, positions)
        found += [d for d in batch if d in holding]
        start, size = start + size, size * 4
    return Ranked(found[:limit], len(found), positions)


def _with_phrases(searcher, phrases, docnums, positions: Positions) -> set[int]:
    passing = set(docnums)
    for alternatives in phrases:
        holding = set()
        for field_name, terms in alternatives:
            holding |= words_together(searcher, field_name, terms, passing - holding, positions)
        passing &= holding
    return passing


def words_together(searcher, fieldname: str, terms: list[str], docnums, known: Positions | None = None) -> set[int]:
    """Which of `docnums` have `terms` next to each other, in this order, in `fieldname` (read from the
    positions in the index, for these documents only, or from those `known` already). Each word is read
    only for the documents where the words before it still stand together."""
    together = set()
    wanted = sorted(docnums)
    decode = searcher.schema[fieldname].format.decoder("positions")
    for leaf, offset in searcher.leaf_searchers():
        size = leaf.reader().doc_count_all()
        local = [d - offset for d in wanted[bisect_left(wanted, offset):bisect_left(wanted, offset + size)]]
        starts: dict[int, set[int]] = {}  # document: where the words so far begin, standing together
        for i, term in enumerate(terms):
            if not local:
                break
            kept = known.get(segments.positions_key(leaf, fieldname, term)) if known else None
            if kept is not None:
                found = _kept_positions(kept, local, decode)
            else:
                try:
                    found = positions_in(leaf.reader().postings(fieldname, term), local)
                except TermNotFound:
                    break
            if i == 0:
                starts = {d: set(p) for d, p in found.items()}
            else:
                starts = {d: {p - i for p in found[d]} & starts[d] for d in local if d in found}
            local = [d for d in local if starts.get(d)]
        else:
            together.update(d + offset for d in local)
    return together


def _kept_positions(kept, local: list[int], decode) -> dict[int, list[int]]:
    ids, values = kept
    found = {}
    for docnum in local:
        at = bisect_left(ids, docnum)
        if at < len(ids) and ids[at] == docnum:
            found[docnum] = decode(values[at])
    return found


# --- scores ---------------------------------------------------------------------------------------------

class _Scorers:
    """BM25F scores of documents for a query of words, AND and OR, as Whoosh's BM25F computes them."""

    def __init__(self, searcher, positions: Positions):
        if type(searcher.weighting) is not scoring.BM25F:
            raise Unsupported("another weighting model")
        self.searcher = searcher
        self.positions = positions

    def scores(self, q, only: set[int] | None = None) -> dict[int, float]:
        """{document: score} for `q`; with `only`, documents outside it may be left out (they are filtered
        later anyway) when that saves work."""
        if q.boost != 1:
            raise Unsupported("boost")
        kind = type(q)
        if kind is query.Term:
            return self.term(q.fieldname, q.text, only)
        if kind is query.And:
            return self.all_of(q.subqueries, only)
        if kind is query.Or and not q.scale and not q.minmatch:
            return self.any_of(q.subqueries, only)
        if kind is query.Every and q.fieldname in (None, "*"):
            return dict.fromkeys(self.every() if only is None else only, 0.0)
        raise Unsupported(kind.__name__)

    def all_of(self, parts, only):
        parts = sorted(parts, key=self.estimate)
        found = self.scores(parts[0], only)
        for part in parts[1:]:
            if not found:
                break
            more = self.scores(part, found.keys())
            found = {d: s + more[d] for d, s in found.items() if d in more}
        return found

    def any_of(self, parts, only):
        found, *others = sorted((self.scores(part, only) for part in parts), key=len, reverse=True)
        for other in others:  # the smaller ones into the largest
            for d, s in other.items():
                found[d] = found.get(d, 0.0) + s
        return found

    def every(self):
        return range(self.searcher.doc_count_all())

    def estimate(self, q) -> int:
        """About how many documents `q` matches: the cheapest part of an AND goes first."""
        kind = type(q)
        if kind is query.Term:
            return self.searcher.doc_frequency(q.fieldname, q.text)
        if kind is query.And:
            return min(map(self.estimate, q.subqueries))
        if kind is query.Or:
            return sum(map(self.estimate, q.subqueries))
        return self.searcher.doc_count_all()

    def term(self, fieldname: str, text: str, only) -> dict[int, float]:
        searcher = self.searcher
        try:
            scorer = searcher.weighting.scorer(searcher, fieldname, text)
        except TermNotFound:  # in no segment at all
            return {}
        if isinstance(scorer, scoring.BM25FScorer):
            # bm25(idf, tf, fl, avgfl, B, K1) = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * fl / avgfl)),
            # with the constant parts worked out once per term.
            top = scorer.idf * (scorer.K1 + 1)
            base = scorer.K1 * (1 - scorer.B)
            per_length = scorer.K1 * scorer.B / scorer.avgfl
        elif not isinstance(scorer, scoring.WeightScorer):  # WeightScorer: a field without lengths scores its weight
            raise Unsupported(type(scorer).__name__)
        keep = self.positions if (fieldname, text) in self.positions.wanted else None
        found: dict[int, float] = {}
        for leaf, offset in searcher.leaf_searchers():
            ids, weights = segments.postings(leaf, fieldname, text, keep_values=keep)
            if not ids:
                continue
            picked = _picked(ids, weights, offset, only)
            if isinstance(scorer, scoring.WeightScorer):
                found.update((d + offset, w) for d, w in picked)
            else:
                lengths = segments.field_lengths(leaf, fieldname)
                found.update((d + offset, top * w / (w + base + per_length * lengths[d])) for d, w in picked)
        return found


def _picked(ids, weights, offset: int, only):
    """The (document, weight) postings of a segment, all or (when that saves work) only those in `only`."""
    if only is None:
        return zip(ids, weights, strict=True)
    if len(only) * 8 < len(ids):  # a few wanted documents: look each up
        picked = []
        for docnum in only:
            local = docnum - offset
            at = bisect_left(ids, local)
            if at < len(ids) and ids[at] == local:
                picked.append((local, weights[at]))
        return picked
    return ((d, w) for d, w in zip(ids, weights, strict=True) if d + offset in only)
