"""Drafts. Services flush, never commit."""

import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from forum.composer.models import Draft
from forum.core.errors import DomainError
from forum.core.models import utcnow
from forum.extensions import db

DRAFT_KEY = re.compile(r"^(reply|topic):\d{1,12}$|^message:0$")
# One new private message is written at a time, as one new topic per category.
MESSAGE_KEY = "message:0"


def reply_key(topic_id: int) -> str:
    return f"reply:{topic_id}"


def topic_key(category_id: int) -> str:
    return f"topic:{category_id}"


def parse_key(key: str) -> tuple[str, int]:
    """("reply", topic id), ("topic", category id) or ("message", 0)."""
    kind, number = check_key(key).split(":")
    return kind, int(number)


def check_key(key: str) -> str:
    if not DRAFT_KEY.match(key):
        raise DomainError(_l("Unknown draft."), field="key")
    return key


def load_draft(user, key: str) -> Draft | None:
    return db.session.get(Draft, (user.id, key))


def save_draft(
    user, key: str, raw: str, title: str | None = None, reply_to: int | None = None, recipients: str | None = None
) -> Draft | None:
    """Keep what the member has typed; an empty composer discards the draft."""
    check_key(key)
    limit = current_app.config["FORUM_MAX_POST_CHARS"]
    if len(raw) > limit * 2 or len(title or "") > 255 or len(recipients or "") > 1000:
        raise DomainError(_l("This draft is too long to keep."), field="raw")
    if not raw.strip() and not (title or "").strip() and not (recipients or "").strip():
        discard_draft(user, key)
        return None
    draft = load_draft(user, key)
    if draft is None:
        draft = Draft(user_id=user.id, key=key)
        db.session.add(draft)
    draft.raw = raw
    draft.title = title
    draft.reply_to = reply_to
    draft.recipients = recipients if key == MESSAGE_KEY else None
    draft.updated_at = utcnow()
    db.session.flush()
    return draft


def discard_draft(user, key: str) -> None:
    draft = load_draft(user, key)
    if draft is not None:
        db.session.delete(draft)
        db.session.flush()
