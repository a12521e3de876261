"""What a facilitator decides in the review queue: about a flagged post (agree and hide or delete it, disagree and
show it again, or close the flags), and about a post held for approval (approve or reject it). Flaggers and
authors are told the outcome by a notification. Each decision is audited, and each service flushes: the caller
commits."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.auth.models import User
from forum.board import services as board
from forum.board.models import Post, Topic
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.core.text import plain_excerpt
from forum.extensions import db
from forum.moderation import audit, held, posts
from forum.moderation.models import Flag, FlagStatus, QueuedPost, QueueStatus
from forum.notifications import services as notifications
from forum.notifications.models import Kind
from forum.policy import can


def _reviewer(actor: User) -> None:
    if not can(actor, "review"):
        raise NotAllowed(_l("Only facilitators review flags and held posts."))


def open_flags(post: Post) -> list[Flag]:
    return list(db.session.execute(
        select(Flag).where(Flag.post_id == post.id, Flag.status == FlagStatus.OPEN).order_by(Flag.id)
    ).scalars())


def _flags_to_decide(actor: User, post: Post) -> list[Flag]:
    _reviewer(actor)
    flags = open_flags(post)
    if not flags:
        raise DomainError(_l("These flags have been handled already."))
    return flags


def agree(actor: User, post: Post, *, delete: bool = False, reason: str | None = None) -> None:
    """The flaggers were right: hide the post with a reason its author reads (or delete it); they are told.
    The post's topic must be loaded."""
    flags = _flags_to_decide(actor, post)
    # Its author may have deleted it meanwhile: then only the flags are closed.
    if post.deleted_at is None and delete:
        if post.hidden_at is not None:
            # Counted out once, by the deletion (so that restoring it counts it back in).
            posts.show_post(actor, post, tell_author=False)
        board.delete_post(actor, post)
        audit.record(actor, "post.delete", "post", post.id, subject_user_id=post.user_id, reason=reason)
    elif post.deleted_at is None:
        posts.hide_post(actor, post, posts.check_reason(reason))
    _close(actor, post, flags, FlagStatus.AGREED)


def disagree(actor: User, post: Post) -> None:
    """The post is fine: show it again if it was hidden, and clear its flags; the flaggers are told."""
    flags = _flags_to_decide(actor, post)
    if post.hidden_at is not None:
        posts.show_post(actor, post)
    _close(actor, post, flags, FlagStatus.DISAGREED)


def ignore(actor: User, post: Post) -> None:
    """Close the flags and leave the post as it is (hidden, if the flags hid it); the flaggers are told."""
    _close(actor, post, _flags_to_decide(actor, post), FlagStatus.IGNORED)


# The staff log's action, and the outcome the flaggers are told.
DECISIONS = {
    FlagStatus.AGREED: ("flags.agree", "flag_agreed"),
    FlagStatus.DISAGREED: ("flags.disagree", "flag_disagreed"),
    FlagStatus.IGNORED: ("flags.ignore", "flag_ignored"),
}


def _close(actor: User, post: Post, flags: list[Flag], status: FlagStatus) -> None:
    now = utcnow()
    for found in flags:
        found.status, found.handled_at, found.handled_by_id = status, now, actor.id
    db.session.flush()
    action, outcome = DECISIONS[status]
    audit.record(actor, action, "post", post.id, subject_user_id=post.user_id, before={"open_flags": len(flags)},
                 after={"status": status})
    for flagger_id in sorted({found.user_id for found in flags} - {actor.id}):
        notifications.notify(
            flagger_id, Kind.MODERATION, topic=post.topic, post_number=post.post_number, actor_id=actor.id,
            data={"outcome": outcome}, summary=post.topic.title[:255],
        )


def open_message(actor: User, post: Post) -> None:
    """A facilitator reads a private message post that a participant flagged: that post alone, and the staff log
    records that they did."""
    _reviewer(actor)
    if not post.topic.is_private:
        raise NotAllowed(_l("Only flagged private messages are opened here."))
    flagged = db.session.execute(select(Flag.id).where(Flag.post_id == post.id).limit(1)).first()
    if flagged is None:
        raise NotAllowed(_l("Only flagged private messages are opened here."))
    audit.record(actor, "pm.view", "post", post.id, subject_user_id=post.user_id)


def approve(actor: User, queued: QueuedPost) -> Post | Topic:
    """Publish a held post as its author wrote it; they are told."""
    _reviewer(actor)
    written = held.approve(actor, queued)
    topic = written if isinstance(written, Topic) else db.session.get(Topic, queued.topic_id)
    post_number = 1 if isinstance(written, Topic) else written.post_number
    notifications.notify(queued.user_id, Kind.MODERATION, topic=topic, post_number=post_number, actor_id=actor.id,
                         data={"outcome": "approved"}, summary=topic.title[:255])
    return written


def reject(actor: User, queued: QueuedPost, reason: str) -> None:
    """Turn a held post down with a reason its author is told."""
    _reviewer(actor)
    reason = posts.check_reason(reason)
    held.reject(actor, queued, reason)
    topic = db.session.get(Topic, queued.topic_id) if queued.topic_id is not None else None
    summary = topic.title if topic is not None else (queued.title or plain_excerpt(queued.raw, 100))
    notifications.notify(queued.user_id, Kind.MODERATION, topic=topic, actor_id=actor.id,
                         data={"outcome": "rejected", "reason": reason}, summary=summary[:255])


def open_count() -> int:
    """Items waiting in the review queue: posts with open flags, and held posts."""
    flagged = select(func.count(func.distinct(Flag.post_id))).where(Flag.status == FlagStatus.OPEN)
    waiting = select(func.count(QueuedPost.id)).where(QueuedPost.status == QueueStatus.PENDING)
    return sum(db.session.execute(select(flagged.scalar_subquery(), waiting.scalar_subquery())).one())
