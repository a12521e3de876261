"""Each member's email preferences (defaults until they change one) and what mail learned about their address."""

from sqlalchemy import delete, select

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.models import DigestFrequency, EmailPreferences, MailingListSubscription
from forum.mail.unsubscribe import PREFERENCE_OF_KIND


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


# What a member sets on /my/email (the rest of EmailPreferences is kept by mail itself).
EDITABLE = (
    "mentions", "replies", "quotes", "watching", "messages", "reminders",
    "away_minutes", "digest", "digest_hour", "digest_weekday",
)


def save_preferences(user_id: int, **values) -> EmailPreferences:
    """Store the member's choices (any of EDITABLE); the columns not named keep their value."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not an email preference: {sorted(unknown)}")
    preferences = editable_preferences(user_id)
    for key, value in values.items():
        setattr(preferences, key, value)
    db.session.flush()
    return preferences


def record_delivery_failure(user_id: int, reason: str) -> None:
    """The mail server refused a message to the member for good: remember it for admins and the member."""
    preferences = editable_preferences(user_id)
    preferences.failed_at = utcnow()
    preferences.failure = reason[:2000]


def clear_delivery_failure(user_id: int) -> None:
    """The member says their address works again: mail to them is tried again."""
    preferences = db.session.get(EmailPreferences, user_id)
    if preferences is not None:
        preferences.failed_at = None
        preferences.failure = None


def mailing_list_ids(user_id: int) -> set[int]:
    """The categories the member follows in mailing-list mode."""
    query = select(MailingListSubscription.category_id).where(MailingListSubscription.user_id == user_id)
    return set(db.session.execute(query).scalars())


def set_mailing_lists(user_id: int, chosen: set[int], offered: set[int]) -> None:
    """Follow exactly `chosen` among the `offered` categories (those the member can read); others are kept."""
    current = mailing_list_ids(user_id) & offered
    for category_id in (chosen & offered) - current:
        db.session.add(MailingListSubscription(user_id=user_id, category_id=category_id))
    ended = current - chosen
    if ended:
        db.session.execute(
            delete(MailingListSubscription).where(
                MailingListSubscription.user_id == user_id, MailingListSubscription.category_id.in_(ended)
            )
        )
    db.session.flush()


def unsubscribe(user_id: int, kind: str) -> None:
    """Turn off one kind of mail (a kind of unsubscribe.PREFERENCE_OF_KIND, or "list:<category id>") for the
    member. Doing it twice is harmless."""
    if kind.startswith("list:"):
        db.session.execute(
            delete(MailingListSubscription).where(
                MailingListSubscription.user_id == user_id, MailingListSubscription.category_id == int(kind[5:])
            )
        )
        return
    column = PREFERENCE_OF_KIND[kind]
    preferences = editable_preferences(user_id)
    setattr(preferences, column, DigestFrequency.OFF if column == "digest" else False)
    db.session.flush()
