"""Per-member state of a topic (read position, notification level, visits) and of a category."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class NotificationLevel(enum.StrEnum):
    WATCHING = "watching"  # notified of every new post
    TRACKING = "tracking"  # unread counts shown; notified when replied to or mentioned
    NORMAL = "normal"  # notified when replied to or mentioned
    MUTED = "muted"  # never notified; hidden from /new and /unread


LEVEL_TYPE = string_enum(NotificationLevel, 12)


class TopicUser(db.Model):
    """One row per member per topic they have opened, posted in or set a level for."""

    __tablename__ = "topic_users"
    __table_args__ = (Index("ix_topic_users_topic", "topic_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    last_read_post_number: Mapped[int] = mapped_column(default=0)
    # None: follow the category's level (or the default).
    notification_level: Mapped[NotificationLevel | None] = mapped_column(LEVEL_TYPE)
    first_visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Page views by this member; the part not yet added to topics.views is view_count - view_count_folded.
    view_count: Mapped[int] = mapped_column(default=0)
    view_count_folded: Mapped[int] = mapped_column(default=0)


class CategoryUser(db.Model):
    __tablename__ = "category_users"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    notification_level: Mapped[NotificationLevel] = mapped_column(LEVEL_TYPE)
