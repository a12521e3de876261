"""Searching: what a member may find, ranked, with highlighted snippets.

Permissions are applied twice. The search backend (forum.search.backend, whichever engine is configured)
leaves out every document the searcher may not read now, as `visibility(user)` decides it from the
permission rules and the search queue (categories they cannot see, private messages they are not part of,
anything with an index update still queued), so counts and pages never include them; then each hit on the
page is checked against the database with the same policy that guards the topic page, so a hit can never
outrun the database. A record (forum.search.records) is checked the same way: the readers of its category, or
anyone when it has none, as the policy says who reads a category.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, tzinfo

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board.models import Category, Post, Topic
from forum.core.pagination import Page
from forum.extensions import db
from forum.policy import (
    can,
    hidden_category_ids,
    is_member,
    participating_topic_ids,
    topic_is_live,
    visible_category_ids,
)
from forum.search import backend, records
from forum.search.backend import Highlighter, IndexUnavailable, SearchQuery, Visibility
from forum.search.documents import is_indexed_post, plain_text, post_key
from forum.search.models import SearchQueue
from forum.search.query import POST_KIND, ParsedSearch, parse_search, wanted_word_count
from forum.search.records import POST_PREFIX, Record, RecordKind
from forum.search.snippets import Snippets

log = logging.getLogger(__name__)

PER_PAGE = 20


@dataclass
class Hit:
    post: Post
    topic: Topic
    category: Category | None
    author: User
    title: Markup
    snippet: Markup
    record = None  # a post is no record (see RecordHit)


@dataclass
class RecordHit:
    """A record found (an experiment, a workshop): shown with its kind's label, tags and date."""

    kind: RecordKind
    record: Record
    title: Markup
    snippet: Markup


