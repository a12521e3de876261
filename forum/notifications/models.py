"""A notification is a row written in the same transaction as its cause."""

import enum
import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User
from forum.board.models import Topic
from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class Kind(enum.StrEnum):
    MENTIONED = "mentioned"
    GROUP_MENTIONED = "group_mentioned"
    REPLIED = "replied"
    QUOTED = "quoted"
    POSTED = "posted"  # a new post in a watched topic or category
    LIKED = "liked"
    PRIVATE_MESSAGE = "private_message"
    MODERATION = "moderation"
    BOOKMARK_REMINDER = "bookmark_reminder"


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
        # The mail sweep looks back a bounded time for notifications it has not decided about.
        Index("ix_notifications_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(
        string_enum(Kind, 24)
    )
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    post_number: Mapped[int | None] = mapped_column()
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Small JSON payload: e.g. the names of everyone who liked a post, or a moderation message.
    data: Mapped[str] = mapped_column(Text, default="{}")
    summary: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    topic: Mapped[Topic | None] = relationship(lazy="raise")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="raise")

    @property
    def payload(self) -> dict:
        return json.loads(self.data or "{}")
