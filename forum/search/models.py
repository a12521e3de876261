"""The index outbox: every change that the search index must follow is a row written in the same transaction
as the change itself. A writer drains the rows after commit; a crash between commit and index loses nothing,
because the row stays until the index has taken it."""

from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import UTCDateTime, utcnow
from forum.extensions import db


class SearchQueue(db.Model):
    """One thing to re-read into the index: a post, a whole topic (title, category, status) or a member; a row
    naming none of them says that records (forum.search.records) changed."""

    __tablename__ = "search_queue"
    __table_args__ = (Index("ix_search_queue_pending", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign keys on purpose: the row must outlive a deleted post so that the index forgets it too.
    post_id: Mapped[int | None] = mapped_column()
    topic_id: Mapped[int | None] = mapped_column()
    user_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Kept for a day after processing so that a rebuild can replay what changed while it ran.
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

