"""Searching: what a member may find, ranked, with highlighted snippets.

Permissions are applied twice. The index query masks out every document the searcher may not read now
(categories they cannot see, private messages they are not part of, anything with an index update still
queued), so counts and pages never include them; then each hit on the page is checked against the database
with the same policy that guards the topic page, so a hit can never outrun the database.
"""

import heapq
import logging
import struct
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from whoosh import query
from whoosh.util.times import datetime_to_long

from forum.auth.models import User
from forum.board.models import Category, Post, Topic
from forum.core.pagination import Page
from forum.core.permissions import can, hidden_category_ids, is_member, participating_topic_ids
from forum.extensions import db
from forum.search import index as search_index
from forum.search import ranking, segments
from forum.search.documents import PRIVATE, plain_text
from forum.search.models import SearchQueue
from forum.search.query import (
    ParsedSearch,
    parse_search,
    phrase_terms,
    text_query,
    typed_words,
    wanted_word_count,
)
from forum.search.snippets import Snippets

log = logging.getLogger(__name__)

PER_PAGE = 20
# Whoosh reports a damaged index in many ways; these mean "rebuild", anything else is a bug to see.
_UNREADABLE = (search_index.IndexUnavailable, OSError, EOFError, struct.error)


@dataclass
class Hit:
    post: Post
    topic: Topic
    category: Category | None
    author: User
    title: Markup
    snippet: Markup


@dataclass
class SearchResults:
    parsed: ParsedSearch
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    more: bool = False  # there are more than `total` hits (counting them all would cost more than finding them)
    members: list[User] = field(default_factory=list)
    relaxed: bool = False  # no post had every word; these have some of them
    unavailable: bool = False  # the index is missing or damaged and is being rebuilt

    @property
    def pagination(self) -> Page:
        # With more hits to come, offer the next page; page numbers beyond it are not known yet.
        known = self.total + 1 if self.more else self.total
        return Page(items=self.hits, number=self.page, per_page=self.per_page, total=known)


# --- permissions as an index mask ---------------------------------------------------------------------------

def _pending_terms() -> list:
    """Documents whose database rows changed since they were indexed: out of results until re-indexed."""
    rows = db.session.execute(
        select(SearchQueue.post_id, SearchQueue.topic_id).where(SearchQueue.processed_at.is_(None)).limit(2000)
    ).all()
    terms = [query.Term("key", f"p{post_id}") for post_id, _ in rows if post_id is not None]
    terms += [query.Term("topic_id", str(topic_id)) for _, topic_id in rows if topic_id is not None]
    return terms


def _forbidden_docs(searcher, hidden: frozenset[int], mine: frozenset[int]) -> set[int]:
    docs = segments.with_any(searcher, [("kind", "member"), *(("category", str(c)) for c in hidden)])
    private = segments.with_any(searcher, [("category", PRIVATE)])
    if private and mine:  # the member's own messages, read together (one look-up per topic would be a loop)
        private -= ranking.matching(searcher, query.Or([query.Term("topic_id", str(t)) for t in sorted(mine)]))
    return docs | private


def _forbidden(searcher, user) -> set[int]:
    """Document numbers `user` may not read: categories they cannot see, private messages they are not
    part of, member documents, and anything with an index update still queued. The permission part is
    kept with the searcher (it is the same for every search until the index or the rules change), and
    built from sets kept per segment, so that a searcher refreshed after a drain has little to redo."""
    key = (hidden_category_ids(user), participating_topic_ids(user))
    cache = searcher.__dict__.setdefault("_forum_forbidden", {})
    docs = cache.get(key)
    if docs is None:
        if len(cache) > 256:
            cache.clear()
        docs = cache[key] = _forbidden_docs(searcher, *key)
    pending = _pending_terms()
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


MAX_PREFIX_TERMS = 8
PREFIX_SCAN = 3000


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


# --- filters ------------------------------------------------------------------------------------------------

