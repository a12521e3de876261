"""The back-off per account: after a few failed logins, whatever the address they come from, the account
can be tried again only after a delay that doubles with each further failure, up to a cap.

Names that are no account back off the same way (keyed on a hash of the name), so the answer does not tell
whether an account exists. A successful login forgets the failures. Services flush, never commit.
"""

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from forum.auth.models import LoginFailure
from forum.core.models import utcnow
from forum.core.upsert import insert_for_dialect
from forum.extensions import db

FIRST_DELAY = timedelta(minutes=1)
# Failures older than this are forgotten: the count starts again.
FORGET_AFTER = timedelta(days=1)


def key_for(user_id: int | None, login_key: str) -> str:
    """One key per account whichever of its names is typed; otherwise one per (normalised) name."""
    if user_id is not None:
        return f"user:{user_id}"
    return "name:" + hashlib.sha256(login_key.encode()).hexdigest()


def delay_after(failures: int) -> timedelta | None:
    """How long the account waits after `failures` failed logins in a row (None: not at all)."""
    allowed = current_app.config["FORUM_LOGIN_BACKOFF_AFTER"]
    if failures < allowed:
        return None
    cap = timedelta(seconds=current_app.config["FORUM_LOGIN_BACKOFF_MAX_SECONDS"])
    return min(FIRST_DELAY * 2 ** min(failures - allowed, 20), cap)


def blocked_for(key: str) -> timedelta | None:
    """How much longer `key` must wait before a login is tried, or None."""
    blocked_until = db.session.execute(select(LoginFailure.blocked_until).where(LoginFailure.key == key)).scalar()
    if blocked_until is None:
        return None
    remaining = blocked_until - utcnow()
    return remaining if remaining > timedelta(0) else None


def record_failure(key: str) -> None:
    """Count a failed login for `key` and, from the allowed number on, make it wait."""
    now = utcnow()
    db.session.execute(delete(LoginFailure).where(LoginFailure.last_failed_at < now - FORGET_AFTER))
    # One statement whichever worker gets here first: several addresses may fail at once.
    insert = insert_for_dialect(LoginFailure).values(key=key, failures=1, last_failed_at=now)
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[LoginFailure.key], set_={"failures": LoginFailure.failures + 1, "last_failed_at": now}
        )
    )
    row = db.session.execute(
        select(LoginFailure).where(LoginFailure.key == key).execution_options(populate_existing=True)
    ).scalar_one()
    delay = delay_after(row.failures)
    if delay is not None:
        row.blocked_until = now + delay
    db.session.flush()


def forget_failures(key: str) -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))
