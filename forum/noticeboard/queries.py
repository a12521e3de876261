"""What the Noticeboard shows: the latest pinned notice with the member's read position (one query, for the
banner on every page), and the notices a facilitator may pin."""

from sqlalchemy import and_, func, select

from forum.board.models import Category, Post, Topic
from forum.extensions import db
from forum.policy import live_topics_filter, visible_posts_filter
from forum.tracking.models import TopicUser

CATEGORY_SLUG = "noticeboard"
# The banner's excerpt is made from the beginning of the notice: a long notice costs no more than a short one.
EXCERPT_SOURCE_CHARS = 1000
NOTICES_LISTED = 30


def noticeboard() -> Category | None:
    return db.session.execute(select(Category).where(Category.slug == CATEGORY_SLUG)).scalar_one_or_none()


def latest_pinned_notice(user_id: int) -> tuple[Topic, str, int] | None:
    """The newest pinned, live notice with the beginning of its text and how far the member has read it (0 when
    never opened), or None. One query; whether the member may read it is the caller's question to the policy."""
    row = db.session.execute(
        select(Topic, func.substr(Post.raw, 1, EXCERPT_SOURCE_CHARS), TopicUser.last_read_post_number)
        .join(Category, Category.id == Topic.category_id)
        .join(Post, and_(Post.topic_id == Topic.id, Post.post_number == 1))
        .outerjoin(TopicUser, and_(TopicUser.topic_id == Topic.id, TopicUser.user_id == user_id))
        .where(
            Category.slug == CATEGORY_SLUG, Topic.is_pinned.is_(True), Topic.is_private.is_(False),
            live_topics_filter(), visible_posts_filter(),
        )
        .order_by(Topic.created_at.desc(), Topic.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    topic, raw, last_read = row
    return topic, raw, last_read or 0


def notices(category: Category) -> list[Topic]:
    """The Noticeboard's live topics for the facilitators' page: the pinned ones, then the others, newest first."""
    return list(db.session.execute(
        select(Topic)
        .where(Topic.category_id == category.id, Topic.is_private.is_(False), live_topics_filter())
        .order_by(Topic.is_pinned.desc(), Topic.created_at.desc(), Topic.id.desc())
        .limit(NOTICES_LISTED)
    ).scalars())
