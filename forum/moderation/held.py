"""Posts the gate holds for a facilitator's approval: a rule keeps the submission here (hold), and the review
queue approves it (written then through the board's one write path, as its author) or rejects it."""

from flask_babel import lazy_gettext as _l

from forum.auth.models import User
from forum.board import gate
from forum.board import services as board
from forum.board.models import Category, Post, Topic
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.models import QueuedPost, QueueStatus
from forum.policy import can


def hold(submission: gate.Submission, rule: str, message: str) -> gate.Held:
    """Keep the submission for review and tell its author so (a gate rule returns this)."""
    db.session.add(QueuedPost(
        user_id=submission.author_id, rule=rule, raw=submission.raw, topic_id=submission.topic_id,
        category_id=submission.category_id, title=submission.title,
        reply_to_post_number=submission.reply_to_post_number,
    ))
    db.session.flush()
    return gate.Held(rule=rule, message=message)


def _pending(queued: QueuedPost) -> None:
    if queued.status != QueueStatus.PENDING:
        raise DomainError(_l("This post has already been handled."))


def approve(actor: User, queued: QueuedPost) -> Post | Topic:
    """Write the held post as its author wrote it (a topic if it started one); the author may since have lost
    the right to post there, which refuses the approval with the reason."""
    if not can(actor, "review"):
        raise NotAllowed(_l("Only facilitators approve posts."))
    _pending(queued)
    author = db.session.get(User, queued.user_id)
    with gate.approved():
        if queued.topic_id is not None:
            written = board.create_post(author, db.session.get(Topic, queued.topic_id), queued.raw,
                                        queued.reply_to_post_number)
            post_id = written.id
        else:
            written = board.create_topic(author, db.session.get(Category, queued.category_id), queued.title or "",
                                         queued.raw)
            post_id = db.session.query(Post.id).filter(Post.topic_id == written.id, Post.post_number == 1).scalar()
    queued.status, queued.handled_at, queued.handled_by_id, queued.post_id = (
        QueueStatus.APPROVED, utcnow(), actor.id, post_id,
    )
    audit.record(actor, "queued_post.approve", "queued_post", queued.id, subject_user_id=queued.user_id,
                 after={"post_id": post_id})
    return written


def reject(actor: User, queued: QueuedPost, reason: str | None = None) -> None:
    if not can(actor, "review"):
        raise NotAllowed(_l("Only facilitators reject posts."))
    _pending(queued)
    queued.status, queued.handled_at, queued.handled_by_id = QueueStatus.REJECTED, utcnow(), actor.id
    audit.record(actor, "queued_post.reject", "queued_post", queued.id, subject_user_id=queued.user_id, reason=reason)
    db.session.flush()
