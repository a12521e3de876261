from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import UTCDateTime, utcnow
from forum.extensions import db


class Draft(db.Model):
    """What a member has typed but not posted: one per composer (a topic's reply box, a category's new topic,
    the new private message)."""

    __tablename__ = "drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # "reply:<topic id>", "topic:<category id>" or "message:0"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(255))
    raw: Mapped[str] = mapped_column(Text, default="")
    reply_to: Mapped[int | None] = mapped_column()
    # A new private message's To field, as typed.
    recipients: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
