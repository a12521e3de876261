"""The staff action log: every moderation service calls record() in its own transaction, so an action and its
audit row commit together or not at all."""

import json
from datetime import date, datetime
from enum import Enum

from forum.extensions import db
from forum.moderation.models import ModerationAction


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _json(state: dict | None) -> str | None:
    if state is None:
        return None
    return json.dumps({key: _plain(value) for key, value in state.items()}, ensure_ascii=False, sort_keys=True)


def record(
    actor, action: str, target_type: str, target_id: int, *, subject_user_id: int | None = None,
    reason: str | None = None, before: dict | None = None, after: dict | None = None,
) -> ModerationAction:
    """Add the audit row of an action (flushed, committed by the caller with the action itself)."""
    row = ModerationAction(
        actor_id=getattr(actor, "id", None), action=action, target_type=target_type, target_id=target_id,
        subject_user_id=subject_user_id, reason=(reason or "").strip() or None, before=_json(before),
        after=_json(after),
    )
    db.session.add(row)
    db.session.flush()
    return row


def snapshot(obj, *fields: str) -> dict:
    """The named attributes of a row, for `before` and `after`."""
    return {name: getattr(obj, name) for name in fields}
