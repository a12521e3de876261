"""Bookmarks and their reminders. Services flush, never commit."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.auth.models import User
from forum.board.models import Post
from forum.board.queries import topic_for_view
from forum.bookmarks.models import Bookmark
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.extensions import db
from forum.notifications import services as notification_services
from forum.notifications.models import Kind
from forum.policy import can


def save_bookmark(user: User, post: Post, note: str | None = None, reminder_at: datetime | None = None) -> Bookmark:
    """Bookmark a post (or change the note and reminder of an existing bookmark)."""
    if not can(user, "view_topic", post.topic) or not can(user, "view_post_content", post):
        raise NotAllowed(_l("You cannot bookmark this post."))
    if reminder_at is not None and reminder_at <= utcnow():
        raise DomainError(_l("Choose a reminder time in the future."), field="reminder_at")
    bookmark = db.session.execute(
        select(Bookmark).where(Bookmark.user_id == user.id, Bookmark.post_id == post.id)
    ).scalar_one_or_none()
    if bookmark is None:
        bookmark = Bookmark(user_id=user.id, post_id=post.id)
        db.session.add(bookmark)
    bookmark.note = (note or "").strip()[:500] or None
    bookmark.reminder_at = reminder_at
    bookmark.reminded_at = None
    db.session.flush()
    return bookmark


def delete_bookmark(user: User, bookmark: Bookmark) -> None:
    if bookmark.user_id != user.id:
        raise NotAllowed(_l("That is not your bookmark."))
    db.session.delete(bookmark)
    db.session.flush()


def send_due_reminders(limit: int = 200) -> int:
    """Notify members of bookmarks whose reminder time has come (if they can still read the post)."""
    due = db.session.execute(
        select(Bookmark, User)
        .join(User, User.id == Bookmark.user_id)
        .where(Bookmark.reminder_at <= utcnow(), Bookmark.reminded_at.is_(None))
        .limit(limit)
    ).all()
    sent = 0
    for bookmark, user in due:
        post = db.session.get(Post, bookmark.post_id)
        bookmark.reminded_at = utcnow()
        topic = topic_for_view(post.topic_id)
        if topic is None or not can(user, "view_topic", topic):
            continue
        notification_services.notify(
            user.id, Kind.BOOKMARK_REMINDER, topic=topic, post_number=post.post_number,
            data={"note": bookmark.note or ""}, summary=topic.title[:255],
        )
        sent += 1
    db.session.flush()
    return sent
