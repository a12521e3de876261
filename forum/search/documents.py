"""What the index holds: the Whoosh schema and the documents built from database rows.

One document per visible post (key "p<id>"), one per active member (key "m<id>") and one per record of each
kind registered in records.py (key "<prefix><id>", e.g. "x3" for an experiment). Permissions are not baked into
documents: each carries its category (or "pm" and its topic id for a private message; a record may have
none), and the query service filters by what the searcher may read *now*, so changing a category's
permissions takes effect at once, with nothing to re-index. Deleted posts and topics, and unlisted topics, are
removed from the index.
"""

import hashlib
import html
import re
from collections.abc import Iterable, Iterator
from datetime import UTC

from sqlalchemy import func, select
from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.extensions import db
from forum.policy import (
    listed_topics_filter,
    live_topics_filter,
    post_is_visible,
    topic_is_listed,
    topic_is_live,
    visible_posts_filter,
)
from forum.search import records
from forum.search.records import MEMBER_PREFIX, POST_PREFIX, Record, RecordKind

PRIVATE = "pm"

# English function words are left out of the stemmed fields: they are in nearly every post, so they cannot
# tell posts apart, yet each costs a search as much as all its postings (Whoosh's own list has 33 words;
# this adds the rest of the usual English list: pronouns, auxiliaries, determiners, prepositions).
# Changing the list makes the periodic job rebuild the index (ensure_index compares schemas).
STOP_WORDS = WHOOSH_STOP_WORDS | frozenset("""
    about above after again against all am any because been before being below between both but could did do
    does doing down during each few further had has having he her here hers herself him himself his how i into
    its itself just me more most my myself nor now off once only other our ours ourselves out over own same
    she should so some such than their theirs them themselves then there these they those through too under
    until up very was were what where which while who whom why would yours yourself yourselves
""".split())


def _folding():
    # Lower case, then fold accents so that "jyvaskyla" finds "Jyväskylä" (and the other way round).
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def stemming_analyzer():
    """Words as members write them, reduced to stems: "experiments" finds "experiment"."""
    return _folding() | StopFilter(stoplist=STOP_WORDS) | StemFilter(cachesize=50000)


def exact_analyzer():
    """Whole words, accents folded, no stemming: for prefix* queries and type-ahead, which need real words."""
    return _folding()


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID,  # "post", "member", or a record kind's name ("experiment", "workshop")
        topic_id=ID(stored=True),
        category=ID,  # a category id, or "pm" for a private message
        author=ID,  # username_key
        first=ID,  # "y" for a topic's first post (it carries the topic's title) and for a record
        status=ID,  # "open" or "closed"
        created=DATETIME(sortable=True),
        title=TEXT(analyzer=stemming_analyzer(), field_boost=3.0),
        body=TEXT(analyzer=stemming_analyzer()),
        # Unstemmed words of title and body; title_words alone for type-ahead of topics and members.
        words=TEXT(analyzer=exact_analyzer(), phrase=False),
        title_words=TEXT(analyzer=exact_analyzer(), phrase=False),
        stamp=STORED,  # a digest of the indexed fields, for `search-check`
    )


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(cooked: str) -> str:
    """The readable text of a post's sanitised HTML (it was cleaned at write time, so tags are regular)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", cooked))).strip()


def post_key(post_id: int) -> str:
    return f"{POST_PREFIX}{post_id}"


def member_key(user_id: int) -> str:
    return f"{MEMBER_PREFIX}{user_id}"


def _stamped(fields: dict) -> dict:
    digest = hashlib.blake2b(repr(sorted((k, str(v)) for k, v in fields.items())).encode(), digest_size=8)
    fields["stamp"] = digest.hexdigest()
    return fields


def post_document(post: Post, topic: Topic, author_key: str) -> dict:
    text = plain_text(post.cooked)
    fields = {
        "key": post_key(post.id),
        "kind": "post",
        "topic_id": str(topic.id),
        "category": PRIVATE if topic.is_private else str(topic.category_id),
        "author": author_key,
        "first": "y" if post.post_number == 1 else "n",
        "status": "closed" if topic.is_locked else "open",
        "created": post.created_at.replace(tzinfo=None),
        "body": text,
        "words": text,
    }
    if post.post_number == 1:
        fields["title"] = topic.title
        fields["title_words"] = topic.title
        fields["words"] = f"{topic.title} {text}"
    return _stamped(fields)


def member_document(user: User) -> dict:
    names = " ".join(part for part in (user.display_name, user.username, user.organisation or "") if part)
    return _stamped({"key": member_key(user.id), "kind": "member", "title": names, "title_words": names})


def record_document(kind: RecordKind, record: Record) -> dict:
    """A record stands for itself, as a topic's first post does: its title is searched as a title (in:title)."""
    fields = {
        "key": records.key(kind, record.id),
        "kind": kind.name,
        "first": "y",
        "created": record.date.astimezone(UTC).replace(tzinfo=None),
        "title": record.title,
        "title_words": record.title,
        "body": record.text,
        "words": f"{record.title} {record.text}",
    }
    if record.category_id is not None:
        fields["category"] = str(record.category_id)
    return _stamped(fields)


