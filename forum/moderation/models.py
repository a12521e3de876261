"""What moderation keeps: the staff action log, flags, posts held for approval, topic timers, and where posts went
when a topic was split or merged (so that their old links still lead to them)."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class ModerationAction(db.Model):
    """One row per moderation action: who, when, what, on what, why, and the state before and after (JSON).
    Written by the service in the action's own transaction; nothing in the UI edits or deletes it."""

    __tablename__ = "moderation_log"
    __table_args__ = (Index("ix_moderation_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "post.hide", "topic.close", "user.silence"
    target_type: Mapped[str] = mapped_column(String(20))  # post, topic, user, flag, queued_post
    target_id: Mapped[int] = mapped_column()
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


class FlagKind(enum.StrEnum):
    OFF_TOPIC = "off_topic"
    INAPPROPRIATE = "inappropriate"
    NEEDS_FACILITATOR = "needs_facilitator"
    OTHER = "other"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    AGREED = "agreed"  # the post was hidden or deleted
    DISAGREED = "disagreed"  # the post was restored, the flags cleared
    IGNORED = "ignored"  # closed without acting on the post


class Flag(db.Model):
    """A member's flag on a post (a topic is flagged through its first post). One per member and post."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("post_id", "user_id", name="uq_flags_post_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[FlagKind] = mapped_column(string_enum(FlagKind, 20))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[FlagStatus] = mapped_column(string_enum(FlagStatus, 12), default=FlagStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class QueueStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class QueuedPost(db.Model):
    """A post the gate held for a facilitator's approval, kept as it was submitted: approving it writes it
    through the board's one write path; the author sees it as "awaiting approval" meanwhile."""

    __tablename__ = "queued_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))  # which gate rule held it
    raw: Mapped[str] = mapped_column(Text)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    title: Mapped[str | None] = mapped_column(String(255))
    reply_to_post_number: Mapped[int | None] = mapped_column()
    status: Mapped[QueueStatus] = mapped_column(string_enum(QueueStatus, 10), default=QueueStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))  # once approved


class TimerAction(enum.StrEnum):
    CLOSE = "close"
    OPEN = "open"
    PUBLISH = "publish"  # an unlisted topic becomes listed


class TopicTimer(db.Model):
    """Close, open or publish a topic at a time; the worker's periodic job carries it out once."""

    __tablename__ = "topic_timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    action: Mapped[TimerAction] = mapped_column(string_enum(TimerAction, 10))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PostMove(db.Model):
    """Where a post went when its topic was split or merged: its old topic and number lead to it."""

    __tablename__ = "post_moves"

    old_topic_id: Mapped[int] = mapped_column(primary_key=True)
    old_post_number: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicRedirect(db.Model):
    """A topic merged into another: its old address leads to the topic that took its posts."""

    __tablename__ = "topic_redirects"

    old_topic_id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
