"""Reading the review queue: posts with open flags and posts held for approval in one list, oldest first, each
with what a facilitator needs to decide (the post, its flags, its author's recent activity and the flags their
posts have had before). A fixed number of queries whatever the queue's length."""

import enum
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board.models import Category, Post, Topic
from forum.core.markdown import render_markdown
from forum.extensions import db
from forum.moderation.models import Flag, FlagKind, FlagStatus, QueuedPost, QueueStatus
from forum.policy import live_topics_filter, visible_posts_filter

SHOWN = 50  # items on the page; the oldest come first, and are handled first
RECENT_POSTS = 3


class ItemType(enum.StrEnum):
    FLAGGED = "flagged"
    HELD = "held"


@dataclass
class RecentPost:
    topic_id: int
    slug: str
    title: str
    post_number: int
    created_at: datetime


@dataclass
class AuthorContext:
    post_count: int = 0
    last_posted_at: datetime | None = None
    recent: list[RecentPost] = field(default_factory=list)
    prior_flags: dict[FlagStatus, int] = field(default_factory=dict)  # handled flags on their posts, by outcome


@dataclass
class FlaggedItem:
    post: Post  # with its topic (and category) and author
    since: datetime  # the oldest open flag
    flags: list[tuple[Flag, User]]
    author: AuthorContext = field(default_factory=AuthorContext)
    type: ItemType = ItemType.FLAGGED

    @property
    def author_user(self) -> User:
        return self.post.author

    @property
    def kinds(self) -> list[FlagKind]:
        return [flag.kind for flag, _flagger in self.flags]


@dataclass
class HeldItem:
    queued: QueuedPost
    author_user: User
    topic: Topic | None  # the topic it answers, or None for a new topic
    category: Category | None
    author: AuthorContext = field(default_factory=AuthorContext)
    type: ItemType = ItemType.HELD

    @property
    def since(self) -> datetime:
        return self.queued.created_at

    @property
    def html(self) -> str:
        return render_markdown(self.queued.raw)


def items(only: ItemType | None = None) -> list[FlaggedItem | HeldItem]:
    """The SHOWN oldest items (of one type, if `only`), with their context."""
    found: list[FlaggedItem | HeldItem] = []
    if only in (None, ItemType.FLAGGED):
        found += _flagged()
    if only in (None, ItemType.HELD):
        found += _held()
    found = sorted(found, key=lambda item: item.since)[:SHOWN]
    _add_author_context(found)
    return found


def _flagged() -> list[FlaggedItem]:
    oldest = (
        select(Flag.post_id, func.min(Flag.created_at).label("since"))
        .where(Flag.status == FlagStatus.OPEN).group_by(Flag.post_id).subquery()
    )
    rows = db.session.execute(
        select(Post, oldest.c.since).join(oldest, oldest.c.post_id == Post.id)
        .options(joinedload(Post.topic).joinedload(Topic.category), joinedload(Post.author))
        .order_by(oldest.c.since, Post.id).limit(SHOWN)
    ).all()
    found = {post.id: FlaggedItem(post, since, []) for post, since in rows}
    if found:
        for flag, flagger in db.session.execute(
            select(Flag, User).join(User, User.id == Flag.user_id)
            .where(Flag.post_id.in_(found), Flag.status == FlagStatus.OPEN).order_by(Flag.created_at, Flag.id)
        ).all():
            found[flag.post_id].flags.append((flag, flagger))
    return list(found.values())


def _held() -> list[HeldItem]:
    rows = db.session.execute(
        select(QueuedPost, User, Topic, Category)
        .join(User, User.id == QueuedPost.user_id)
        .outerjoin(Topic, Topic.id == QueuedPost.topic_id)
        .outerjoin(Category, Category.id == func.coalesce(QueuedPost.category_id, Topic.category_id))
        .where(QueuedPost.status == QueueStatus.PENDING)
        .order_by(QueuedPost.created_at, QueuedPost.id).limit(SHOWN)
    ).all()
    return [HeldItem(queued, author, topic, category) for queued, author, topic, category in rows]


def _add_author_context(found: list[FlaggedItem | HeldItem]) -> None:
    """Each author's visible posts (count, last, the latest few in public topics) and the flags their posts had
    before: three queries for every author on the page."""
    author_ids = {item.author_user.id for item in found}
    if not author_ids:
        return
    context = {author_id: AuthorContext() for author_id in author_ids}
    for author_id, count, last in db.session.execute(
        select(Post.user_id, func.count(Post.id), func.max(Post.created_at))
        .where(Post.user_id.in_(author_ids), visible_posts_filter()).group_by(Post.user_id)
    ).all():
        context[author_id].post_count, context[author_id].last_posted_at = count, last
    numbered = (
        select(Post.user_id, Post.topic_id, Post.post_number, Post.created_at, Topic.slug, Topic.title,
               func.row_number().over(partition_by=Post.user_id, order_by=(Post.created_at.desc(), Post.id.desc()))
               .label("n"))
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.user_id.in_(author_ids), visible_posts_filter(), live_topics_filter(),
               Topic.is_private.is_(False))
        .subquery()
    )
    for row in db.session.execute(select(numbered).where(numbered.c.n <= RECENT_POSTS)
                                  .order_by(numbered.c.user_id, numbered.c.n)).all():
        context[row.user_id].recent.append(RecentPost(row.topic_id, row.slug, row.title, row.post_number,
                                                      row.created_at))
    for author_id, status, count in db.session.execute(
        select(Post.user_id, Flag.status, func.count(Flag.id)).join(Post, Post.id == Flag.post_id)
        .where(Post.user_id.in_(author_ids), Flag.status != FlagStatus.OPEN).group_by(Post.user_id, Flag.status)
    ).all():
        context[author_id].prior_flags[status] = count
    for item in found:
        item.author = context[item.author_user.id]
