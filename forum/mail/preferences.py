"""Each member's email preferences (defaults until they change one) and what mail learned about their address."""

from sqlalchemy import select

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.models import EmailPreferences


def defaults(user_id: int) -> EmailPreferences:
    """A member's preferences as they are before they change any (the column defaults)."""
    preferences = EmailPreferences(user_id=user_id)
    for column in EmailPreferences.__table__.columns:
        if getattr(preferences, column.key) is None and column.default is not None:
            setattr(preferences, column.key, column.default.arg)
    return preferences


def preferences_of(user_ids) -> dict[int, EmailPreferences]:
    """The preferences of many members in one query (defaults for those who never changed any)."""
    ids = set(user_ids)
    stored = {
        row.user_id: row
        for row in db.session.execute(select(EmailPreferences).where(EmailPreferences.user_id.in_(ids))).scalars()
    } if ids else {}
    return {user_id: stored.get(user_id) or defaults(user_id) for user_id in ids}


def editable_preferences(user_id: int) -> EmailPreferences:
    """The member's stored row, added to the session with the defaults if they had none."""
    preferences = db.session.get(EmailPreferences, user_id)
    if preferences is None:
        preferences = defaults(user_id)
        db.session.add(preferences)
    return preferences


def record_delivery_failure(user_id: int, reason: str) -> None:
    """The mail server refused a message to the member for good: remember it for admins and the member."""
    preferences = editable_preferences(user_id)
    preferences.failed_at = utcnow()
    preferences.failure = reason[:2000]
