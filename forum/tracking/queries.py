"""Read state for pages: what is new or unread for a member, in a fixed number of queries per page."""

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select

from forum.board.models import Post, Topic
from forum.extensions import db
from forum.policy import is_member, visible_posts_filter
from forum.tracking.models import CategoryUser, NotificationLevel, TopicUser


@dataclass(frozen=True)
class TopicState:
    is_new: bool = False
    unread: int = 0
    last_read_post_number: int = 0
    level: NotificationLevel | None = None


NO_STATE = TopicState()


def _unread_posts(user_id: int):
    """Visible posts after the member's read position, per topic (deleted posts never count)."""
    return (
        select(Post.topic_id, func.count(Post.id).label("unread"))
        .join(TopicUser, and_(TopicUser.topic_id == Post.topic_id, TopicUser.user_id == user_id))
        .where(Post.post_number > TopicUser.last_read_post_number, visible_posts_filter())
        .group_by(Post.topic_id)
    )


def topic_states(user, topics: list[Topic]) -> dict[int, TopicState]:
    """New/unread state of each topic for a member; two queries for the whole list."""
    if not is_member(user) or not topics:
        return {}
    ids = [t.id for t in topics]
    rows = {
        row.topic_id: row
        for row in db.session.execute(select(TopicUser).where(TopicUser.user_id == user.id, TopicUser.topic_id.in_(ids))).scalars()
    }
    unread = dict(db.session.execute(_unread_posts(user.id).where(Post.topic_id.in_(ids))).all())
    states = {}
    for topic in topics:
        row = rows.get(topic.id)
        if row is None:
            states[topic.id] = TopicState(is_new=topic.created_at >= user.created_at)
        else:
            states[topic.id] = TopicState(
                unread=unread.get(topic.id, 0),
                last_read_post_number=row.last_read_post_number,
                level=row.notification_level,
            )
    return states


def reading_state(user, topic: Topic) -> TopicUser | None:
    """The member's row for this topic (read position, level), or None for visitors and first visits."""
    if not is_member(user):
        return None
    return db.session.get(TopicUser, (user.id, topic.id))


def _muted_categories(user_id: int):
    return select(CategoryUser.category_id).where(
        CategoryUser.user_id == user_id, CategoryUser.notification_level == NotificationLevel.MUTED
    )


def new_topics_filter(user):
    """Topics created since the member joined that they have never opened (nor muted), archived ones aside."""
    opened = exists().where(TopicUser.topic_id == Topic.id, TopicUser.user_id == user.id)
    return and_(
        Topic.created_at >= user.created_at, ~opened, Topic.category_id.not_in(_muted_categories(user.id)),
        Topic.archived_at.is_(None),
    )


def unread_topics_filter(user):
    """Topics the member has opened that have visible posts after their read position (not muted nor archived)."""
    unread = (
        select(Post.id)
        .join(TopicUser, and_(TopicUser.topic_id == Post.topic_id, TopicUser.user_id == user.id))
        .where(Post.topic_id == Topic.id, Post.post_number > TopicUser.last_read_post_number, visible_posts_filter())
        .where(TopicUser.notification_level.is_(None) | (TopicUser.notification_level != NotificationLevel.MUTED))
        .exists()
    )
    return and_(unread, Topic.category_id.not_in(_muted_categories(user.id)), Topic.archived_at.is_(None))


def category_level(user, category_id: int) -> NotificationLevel | None:
    if not is_member(user):
        return None
    return db.session.execute(
        select(CategoryUser.notification_level).where(CategoryUser.user_id == user.id, CategoryUser.category_id == category_id)
    ).scalar_one_or_none()