def _filters(user, parsed: ParsedSearch) -> list:
    """Resolve named members and categories; unknown names become messages on `parsed`. A category the
    member cannot see is answered exactly as one that does not exist, so that its name leaks nothing."""
    clauses = []
    for name in parsed.authors:
        user = db.session.execute(select(User).where(User.username_key == name)).scalar_one_or_none()
        if user is None:
            parsed.errors.append(_l("No member is called “%(name)s”.", name=name))
        else:
            clauses.append(query.Term("author", user.username_key))
    for slug in parsed.categories:
        ids = _category_and_children(slug, hidden_category_ids(user))
        if not ids:
            parsed.errors.append(_l("There is no category “%(slug)s”.", slug=slug))
        else:
            clauses.append(query.Or([query.Term("category", str(i)) for i in ids]))
    if parsed.in_title or parsed.first_only:
        clauses.append(query.Term("first", "y"))
    if parsed.status:
        clauses.append(query.Term("status", parsed.status))
    return clauses


def _category_and_children(slug: str, hidden: frozenset[int]) -> list[int]:
    category_id = db.session.execute(select(Category.id).where(Category.slug == slug)).scalar_one_or_none()
    if category_id is None or category_id in hidden:
        return []
    children = db.session.execute(select(Category.id).where(Category.parent_id == category_id)).scalars().all()
    return [category_id, *children]


# --- the search ---------------------------------------------------------------------------------------------

def search(user, text: str, page: int = 1, tz: tzinfo = UTC, per_page: int = PER_PAGE) -> SearchResults:
    """Posts matching `text` that `user` may read, one page of them, ranked or newest first."""
    parsed = parse_search(text, tz)
    results = SearchResults(parsed=parsed, page=max(1, page), per_page=per_page)
    if parsed.errors or parsed.is_empty:
        return results
    filters = _filters(user, parsed)
    if parsed.errors:
        return results
    try:
        searcher = search_index.searcher()
        schema = searcher.schema
        words = text_query(parsed, schema)
        if words is None and parsed.words.strip():
            parsed.notices.append(_l("Very common words such as “the” or “they” are not searched: add a word "
                                     "that posts about your subject would use."))
        if words is None and not parsed.has_filters:
            return results
        docnums, snippets = _run(searcher, user, words, filters, parsed, results)
        if not results.total and words is not None and wanted_word_count(parsed) > 1:
            results.relaxed = True
            relaxed = text_query(parsed, schema, any_word=True)
            docnums, snippets = _run(searcher, user, relaxed, filters, parsed, results)
        results.hits = _hydrate(user, [searcher.stored_fields(d)["key"] for d in docnums], snippets)
        results.members = members(user, parsed.words, limit=5) if not parsed.has_filters else []
    except _UNREADABLE as error:
        log.warning("search unavailable: %s", error)
        results.unavailable = True
    return results


def _run(searcher, user, words, filters, parsed: ParsedSearch, results: SearchResults):
    """(the document numbers of this page's hits, their snippet maker); sets results.total and .more."""
    clauses = [c for c in (words, *filters) if c is not None]
    whole = query.And(clauses) if len(clauses) > 1 else clauses[0] if clauses else query.Every()
    whole = whole.accept(_expand_prefixes(searcher.reader())).normalize()
    whole, excluded = _without_exclusions(searcher, whole)
    start, limit = (results.page - 1) * results.per_page, results.page * results.per_page
    together = phrase_terms(parsed, searcher.schema) if parsed.order == "relevance" and words is not None else []
    pool = RERANK_PAGES * results.per_page
    rerank = bool(together) and limit <= pool
    forbidden = _forbidden(searcher, user)
    mask = forbidden | excluded if excluded else forbidden
    allow = None
    if parsed.before or parsed.after:
        allow = _created_between(searcher, parsed.after, parsed.before)
        if not allow:
            return [], None
    # One more than this page needs tells whether there is a next page, without ranking every match to count.
    wanted = (pool if rerank else limit) + 1
    docnums, positions = _ranked(searcher, whole, wanted, mask, allow,
                                 newest_first=parsed.order == "latest" or words is None, together=together)
    results.more = len(docnums) > limit
    results.total = min(len(docnums), limit)
    snippets = Snippets(whole)
    if not rerank:
        return docnums[start:limit], snippets
    adjacent = set()
    for field_name in ("title", "body"):
        adjacent |= ranking.words_together(searcher, field_name, together, set(docnums[:pool]) - adjacent, positions)
    return sorted(docnums[:pool], key=lambda docnum: docnum not in adjacent)[start:limit], snippets  # stable sort


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


