"""Duplicate posts: the same text from the same member again within FORUM_DUPLICATE_POST_SECONDS (a minute) is
refused, as Discourse's unique-post check does. A gate rule that refuses by raising a DomainError: the author
keeps their text in the composer (or gets it back by mail) with the reason, and nothing is queued. It catches
a double-sent form as well as one message pasted into many topics. Staff are not checked (as in Discourse)."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from forum.auth.models import User
from forum.board import gate
from forum.board.models import Post
from forum.core.errors import DomainError
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation.models import QueuedPost, QueueStatus

RULE = "duplicate"


class DuplicatePost(DomainError):
    def __init__(self, seconds: int):
        super().__init__(
            _l("You posted exactly this a moment ago. Please wait %(n)d seconds, or change the text.", n=seconds),
            field="raw",
        )


def refuse_duplicate(submission: gate.Submission) -> None:
    """The gate rule: raise DuplicatePost if the member wrote the same text (posted or held) just now."""
    seconds = current_app.config["FORUM_DUPLICATE_POST_SECONDS"]
    if seconds <= 0:
        return None
    author = db.session.get(User, submission.author_id)
    if author is None or author.is_staff:
        return None
    since = utcnow() - timedelta(seconds=seconds)
    posted = select(Post.id).where(Post.user_id == author.id, Post.created_at >= since, Post.raw == submission.raw)
    waiting = select(QueuedPost.id).where(
        QueuedPost.user_id == author.id, QueuedPost.status == QueueStatus.PENDING, QueuedPost.created_at >= since,
        QueuedPost.raw == submission.raw,
    )
    if db.session.execute(select(or_(posted.exists(), waiting.exists()))).scalar():
        raise DuplicatePost(seconds)
    return None


def register() -> None:
    # Before the approval rules: a duplicate is refused rather than held twice.
    gate.add_rule(refuse_duplicate)
