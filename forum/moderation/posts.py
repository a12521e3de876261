"""Moderating one post: hide it (with a reason its author reads on it) or show it again, make it a wiki that any
member may edit, lock its edits. Each service checks the policy, writes its audit row and flushes; the caller
commits. A hidden post leaves every list, count, search, digest and email at once (policy.visible_posts_filter);
here the stored counts and the notifications it caused follow."""

from flask_babel import lazy_gettext as _l

from forum.auth.models import User
from forum.board import services as board
from forum.board.models import Post
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation import audit
from forum.notifications import services as notifications
from forum.notifications.models import Kind
from forum.policy import can

MAX_REASON_CHARS = 500
HIDDEN_FIELDS = ("hidden_at", "hidden_reason", "hidden_by_id")


def check_reason(reason: str | None, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give a reason; the author reads it on their post."), field=field)
    if len(reason) > MAX_REASON_CHARS:
        raise DomainError(_l("Reasons are limited to %(n)d characters.", n=MAX_REASON_CHARS), field=field)
    return reason


def _may_moderate(actor: User, post: Post) -> None:
    """Hiding, wiki mode and locking are for the topic's moderators (post.topic and its category loaded), and
    a facilitator's post for facilitators."""
    if not can(actor, "moderate_post", post):
        raise NotAllowed(_l("Only facilitators and the category's moderators do that, and only facilitators to a "
                            "facilitator's post."))
    if post.deleted_at is not None:
        raise DomainError(_l("This post is deleted."))


def hide(actor: User, post: Post, reason: str) -> None:
    """Hide a post from everyone but its author and staff; the author reads the reason on it and is told."""
    _may_moderate(actor, post)
    if post.hidden_at is not None:
        raise DomainError(_l("This post is hidden already."))
    hide_post(actor, post, check_reason(reason))


def unhide(actor: User, post: Post) -> None:
    """Show a hidden post again (its open flags stay in the review queue)."""
    _may_moderate(actor, post)
    if post.hidden_at is None:
        raise DomainError(_l("This post is not hidden."))
    show_post(actor, post)


def hide_post(actor: User | None, post: Post, reason: str, *, tell_author: bool = True) -> None:
    """Hide, or keep hidden with this reason and hider, for a caller that has checked the actor may (the review
    queue; flags, whose actor is None: the members' flags hid it)."""
    before = audit.snapshot(post, *HIDDEN_FIELDS)
    was_visible = post.hidden_at is None
    post.hidden_at = post.hidden_at or utcnow()
    post.hidden_reason = reason
    post.hidden_by_id = actor.id if actor is not None else None
    if was_visible:
        post_left_view(post)
    audit.record(actor, "post.hide", "post", post.id, subject_user_id=post.user_id, reason=reason, before=before,
                 after=audit.snapshot(post, *HIDDEN_FIELDS))
    if tell_author and (actor is None or actor.id != post.user_id):
        notify_author(post, actor, {"outcome": "hidden" if actor is not None else "hidden_by_flags", "reason": reason})


def show_post(actor: User, post: Post, *, tell_author: bool = True) -> None:
    """Show a hidden post again, for a caller that has checked the actor may."""
    before = audit.snapshot(post, *HIDDEN_FIELDS)
    post.hidden_at = post.hidden_reason = post.hidden_by_id = None
    post_came_back(post)
    audit.record(actor, "post.unhide", "post", post.id, subject_user_id=post.user_id, before=before,
                 after=audit.snapshot(post, *HIDDEN_FIELDS))
    if tell_author and actor.id != post.user_id:
        notify_author(post, actor, {"outcome": "unhidden"})


def post_left_view(post: Post) -> None:
    """A post was just hidden: counts, the notifications it caused, and its topic, which leaves every list while
    its opening post is hidden (as Discourse unlists it)."""
    board.post_visibility_changed(post, shown=False)
    notifications.withdraw_post_notifications(post.topic_id, post.post_number, keep_user_id=post.user_id)
    if post.is_first:
        post.topic.hidden_at = post.hidden_at


def post_came_back(post: Post) -> None:
    """A hidden post was just shown again (a deleted one stays out of the counts)."""
    if post.deleted_at is None:
        board.post_visibility_changed(post, shown=True)
    if post.is_first:
        post.topic.hidden_at = None


def notify_author(post: Post, actor: User | None, data: dict) -> None:
    notifications.notify(
        post.user_id, Kind.MODERATION, topic=post.topic, post_number=post.post_number,
        actor_id=actor.id if actor is not None else None, data=data, summary=post.topic.title[:255],
    )


def set_wiki(actor: User, post: Post, on: bool) -> None:
    """Wiki mode: any member who can read the post may edit it (each edit kept as a revision)."""
    _set_flag(actor, post, "is_wiki", on, "post.wiki_on" if on else "post.wiki_off")


def set_edits_locked(actor: User, post: Post, locked: bool) -> None:
    """Locked edits: only staff edit or delete the post, its author included."""
    _set_flag(actor, post, "edits_locked", locked, "post.lock_edits" if locked else "post.unlock_edits")


def _set_flag(actor: User, post: Post, name: str, value: bool, action: str) -> None:
    _may_moderate(actor, post)
    if getattr(post, name) == value:
        return
    before = audit.snapshot(post, name)
    setattr(post, name, value)
    db.session.flush()
    audit.record(actor, action, "post", post.id, subject_user_id=post.user_id, before=before,
                 after=audit.snapshot(post, name))