@dataclass
class SearchResults:
    parsed: ParsedSearch
    hits: list[Hit | RecordHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    more: bool = False  # there are more than `total` hits (counting them all would cost more than finding them)
    members: list[User] = field(default_factory=list)
    relaxed: bool = False  # no post had every word; these have some of them
    unavailable: bool = False  # the index is missing or damaged and is being rebuilt

    @property
    def only_posts(self) -> bool:
        """Are the hits posts only (as far as this page can tell), so that the count may say "posts"?"""
        return self.parsed.kind in (None, POST_KIND) and not any(hit.record for hit in self.hits)

    @property
    def pagination(self) -> Page:
        # With more hits to come, offer the next page; page numbers beyond it are not known yet.
        known = self.total + 1 if self.more else self.total
        return Page(items=self.hits, number=self.page, per_page=self.per_page, total=known)


# --- what a member may not be shown ------------------------------------------------------------------------

def visibility(user) -> Visibility:
    """What `user` may not find, for the backend to leave out: categories they cannot see, private messages
    they are not part of, and posts and topics whose index update is still queued (out of results until
    re-indexed, rather than shown stale)."""
    rows = db.session.execute(
        select(SearchQueue.post_id, SearchQueue.topic_id).where(SearchQueue.processed_at.is_(None)).limit(2000)
    ).all()
    return Visibility(
        hidden_category_ids=hidden_category_ids(user),
        private_topic_ids=participating_topic_ids(user),
        pending_post_ids=tuple(post_id for post_id, _ in rows if post_id is not None),
        pending_topic_ids=tuple(topic_id for _, topic_id in rows if topic_id is not None),
    )


# --- filters ------------------------------------------------------------------------------------------------

def _resolved(user, parsed: ParsedSearch, page: int, per_page: int) -> SearchQuery:
    """The search with named members and categories resolved; unknown names become messages on `parsed`. A
    category the member cannot see is answered exactly as one that does not exist, so that its name leaks
    nothing."""
    author_keys = []
    for name in parsed.authors:
        author = db.session.execute(select(User).where(User.username_key == name)).scalar_one_or_none()
        if author is None:
            parsed.errors.append(_l("No member is called “%(name)s”.", name=name))
        else:
            author_keys.append(author.username_key)
    category_groups = []
    for slug in parsed.categories:
        ids = _category_and_children(slug, hidden_category_ids(user))
        if not ids:
            parsed.errors.append(_l("There is no category “%(slug)s”.", slug=slug))
        else:
            category_groups.append(tuple(ids))
    return SearchQuery(parsed=parsed, author_keys=tuple(author_keys), category_groups=tuple(category_groups),
                       page=page, per_page=per_page)


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
    asked = _resolved(user, parsed, results.page, per_page)
    if parsed.errors:
        return results
    kind = records.kind_named(parsed.kind) if parsed.kind else None
    if kind is not None and kind.note:
        parsed.notices.append(kind.note)
    index = backend.current()
    try:
        hidden = visibility(user)
        hits = index.query(asked, hidden)
        if not hits.words_searched and parsed.words.strip():
            parsed.notices.append(_l("Very common words such as “the” or “they” are not searched: add a word "
                                     "that posts about your subject would use."))
        if not hits.words_searched and not parsed.has_filters:
            return results
        if not hits.total and hits.words_searched and wanted_word_count(parsed) > 1:
            results.relaxed = True
            hits = index.query(replace(asked, any_word=True), hidden)
        results.total, results.more = hits.total, hits.more
        results.hits = _hydrate(user, hits.keys, hits.highlighter)
        results.members = members(user, parsed.words, limit=5) if not parsed.has_filters else []
    except IndexUnavailable as error:
        log.warning("search unavailable: %s", error)
        results.unavailable = True
    return results


def _hydrate(user, keys: list[str], highlighter: Highlighter | None) -> list[Hit | RecordHit]:
    """Load what one page of hits names (one query for the posts, one per kind of record among them) and keep
    only what `user` may open now, in the order found."""
    ids_by_prefix = defaultdict(list)
    for key in keys:
        prefix, found_id = records.split_key(key)
        ids_by_prefix[prefix].append(found_id)
    found = _post_hits(user, ids_by_prefix.pop(POST_PREFIX, []), highlighter)
    for prefix, ids in ids_by_prefix.items():
        kind = records.kind_with_prefix(prefix)
        if kind is not None:  # a kind no longer registered is left out until the rebuild drops it
            found.update(_record_hits(user, kind, ids, highlighter))
    return [found[key] for key in keys if key in found]


def _record_hits(user, kind: RecordKind, ids: list[int], highlighter: Highlighter) -> dict[str, RecordHit]:
    readable = visible_category_ids(user)
    return {
        records.key(kind, record.id): RecordHit(
            kind=kind, record=record, title=highlighter.title(record.title) or escape(record.title),
            snippet=highlighter.body(record.text) or Snippets.plain(record.text),
        )
        for record in kind.load(ids)
        if record.category_id is None or record.category_id in readable
    }


def _post_hits(user, post_ids: list[int], highlighter: Highlighter | None) -> dict[str, Hit]:
    if not post_ids:
        return {}
    rows = db.session.execute(
        select(Post)
        .where(Post.id.in_(post_ids))
        .options(joinedload(Post.author), joinedload(Post.topic).joinedload(Topic.category))
    ).unique().scalars().all()
    posts = {post.id: post for post in rows}
    found = {}
    for post_id in post_ids:
        post = posts.get(post_id)
        if post is None or not is_indexed_post(post, post.topic) or not can(user, "view_topic", post.topic):
            continue  # the database moved on since the index saw it; never show what cannot be opened
        text = plain_text(post.cooked)
        title = highlighter.title(post.topic.title) if post.post_number == 1 else None
        found[post_key(post.id)] = Hit(
            post=post,
            topic=post.topic,
            category=post.topic.category,
            author=post.author,
            title=title or escape(post.topic.title),
            snippet=highlighter.body(text) or Snippets.plain(text),
        )
    return found


# --- type-ahead ---------------------------------------------------------------------------------------------

def members(user, text: str, limit: int = 5) -> list[User]:
    """Members whose name, username or organisation match the words typed (members see members)."""
    if not is_member(user):
        return []
    ids = backend.current().complete_members(text, limit)
    if not ids:
        return []
    found = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}
    return [found[i] for i in ids if i in found and found[i].is_active]


def topics(user, text: str, limit: int = 5) -> list[Topic]:
    """Topics whose titles match the words typed so far, best first."""
    ids = backend.current().complete_titles(text, visibility(user), limit * 2)
    if not ids:
        return []
    rows = db.session.execute(
        select(Topic).where(Topic.id.in_(ids)).options(joinedload(Topic.category), joinedload(Topic.author))
    ).scalars().all()
    by_id = {topic.id: topic for topic in rows}
    visible = [by_id[i] for i in ids if i in by_id and can(user, "view_topic", by_id[i]) and topic_is_live(by_id[i])]
    return visible[:limit]


def quick(user, text: str) -> dict:
    """Top matches as you type: a few topics and members. Raises IndexUnavailable when there is no index."""
    return {"topics": topics(user, text), "members": members(user, text)}
