"""The embedded search backend: Whoosh (the whoosh-reloaded fork, pinned), on disk under FORUM_SEARCH_INDEX_DIR.

Searching applies a Visibility as a mask of document numbers, so counts and pages never include what it
hides. Ranking is ranking.py's (Whoosh's own matchers for query shapes it does not take); writing, rebuilding
and checking are index.py's.
"""

import heapq
import struct
from bisect import bisect_left
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from markupsafe import Markup
from whoosh import query
from whoosh.util.times import datetime_to_long

from forum.search import index as search_index
from forum.search import ranking, records, segments
from forum.search.backend import Hits, IndexUnavailable, SearchQuery, Visibility
from forum.search.documents import PRIVATE
from forum.search.query import phrase_terms, text_query, typed_words
from forum.search.snippets import Snippets

# Whoosh reports a damaged index in many ways; these mean "rebuild", anything else is a bug to see.
_UNREADABLE = (IndexUnavailable, OSError, EOFError, struct.error)

MAX_PREFIX_TERMS = 8
PREFIX_SCAN = 3000
RERANK_PAGES = 3


@contextmanager
def _readable():
    """A damaged index, however Whoosh reports it, as IndexUnavailable."""
    try:
        yield
    except IndexUnavailable:
        raise
    except _UNREADABLE as error:
        raise IndexUnavailable(str(error)) from error


class WhooshBackend:
    def query(self, search: SearchQuery, visibility: Visibility) -> Hits:
        with _readable():
            return _query(search_index.searcher(), search, visibility)

    def complete_titles(self, text: str, visibility: Visibility, limit: int) -> list[int]:
        with _readable():
            return _complete_titles(search_index.searcher(), text, visibility, limit)

    def complete_members(self, text: str, limit: int) -> list[int]:
        with _readable():
            return _complete_members(search_index.searcher(), text, limit)

    def apply_queued(self, timeout: float = 10.0) -> int:
        return search_index.drain_all(timeout=timeout)

    def check(self) -> dict[str, list[str]]:
        return search_index.check()

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        return search_index.rebuild(progress=progress)

    def rebuild_reason(self) -> str | None:
        return search_index.ensure_index_needed()


class _Marks:
    """Titles and snippets marked with the words of one Whoosh query."""

    def __init__(self, q):
        self._snippets = Snippets(q)

    def title(self, text: str) -> Markup | None:
        return self._snippets.marked(text, "title", "title_words")

    def body(self, text: str) -> Markup | None:
        return self._snippets.marked(text, "body", "words")


# --- visibility as an index mask ----------------------------------------------------------------------------

def _pending_terms(visibility: Visibility) -> list:
    terms = [query.Term("key", f"p{post_id}") for post_id in visibility.pending_post_ids]
    terms += [query.Term("topic_id", str(topic_id)) for topic_id in visibility.pending_topic_ids]
    return terms


def _forbidden_docs(searcher, hidden: frozenset[int], mine: frozenset[int]) -> set[int]:
    docs = segments.with_any(searcher, [("kind", "member"), *(("category", str(c)) for c in hidden)])
    private = segments.with_any(searcher, [("category", PRIVATE)])
    if private and mine:  # the member's own messages, read together (one look-up per topic would be a loop)
        private -= ranking.matching(searcher, query.Or([query.Term("topic_id", str(t)) for t in sorted(mine)]))
    return docs | private


def _forbidden(searcher, visibility: Visibility) -> set[int]:
    """Document numbers `visibility` hides: categories, private messages the searcher is not part of, member
    documents, and anything with an index update still queued. The permission part is kept with the
    searcher (it is the same for every search until the index or the rules change), and built from sets kept
    per segment, so that a searcher reopened after a drain has little to redo."""
    key = (visibility.hidden_category_ids, visibility.private_topic_ids)
    cache = searcher.__dict__.setdefault("_forum_forbidden", {})
    docs = cache.get(key)
    if docs is None:
        if len(cache) > 256:
            cache.clear()
        docs = cache[key] = _forbidden_docs(searcher, *key)
    pending = _pending_terms(visibility)
    if pending:  # while members post, on every search: read as postings, not through Whoosh's matchers
        docs = docs | ranking.matching(searcher, query.Or(pending))
    return docs


def _created_between(searcher, after: datetime | None, before: datetime | None) -> set[int]:
    """Document numbers written in [after, before), from each segment's date column, sorted once per segment
    (a date range as a query would union hundreds of postings lists on every search)."""
    docs = set()
    for offset, keys, docnums in segments.by_date(searcher):
        start = bisect_left(keys, datetime_to_long(after)) if after else 0
        end = bisect_left(keys, datetime_to_long(before)) if before else len(keys)
        docs.update(segments.shifted(docnums[start:end], offset))
    return docs


def _expand_prefixes(reader):
    """prefix* becomes the most common words with that prefix (at most MAX_PREFIX_TERMS), so that "a*" costs
    what a few words cost, not a union over thousands."""

    def expand(q):
        if not isinstance(q, query.Prefix):
            return q
        found = []
        for n, term in enumerate(reader.expand_prefix(q.fieldname, q.text)):
            if n >= PREFIX_SCAN:
                break
            found.append((reader.doc_frequency(q.fieldname, term), term))
        words = [term for _count, term in heapq.nlargest(MAX_PREFIX_TERMS, found)]
        if not words:
            return query.NullQuery
        return query.Or([query.Term(q.fieldname, word) for word in words])

    return expand