RERANK_PAGES = 3


def _hydrate(user, keys: list[str], snippets: Snippets | None) -> list[Hit]:
    """Load the posts behind one page of hits (one query) and keep only those `user` may open now."""
    post_ids = [int(key[1:]) for key in keys]
    if not post_ids:
        return []
    rows = db.session.execute(
        select(Post)
        .where(Post.id.in_(post_ids))
        .options(joinedload(Post.author), joinedload(Post.topic).joinedload(Topic.category))
    ).unique().scalars().all()
    posts = {post.id: post for post in rows}
    found = []
    for post_id in post_ids:
        post = posts.get(post_id)
        if post is None or post.deleted_at is not None or not can(user, "view_topic", post.topic):
            continue  # the database moved on since the index saw it; never show what cannot be opened
        if post.topic.deleted_at is not None:
            continue
        text = plain_text(post.cooked)
        title = snippets.marked(post.topic.title, "title", "title_words") if post.post_number == 1 else None
        found.append(
            Hit(
                post=post,
                topic=post.topic,
                category=post.topic.category,
                author=post.author,
                title=title or escape(post.topic.title),
                snippet=snippets.marked(text, "body", "words") or Snippets.plain(text),
            )
        )
    return found


# --- type-ahead ---------------------------------------------------------------------------------------------

def _prefixes(searcher, text: str):
    words = typed_words(text)
    if not words:
        return None
    prefixes = query.And([query.Prefix("title_words", word) for word in words])
    return prefixes.accept(_expand_prefixes(searcher.reader())).normalize()


def members(user, text: str, limit: int = 5) -> list[User]:
    """Members whose name, username or organisation match the words typed (members see members)."""
    if not is_member(user):
        return []
    searcher = search_index.searcher()
    prefixes = _prefixes(searcher, text)
    if prefixes is None:
        return []
    docnums, _positions = _ranked(searcher, query.And([query.Term("kind", "member"), prefixes]), limit, set(),
                                  None, newest_first=False, together=())
    ids = [int(searcher.stored_fields(d)["key"][1:]) for d in docnums]
    if not ids:
        return []
    found = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}
    return [found[i] for i in ids if i in found and found[i].is_active]


def topics(user, text: str, limit: int = 5) -> list[Topic]:
    """Topics whose titles match the words typed so far, best first."""
    searcher = search_index.searcher()
    prefixes = _prefixes(searcher, text)
    if prefixes is None:
        return []
    # Titles are indexed on first posts only (and names on members, which the mask leaves out).
    docnums, _positions = _ranked(searcher, prefixes, limit * 2, _forbidden(searcher, user), None,
                                  newest_first=False, together=())
    ids = [int(searcher.stored_fields(d)["topic_id"]) for d in docnums]
    if not ids:
        return []
    rows = db.session.execute(
        select(Topic).where(Topic.id.in_(ids)).options(joinedload(Topic.category))
    ).scalars().all()
    by_id = {topic.id: topic for topic in rows}
    visible = [by_id[i] for i in ids if i in by_id and can(user, "view_topic", by_id[i]) and by_id[i].deleted_at is None]
    return visible[:limit]


def quick(user, text: str) -> dict:
    """Top matches as you type: a few topics and members. Raises IndexUnavailable when there is no index."""
    return {"topics": topics(user, text), "members": members(user, text)}
