"""Facts about index segments, worked out once per segment and kept.

A segment's documents never change (a deletion only marks one), so what is computed from a segment stays
right until a merge retires it. A searcher reopened after a drain then works out only the new, small
segments, instead of the whole index. Values are kept in the segment's own document numbers: a merge of
other segments moves where a segment's numbers start in the index (its offset), not the segment itself.
"""

import threading
from array import array
from collections import OrderedDict

from whoosh import query
from whoosh.reading import TermNotFound

from forum.search import whoosh_compat
from forum.search.whoosh_compat import postings_blocks

_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 512
_lock = threading.Lock()


def per_segment(searcher, key, compute) -> list[tuple[int, object]]:
    """[(offset of its document numbers, compute(segment searcher))] for every segment of the index."""
    return [
        (offset, of_segment(leaf, key, compute))
        for leaf, offset in searcher.leaf_searchers()
        if leaf.reader().segment() is not None  # an empty index has no segment, and nothing to find
    ]


def of_segment(leaf, key, compute):
    """compute(leaf) for one segment, kept until the segment is retired (or crowded out)."""
    cache_key = (leaf.reader().segment().segment_id(), key)
    with _lock:
        value = _CACHE.get(cache_key)
        if value is not None:
            _CACHE.move_to_end(cache_key)
            return value
    value = compute(leaf)
    with _lock:
        _CACHE[cache_key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def with_any(searcher, terms: list[tuple[str, str]]) -> set[int]:
    """Documents with any of `terms`: a union of postings lists per segment (several times cheaper than the
    same Or query, whose matchers merge the lists in Python)."""
    terms = tuple(sorted(terms))

    def compute(leaf):
        docs = set()
        for fieldname, text in terms:
            docs.update(leaf.docs_for_query(query.Term(fieldname, text)))
        return array("I", sorted(docs))

    found = set()
    for offset, docs in per_segment(searcher, ("any", terms), compute):
        found.update(shifted(docs, offset))
    return found


def shifted(docnums, offset: int):
    """A segment's document numbers as the index numbers them."""
    return (d + offset for d in docnums) if offset else docnums


def deleted(searcher) -> set[int]:
    """Documents deleted from their segment but still in its postings (until the next merge)."""
    found = set()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if reader.segment() is not None and reader.has_deletions():
            found.update(d + offset for d in reader.segment().deleted_docs())
    return found


def field_lengths(leaf, fieldname: str) -> array:
    """Every document's length in `fieldname` (as Whoosh stores it: rounded to one byte), by segment docnum."""
    return of_segment(leaf, ("lengths", fieldname), lambda leaf: whoosh_compat.field_lengths(leaf.reader(), fieldname))


def by_date(searcher) -> list[tuple[int, array, array]]:
    """Per segment: (offset, creation times ascending, the segment's documents in that order)."""

    def compute(leaf):
        values = list(leaf.reader().column_reader("created", translate=False))
        order = sorted(range(len(values)), key=values.__getitem__)
        return array("Q", [values[i] for i in order]), array("I", order)

    return [(offset, keys, docnums) for offset, (keys, docnums) in per_segment(searcher, "by-date", compute)]


def created(searcher) -> array:
    """Each document's creation time (a sortable number), by document number: for sorting matches by date.
    Kept with the searcher, joined from the segments' date columns (segments come in document-number order)."""
    joined = searcher.__dict__.get("_forum_created")
    if joined is None:
        joined = array("Q")

        def compute(leaf):
            return array("Q", leaf.reader().column_reader("created", translate=False))

        for _offset, part in per_segment(searcher, "created", compute):
            joined.extend(part)
        searcher.__dict__["_forum_created"] = joined
    return joined


# A term's postings, decoded: a common word's postings take Whoosh about 4 ms to unpickle and decode, and
# the same words come back search after search. Kept within a budget of postings (about 8 bytes each).
_POSTINGS_BUDGET = 4_000_000
_postings: OrderedDict = OrderedDict()
_postings_held = 0


def postings(leaf, fieldname: str, text: str, keep_values: dict | None = None) -> tuple[array, array]:
    """(segment document numbers ascending, weights) of a term in one segment; empty if it is not there.
    With `keep_values`, a term read from the index (not the cache) also leaves its encoded values (positions)
    there, under positions_key(), for the phrase checks of the same search."""
    global _postings_held
    key = positions_key(leaf, fieldname, text)
    with _lock:
        found = _postings.get(key)
        if found is not None:
            _postings.move_to_end(key)
            return found
    ids, weights, values = array("I"), array("f"), []
    try:
        matcher = leaf.reader().postings(fieldname, text)
    except TermNotFound:
        matcher = None
    for block in postings_blocks(matcher, values=keep_values is not None) if matcher is not None else ():
        ids.extend(block[0])
        weights.extend(block[1])
        if keep_values is not None:
            values.extend(block[2])
    if keep_values is not None:
        keep_values[key] = (ids, values)
    with _lock:
        if key not in _postings:
            _postings[key] = (ids, weights)
            _postings_held += len(ids) + 1
        while _postings_held > _POSTINGS_BUDGET and len(_postings) > 1:
            _key, (old, _weights) = _postings.popitem(last=False)
            _postings_held -= len(old) + 1
    return ids, weights


def positions_key(leaf, fieldname: str, text: str) -> tuple:
    return (leaf.reader().segment().segment_id(), fieldname, text)


def forget_postings() -> None:
    """Empty the decoded-postings cache (the benchmark measures searches with no word decoded yet)."""
    global _postings_held
    with _lock:
        _postings.clear()
        _postings_held = 0
