"""What inbound mail keeps: every message as received (stored before it is parsed) with its outcome, the reply
keys that notification emails hand out, and the addresses that start topics in a category."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class InboundStatus(enum.StrEnum):
    RECEIVED = "received"  # stored, waiting for the job that processes it
    POSTED = "posted"  # became a post (or a topic)
    REJECTED = "rejected"  # refused; the sender was told why
    DROPPED = "dropped"  # an auto-reply, a loop or a duplicate: nobody is told
    BOUNCE = "bounce"  # a delivery report about our own mail, counted against the member
    HELD = "held"  # the gate held the post for approval
    FAILED = "failed"  # processing crashed; an admin can process it again


class InboundEmail(db.Model):
    """One received message, raw, and what became of it."""

    __tablename__ = "inbound_emails"
    __table_args__ = (
        Index("ix_inbound_emails_message_id", "message_id"),
        Index("ix_inbound_emails_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))  # "smtp", "pipe" or "webhook"
    envelope_from: Mapped[str | None] = mapped_column(String(254))
    envelope_to: Mapped[str | None] = mapped_column(Text)  # the RCPT TO addresses, one per line
    message_id: Mapped[str | None] = mapped_column(String(255))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column()
    status: Mapped[InboundStatus] = mapped_column(string_enum(InboundStatus, 12), default=InboundStatus.RECEIVED)
    reason: Mapped[str | None] = mapped_column(String(40))  # the rejection's or drop's named reason
    detail: Mapped[str | None] = mapped_column(Text)  # what an admin needs to know (an error, a refused part)
    from_address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReplyKey(db.Model):
    """The secret in a notification email's Reply-To address (reply+<key>@<incoming domain>): bound to the
    member it was sent to and the post it is about. Only a hash of the key is stored."""

    __tablename__ = "reply_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CategoryAddress(db.Model):
    """A category's own incoming address (<local part>@<incoming domain>): mail to it starts a topic there."""

    __tablename__ = "category_addresses"

    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    local_part: Mapped[str] = mapped_column(String(64), unique=True)
