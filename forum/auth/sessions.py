"""Login sessions, one per device: opened at login, found by the login cookie, ended by logout.

The cookie (Flask's signed session, and the remember-me cookie) holds "<session id>:<token>". The token is
32 random bytes; the row keeps only its SHA-256, compared in constant time. Ending a session deletes its
row, so a copied cookie stops working at once. Services flush, never commit.
"""

import hashlib
import hmac
import ipaddress
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from forum.auth.models import User, UserSession, new_session_token
from forum.core.models import utcnow
from forum.extensions import db

# How stale last_seen_at may get before a request writes it again: reads should not write every time.
TOUCH_INTERVAL = timedelta(minutes=10)
USER_AGENT_LENGTH = 200


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address(ip_address: str | None) -> str | None:
    """A valid IPv4 or IPv6 address as text, else None (what a proxy header says is not trusted blindly)."""
    try:
        return str(ipaddress.ip_address((ip_address or "").strip()))
    except ValueError:
        return None


def _max_idle() -> timedelta:
    """A session unused for longer than the remember-me period is over, even if a cookie survives."""
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def open_session(user: User, user_agent: str | None = None, ip_address: str | None = None) -> str:
    """Start a session for `user` on this device (and the address it logs in from, which only administrators
    see); returns the value the login cookie carries."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.last_seen_at < now - _max_idle()))
    row = UserSession(
        user_id=user.id, token_hash=_hash(token), created_at=now, last_seen_at=now,
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH] or None, ip_address=_address(ip_address),
    )
    db.session.add(row)
    user.last_seen_at = now
    db.session.flush()
    return f"{row.id}:{token}"


def find_session(login_id: str) -> tuple[User, UserSession] | None:
    """The member and session a login cookie names, if it is still open (one query)."""
    session_key, _sep, token = login_id.partition(":")
    if not (session_key.isascii() and session_key.isdigit() and token):
        return None
    row = db.session.execute(
        select(User, UserSession).join(UserSession, UserSession.user_id == User.id).where(UserSession.id == int(session_key))
    ).first()
    if row is None:
        return None
    user, device = row
    if not hmac.compare_digest(device.token_hash, _hash(token)) or device.last_seen_at < utcnow() - _max_idle():
        return None
    return user, device


def needs_touch(device: UserSession) -> bool:
    return device.last_seen_at < utcnow() - TOUCH_INTERVAL


def touch(session_id: int, user_id: int, ip_address: str | None = None) -> None:
    """Note that the session and its member were seen now (from this address, if known)."""
    now = utcnow()
    values = {"last_seen_at": now}
    if _address(ip_address):
        values["ip_address"] = _address(ip_address)
    db.session.execute(update(UserSession).where(UserSession.id == session_id).values(**values))
    db.session.execute(update(User).where(User.id == user_id).values(last_seen_at=now))


def end_session(session_id: int) -> None:
    db.session.execute(delete(UserSession).where(UserSession.id == session_id))


def end_all_sessions(user: User, keep_session_id: int | None = None) -> None:
    """End every session of `user` (but `keep_session_id`, if given); password reset links sent before stop
    working too, since whoever asks for this may fear someone else has their password."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    db.session.execute(query)
    user.session_token = new_session_token()


def session_count(user: User) -> int:
    return db.session.execute(select(func.count(UserSession.id)).where(UserSession.user_id == user.id)).scalar_one()
