"""Member actions: silence (read only) and suspend (no login), for a period or until lifted, with a reason the
member sees; lift either; reset a member's profile. Each is one transaction with its audit row; the views, the
CLI and later the API call these. A period's end lifts the restriction by itself (User.is_silenced and
is_active read the end), and the periodic job below then clears it and logs it, as the system.

A suspension ends the member's sessions at once (as "Log out everywhere" does: reset links already sent stop
working too) and hides their posts in the same transaction, marked AUTHOR_SUSPENDED so that lifting it shows
exactly those again and leaves posts hidden for other reasons hidden. A silence hides nothing: the member may
not post, message or flag (Policy.can_write), and their mentions notify nobody (forum.notifications)."""

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.auth import sessions
from forum.auth.models import User, UserSession
from forum.board.models import Post
from forum.core.errors import DomainError, NotAllowed
from forum.core.jobs import register_periodic
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.posts import post_came_back, post_left_view
from forum.policy import can

AUTHOR_SUSPENDED = "author_suspended"  # Post.hidden_reason of the posts a suspension hid
REASON_LENGTH = 500
_SILENCE = ("silenced_at", "silenced_until", "silence_reason")
_SUSPENSION = ("is_suspended", "suspended_until", "suspend_reason")
_PROFILE = ("display_name", "organisation", "bio", "avatar")


def _check_may(actor: User, member: User) -> None:
    if not can(actor, "moderate_member", member):
        raise NotAllowed(_l("You cannot moderate this member."))


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give a reason: the member will read it."), field="reason")
    if len(reason) > REASON_LENGTH:
        raise DomainError(_l("Keep the reason under %(n)d characters.", n=REASON_LENGTH), field="reason")
    return reason


def _end(until: datetime | None) -> datetime | None:
    if until is not None and until <= utcnow():
        raise DomainError(_l("Choose an end in the future, or none to last until lifted."), field="until")
    return until


def _record(actor: User | None, action: str, member: User, fields: tuple, before: dict, reason: str | None = None,
            **extra) -> None:
    audit.record(actor, action, "user", member.id, subject_user_id=member.id, reason=reason, before=before,
                 after={**audit.snapshot(member, *fields), **extra})


# --- silence -------------------------------------------------------------------------------------------

def silence(actor: User, member: User, reason: str, until: datetime | None = None) -> None:
    """Make the member read only until `until` (None: until lifted); they see the reason on every page."""
    _check_may(actor, member)
    reason, until = _reason(reason), _end(until)
    before = audit.snapshot(member, *_SILENCE)
    member.silenced_at, member.silenced_until, member.silence_reason = utcnow(), until, reason
    _record(actor, "user.silence", member, _SILENCE, before, reason)


def unsilence(actor: User | None, member: User, reason: str | None = None) -> None:
    """Lift a silence (actor None: its period ended)."""
    if actor is not None:
        _check_may(actor, member)
    if member.silenced_at is None:
        raise DomainError(_l("This member is not silenced."))
    before = audit.snapshot(member, *_SILENCE)
    member.silenced_at = member.silenced_until = member.silence_reason = None
    _record(actor, "user.unsilence", member, _SILENCE, before, reason)


# --- suspension ----------------------------------------------------------------------------------------

def suspend(actor: User, member: User, reason: str, until: datetime | None = None) -> None:
    """Refuse the member's logins until `until` (None: until lifted), end their sessions now, hide their posts."""
    _check_may(actor, member)
    reason, until = _reason(reason), _end(until)
    before = audit.snapshot(member, *_SUSPENSION)
    member.is_suspended, member.suspended_until, member.suspend_reason = True, until, reason
    sessions.end_all_sessions(member)
    hidden = _hide_posts(member, actor)
    _record(actor, "user.suspend", member, _SUSPENSION, before, reason, posts_hidden=hidden)


def unsuspend(actor: User | None, member: User, reason: str | None = None) -> None:
    """Let the member log in again and show the posts their suspension hid (actor None: its period ended)."""
    if actor is not None:
        _check_may(actor, member)
    if not member.is_suspended:
        raise DomainError(_l("This member is not suspended."))
    before = audit.snapshot(member, *_SUSPENSION)
    member.is_suspended, member.suspended_until, member.suspend_reason = False, None, None
    shown = _show_posts(member)
    _record(actor, "user.unsuspend", member, _SUSPENSION, before, reason, posts_shown=shown)


def _posts(*conditions) -> list[Post]:
    return list(db.session.execute(
        select(Post).where(*conditions).options(joinedload(Post.topic)).order_by(Post.id)
    ).scalars())


def _hide_posts(member: User, actor: User) -> int:
    """Hide the member's shown posts (one audit row for all: the suspension's), and withdraw the notifications
    they caused, as hiding one post does (forum/moderation/posts.py)."""
    posts = _posts(Post.user_id == member.id, Post.hidden_at.is_(None), Post.deleted_at.is_(None))
    now = utcnow()
    for post in posts:
        post.hidden_at, post.hidden_reason, post.hidden_by_id = now, AUTHOR_SUSPENDED, actor.id
        post_left_view(post)
    return len(posts)


def _show_posts(member: User) -> int:
    """Show again exactly the posts the suspension hid; posts hidden for another reason stay hidden."""
    posts = _posts(Post.user_id == member.id, Post.hidden_at.is_not(None), Post.hidden_reason == AUTHOR_SUSPENDED)
    for post in posts:
        post.hidden_at = post.hidden_reason = post.hidden_by_id = None
        post_came_back(post)
    return len(posts)


# --- profile -------------------------------------------------------------------------------------------

def reset_profile(actor: User, member: User, reason: str | None = None) -> str | None:
    """Put the display name back to the username and clear the organisation, bio and picture; returns the
    picture removed (for avatars.delete_unused_files once the reset has committed)."""
    _check_may(actor, member)
    before = audit.snapshot(member, *_PROFILE)
    picture = member.avatar
    member.display_name, member.organisation, member.bio, member.avatar = member.username, None, None, None
    _record(actor, "user.reset_profile", member, _PROFILE, before, (reason or "").strip() or None)
    db.session.flush()
    return picture


# --- periods that end ----------------------------------------------------------------------------------

def lift_ended() -> int:
    """The periodic job: clear silences and suspensions whose end has passed, logged as done by the system."""
    now = utcnow()
    silenced = db.session.execute(
        select(User).where(User.silenced_at.is_not(None), User.silenced_until <= now)
    ).scalars().all()
    suspended = db.session.execute(
        select(User).where(User.is_suspended.is_(True), User.suspended_until <= now)
    ).scalars().all()
    for member in silenced:
        unsilence(None, member, str(_l("The silence ended.")))
    for member in suspended:
        unsuspend(None, member, str(_l("The suspension ended.")))
    db.session.flush()
    return len(silenced) + len(suspended)


# --- what staff see ------------------------------------------------------------------------------------

def devices(actor: User, member: User) -> list[UserSession]:
    """The member's open sessions with the address each was last used from (administrators only)."""
    if not can(actor, "view_ip_addresses", member):
        raise NotAllowed(_l("Only administrators see a member's sessions."))
    return list(db.session.execute(
        select(UserSession).where(UserSession.user_id == member.id).order_by(UserSession.last_seen_at.desc())
    ).scalars())


def register_jobs(app: Flask) -> None:
    register_periodic(app, "moderation.lift_ended", lift_ended, 60)