def is_indexed_post(post: Post, topic: Topic) -> bool:
    """Visible posts of live topics that are listed (an unlisted topic is read by its link, never found)."""
    return post_is_visible(post) and topic_is_live(topic) and topic_is_listed(topic)


def post_documents(post_ids: Iterable[int]) -> tuple[list[dict], list[str]]:
    """(documents to write, keys to remove) for these posts, read from the database as they are now."""
    ids = list(post_ids)
    rows = db.session.execute(
        select(Post, Topic, User.username_key)
        .join(Topic, Topic.id == Post.topic_id)
        .join(User, User.id == Post.user_id)
        .where(Post.id.in_(ids))
    ).all()
    found = {post.id for post, _topic, _key in rows}
    documents, removals = [], [post_key(i) for i in ids if i not in found]
    for post, topic, author_key in rows:
        if is_indexed_post(post, topic):
            documents.append(post_document(post, topic, author_key))
        else:
            removals.append(post_key(post.id))
    return documents, removals


def member_documents(user_ids: Iterable[int]) -> tuple[list[dict], list[str]]:
    ids = list(user_ids)
    users = db.session.execute(select(User).where(User.id.in_(ids))).scalars().all()
    documents = [member_document(user) for user in users if user.is_active]
    indexed = {user.id for user in users if user.is_active}
    return documents, [member_key(i) for i in ids if i not in indexed]


def all_record_documents() -> Iterator[dict]:
    """The documents of every record of every registered kind, read from the database as it is now."""
    for kind in records.kinds():
        for ids in records.in_batches(kind.all_ids()):
            for record in kind.load(ids):
                yield record_document(kind, record)


def all_post_ids(batch: int = 2000) -> Iterator[list[int]]:
    """Every post id that belongs in the index, in batches (keyset pagination, so memory stays flat)."""
    last = 0
    while True:
        ids = db.session.execute(
            select(Post.id)
            .join(Topic, Topic.id == Post.topic_id)
            .where(Post.id > last, visible_posts_filter(), live_topics_filter(), listed_topics_filter())
            .order_by(Post.id)
            .limit(batch)
        ).scalars().all()
        if not ids:
            return
        yield ids
        last = ids[-1]


def count_indexable_posts() -> int:
    return db.session.execute(
        select(func.count(Post.id)).join(Topic, Topic.id == Post.topic_id)
        .where(visible_posts_filter(), live_topics_filter(), listed_topics_filter())
    ).scalar_one()


def all_member_ids() -> list[int]:
    return db.session.execute(select(User.id).order_by(User.id)).scalars().all()


def topic_post_ids(topic_ids: Iterable[int]) -> list[int]:
    return db.session.execute(select(Post.id).where(Post.topic_id.in_(list(topic_ids)))).scalars().all()