# --- the search ---------------------------------------------------------------------------------------------

def _filters(search: SearchQuery) -> list:
    parsed = search.parsed
    clauses = [query.Term("author", key) for key in search.author_keys]
    clauses += [query.Or([query.Term("category", str(i)) for i in ids]) for ids in search.category_groups]
    if parsed.in_title or parsed.first_only:
        clauses.append(query.Term("first", "y"))
    if parsed.status:
        clauses.append(query.Term("status", parsed.status))
    if parsed.kind:
        clauses.append(query.Term("kind", parsed.kind))
    return clauses


def _query(searcher, search: SearchQuery, visibility: Visibility) -> Hits:
    parsed = search.parsed
    words = text_query(parsed, searcher.schema, any_word=search.any_word)
    if words is None and not parsed.has_filters:
        return Hits([], 0, False, words_searched=False)
    clauses = [c for c in (words, *_filters(search)) if c is not None]
    whole = query.And(clauses) if len(clauses) > 1 else clauses[0] if clauses else query.Every()
    whole = whole.accept(_expand_prefixes(searcher.reader())).normalize()
    whole, excluded = _without_exclusions(searcher, whole)
    start, limit = (search.page - 1) * search.per_page, search.page * search.per_page
    together = phrase_terms(parsed, searcher.schema) if parsed.order == "relevance" and words is not None else []
    pool = RERANK_PAGES * search.per_page
    rerank = bool(together) and limit <= pool
    forbidden = _forbidden(searcher, visibility)
    mask = forbidden | excluded if excluded else forbidden
    allow = None
    if parsed.before or parsed.after:
        allow = _created_between(searcher, parsed.after, parsed.before)
        if not allow:
            return Hits([], 0, False, words_searched=words is not None)
    # One more than this page needs tells whether there is a next page, without ranking every match to count.
    wanted = (pool if rerank else limit) + 1
    docnums, positions = _ranked(searcher, whole, wanted, mask, allow,
                                 newest_first=parsed.order == "latest" or words is None, together=together)
    if rerank:
        adjacent = set()
        for field_name in ("title", "body"):
            adjacent |= ranking.words_together(searcher, field_name, together, set(docnums[:pool]) - adjacent,
                                               positions)
        page = sorted(docnums[:pool], key=lambda docnum: docnum not in adjacent)[start:limit]  # stable sort
    else:
        page = docnums[start:limit]
    return Hits(
        keys=[searcher.stored_fields(d)["key"] for d in page],
        total=min(len(docnums), limit),
        more=len(docnums) > limit,
        highlighter=_Marks(whole),
        words_searched=words is not None,
    )


def _ranked(searcher, whole, limit: int, mask: set[int], allow: set[int] | None, newest_first: bool, together):
    """(document numbers, best first, positions read on the way)."""
    try:
        ranked = ranking.rank(searcher, whole, limit, mask, allow, newest_first=newest_first, together=together)
        return ranked.docnums, ranked.positions
    except ranking.Unsupported:  # a query shape ranking.py does not take: Whoosh's own matchers rank it
        options = {"limit": limit, "mask": mask}
        if allow is not None:
            options["filter"] = allow
        if newest_first:
            options.update(sortedby="created", reverse=True)
        return [hit.docnum for hit in searcher.search(whole, **options)], None


def _without_exclusions(searcher, q):
    """(`q` without its top-level -excluded parts, the documents they match): masking those documents costs
    about half of what a Not in the query does, which steps through their postings beside every match."""
    if not isinstance(q, query.And):
        return q, set()
    kept = [part for part in q.subqueries if not isinstance(part, query.Not)]
    if not kept or len(kept) == len(q.subqueries):
        return q, set()
    excluded = set()
    for part in q.subqueries:
        if isinstance(part, query.Not):
            excluded |= ranking.matching(searcher, part.query)
    return (kept[0] if len(kept) == 1 else query.And(kept)), excluded


# --- type-ahead ---------------------------------------------------------------------------------------------

def _prefixes(searcher, text: str):
    words = typed_words(text)
    if not words:
        return None
    prefixes = query.And([query.Prefix("title_words", word) for word in words])
    return prefixes.accept(_expand_prefixes(searcher.reader())).normalize()


def _complete_titles(searcher, text: str, visibility: Visibility, limit: int) -> list[int]:
    prefixes = _prefixes(searcher, text)
    if prefixes is None:
        return []
    # Titles are indexed on first posts (and on members and records, which the mask leaves out).
    record_docs = segments.with_any(searcher, [("kind", kind.name) for kind in records.kinds()])
    mask = _forbidden(searcher, visibility) | record_docs
    docnums, _positions = _ranked(searcher, prefixes, limit, mask, None, newest_first=False, together=())
    return [int(searcher.stored_fields(d)["topic_id"]) for d in docnums]


def _complete_members(searcher, text: str, limit: int) -> list[int]:
    prefixes = _prefixes(searcher, text)
    if prefixes is None:
        return []
    docnums, _positions = _ranked(searcher, query.And([query.Term("kind", "member"), prefixes]), limit,
                                  set(), None, newest_first=False, together=())
    return [int(searcher.stored_fields(d)["key"][1:]) for d in docnums]
