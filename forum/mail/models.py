"""What mail remembers: each member's email preferences, the categories they follow as a mailing list, which
notifications were considered for email, permanent delivery failures, and digest runs."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class DigestFrequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class EmailPreferences(db.Model):
    """One row per member who changed a default; a member without a row has the defaults below."""

    __tablename__ = "email_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # Email for each kind of notification (mentions include group mentions).
    mentions: Mapped[bool] = mapped_column(default=True)
    replies: Mapped[bool] = mapped_column(default=True)
    quotes: Mapped[bool] = mapped_column(default=True)
    watching: Mapped[bool] = mapped_column(default=True)
    messages: Mapped[bool] = mapped_column(default=True)
    reminders: Mapped[bool] = mapped_column(default=True)
    # Only email when the member has not been on the site for this many minutes (0: whenever).
    away_minutes: Mapped[int] = mapped_column(default=10)
    digest: Mapped[DigestFrequency] = mapped_column(string_enum(DigestFrequency, 8), default=DigestFrequency.WEEKLY)
    digest_hour: Mapped[int] = mapped_column(default=8)  # in the member's own time zone
    digest_weekday: Mapped[int] = mapped_column(default=0)  # Monday, for weekly digests
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A permanent delivery failure (a 5xx answer): shown to admins and to the member.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure: Mapped[str | None] = mapped_column(Text)
    # Hard bounces reported back for mail to the member (reply-by-mail counts them); past a threshold the
    # address is marked failed above instead of being hammered.
    bounces: Mapped[int] = mapped_column(default=0)


class MailingListSubscription(db.Model):
    """Mailing-list mode: every new post in the category by email (Mailman-style)."""

    __tablename__ = "mailing_list_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationEmail(db.Model):
    """A notification the mail sweep has decided about: one row each, so that it is emailed at most once."""

    __tablename__ = "notification_emails"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(String(24))  # "queued", or why not: "read", "preference", "gone", ...
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailingListEmail(db.Model):
    """A post the mailing-list sweep has decided about for one member: each post is mailed once per member."""

    __tablename__ = "mailing_list_emails"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(24))  # "queued", or why not: "notified", "gone", ...
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestRun(db.Model):
    """One digest run per hour; it records how far it got, so that a run that stopped resumes there."""

    __tablename__ = "digest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, unique=True)  # the UTC hour the run is for
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_user_id: Mapped[int] = mapped_column(default=0)  # members are taken in id order
    sent: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)


class DigestSent(db.Model):
    """One row per member per digest period: never two digests for one period."""

    __tablename__ = "digests_sent"
    __table_args__ = (
        UniqueConstraint("user_id", "period", name="uq_digests_sent_user_period"),
        Index("ix_digests_sent_run", "run_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))  # e.g. "2026-12-03" (daily) or "2026-W49" (weekly)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("digest_runs.id", ondelete="SET NULL"))
    outbox_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
