"""Members flag posts for a facilitator's attention: one flag per member and post, on posts they can read and did
not write (a topic is flagged through its first post; a private message by its participants). Enough open flags
(FORUM_FLAGS_TO_HIDE, staff's included) hide the post at once until a facilitator has reviewed it."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.auth.models import User
from forum.board.models import Post
from forum.core.errors import DomainError, NotAllowed
from forum.extensions import db
from forum.moderation import posts
from forum.moderation.models import Flag, FlagKind, FlagStatus
from forum.policy import can, post_is_visible

MAX_NOTE_CHARS = 1000
# Kept as the hidden post's reason (for the log and the queue); its author and staff read it translated.
HIDDEN_BY_FLAGS = "Hidden after flags from members; a facilitator will review it."

KIND_LABELS = {
    FlagKind.OFF_TOPIC: _l("Off-topic: it does not belong in this conversation"),
    FlagKind.INAPPROPRIATE: _l("Inappropriate: unkind, offensive or against the guidelines"),
    FlagKind.NEEDS_FACILITATOR: _l("A facilitator should look at it"),
    FlagKind.OTHER: _l("Something else (please say what)"),
}
KIND_NAMES = {
    FlagKind.OFF_TOPIC: _l("off-topic"),
    FlagKind.INAPPROPRIATE: _l("inappropriate"),
    FlagKind.NEEDS_FACILITATOR: _l("needs a facilitator"),
    FlagKind.OTHER: _l("something else"),
}


def may_flag(member: User, post: Post) -> bool:
    """Whether the member may flag this post (post.topic loaded): they can read it, it is shown, not theirs."""
    return (
        can(member, "view_topic", post.topic) and post_is_visible(post) and can(member, "flag_post", post)
    )


def flag(member: User, post: Post, kind: FlagKind | str, note: str | None = None) -> Flag:
    """Flag a post (post.topic loaded; a topic is flagged by its first post); the flag that brings the open flags
    to FORUM_FLAGS_TO_HIDE hides it."""
    if not may_flag(member, post):
        raise NotAllowed(_l("You cannot flag this post."))
    try:
        kind = FlagKind(kind)
    except ValueError:
        raise DomainError(_l("Please choose why you flag this post."), field="kind") from None
    note = (note or "").strip() or None
    if kind == FlagKind.OTHER and note is None:
        raise DomainError(_l("Please say what is wrong."), field="note")
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise DomainError(_l("Notes are limited to %(n)d characters.", n=MAX_NOTE_CHARS), field="note")
    already = db.session.execute(
        select(Flag.id).where(Flag.post_id == post.id, Flag.user_id == member.id)
    ).scalar_one_or_none()
    if already is not None:
        raise DomainError(_l("You have flagged this post already."))
    raised = Flag(post_id=post.id, user_id=member.id, kind=kind, note=note)
    db.session.add(raised)
    db.session.flush()
    # Only the flag that reaches the threshold hides the post: one a facilitator has shown again stays shown
    # while its flags wait in the queue.
    if open_flag_count(post) == current_app.config["FORUM_FLAGS_TO_HIDE"] and post.hidden_at is None:
        posts.hide_post(None, post, HIDDEN_BY_FLAGS)
    return raised


def open_flag_count(post: Post) -> int:
    return db.session.execute(
        select(func.count(Flag.id)).where(Flag.post_id == post.id, Flag.status == FlagStatus.OPEN)
    ).scalar_one()


def suggested_reason(kinds) -> str:
    """What a facilitator agreeing with flags of these kinds might tell the author (the form lets them change it)."""
    names = ", ".join(str(KIND_NAMES[kind]) for kind in dict.fromkeys(kinds))
    return str(_l("Flagged as %(kinds)s", kinds=names))
