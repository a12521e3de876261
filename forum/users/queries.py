"""A member's activity as another member may see it: only what the viewer could open is counted or listed."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board.models import Post, PostLike, Topic
from forum.extensions import db
from forum.policy import visible_posts_filter, visible_topics_filter

TABS = ("replies", "topics", "likes-given", "likes-received")


@dataclass
class Summary:
    topics: int
    replies: int
    likes_given: int
    likes_received: int


def _visible_posts(viewer):
    return select(Post.id).join(Topic, Topic.id == Post.topic_id).where(visible_posts_filter(), visible_topics_filter(viewer))


def summary(user: User, viewer) -> Summary:
    """Four counts in one query."""
    visible = _visible_posts(viewer).scalar_subquery
    posts_by = select(func.count(Post.id)).where(Post.user_id == user.id, Post.id.in_(visible()))
    likes_given = select(func.count()).select_from(PostLike).where(PostLike.user_id == user.id, PostLike.post_id.in_(visible()))
    likes_received = (
        select(func.count()).select_from(PostLike).join(Post, Post.id == PostLike.post_id)
        .where(Post.user_id == user.id, Post.id.in_(visible()))
    )
    row = db.session.execute(
        select(
            posts_by.where(Post.post_number == 1).scalar_subquery(),
            posts_by.where(Post.post_number > 1).scalar_subquery(),
            likes_given.scalar_subquery(),
            likes_received.scalar_subquery(),
        )
    ).one()
    return Summary(*row)


@dataclass
class ActivityItem:
    post: Post
    other: User | None = None  # who liked (likes received) or whose post was liked (likes given)


def activity(user: User, viewer, tab: str, limit: int = 30) -> list[ActivityItem]:
    visible = Post.id.in_(_visible_posts(viewer).scalar_subquery())
    options = (joinedload(Post.topic), joinedload(Post.author))
    if tab in ("topics", "replies"):
        numbered = Post.post_number == 1 if tab == "topics" else Post.post_number > 1
        posts = db.session.execute(
            select(Post).where(Post.user_id == user.id, numbered, visible).options(*options)
            .order_by(Post.created_at.desc()).limit(limit)
        ).scalars()
        return [ActivityItem(p) for p in posts]
    if tab == "likes-given":
        rows = db.session.execute(
            select(Post).join(PostLike, PostLike.post_id == Post.id).where(PostLike.user_id == user.id, visible)
            .options(*options).order_by(PostLike.created_at.desc()).limit(limit)
        ).scalars()
        return [ActivityItem(p, p.author) for p in rows]
    rows = db.session.execute(
        select(Post, User).join(PostLike, PostLike.post_id == Post.id).join(User, User.id == PostLike.user_id)
        .where(Post.user_id == user.id, visible).options(*options).order_by(PostLike.created_at.desc()).limit(limit)
    ).all()
    return [ActivityItem(post, liker) for post, liker in rows]


def search_members(prefix: str, limit: int = 8) -> list[User]:
    """Members whose username or display name starts with `prefix` (for @mention completion)."""
    prefix = prefix.lower().replace("\\", "").replace("%", "").replace("_", r"\_")
    if not prefix:
        return []
    return list(
        db.session.execute(
            select(User)
            .where(User.is_suspended.is_(False))
            .where(User.username_key.like(f"{prefix}%", escape="\\") | func.lower(User.display_name).like(f"{prefix}%", escape="\\"))
            .order_by(User.username_key)
            .limit(limit)
        ).scalars()
    )
