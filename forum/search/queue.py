"""Noting changes for the search index: an after_flush listener writes a `search_queue` row for every post,
topic and member change, in the same transaction as the change, whatever service made it, and has the
background worker drain the queue once the transaction commits.

A change to a record (forum.search.records: an experiment, a workshop) writes one row that names no post,
topic or member: "the records changed". The drain then re-reads the records and rewrites those whose
documents differ from the index's. Records are few (tens to hundreds); naming each in its row would need a
column for its kind.
"""

from flask import has_app_context
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session

from forum.core.jobs import enqueue_after_commit
from forum.core.models import utcnow
from forum.extensions import db
from forum.search import records
from forum.search.models import SearchQueue

_POST_FIELDS = ("raw", "cooked", "deleted_at", "hidden_at", "topic_id", "post_number", "user_id")
_TOPIC_FIELDS = ("title", "category_id", "is_locked", "deleted_at", "is_private", "is_unlisted", "hidden_at")
_USER_FIELDS = ("display_name", "username", "organisation", "is_suspended")


def _changed(obj, fields) -> bool:
    attributes = inspect(obj).attrs
    return any(attributes[name].history.has_changes() for name in fields)


def _queue_rows(session: Session) -> list[dict]:
    from forum.auth.models import User
    from forum.board.models import Post, Topic

    rows = []
    records_changed = False
    for obj in session.new:
        if isinstance(obj, Post):
            rows.append({"post_id": obj.id})
        elif isinstance(obj, User):
            rows.append({"user_id": obj.id})
        elif records.kind_of(obj) is not None:
            records_changed = True
    for obj in session.dirty:
        if isinstance(obj, Post) and _changed(obj, _POST_FIELDS):
            rows.append({"post_id": obj.id})
        elif isinstance(obj, Topic) and _changed(obj, _TOPIC_FIELDS):
            rows.append({"topic_id": obj.id})
        elif isinstance(obj, User) and _changed(obj, _USER_FIELDS):
            rows.append({"user_id": obj.id})
        elif (kind := records.kind_of(obj)) is not None and _changed(obj, kind.fields):
            records_changed = True
    for obj in session.deleted:
        if isinstance(obj, Post):
            rows.append({"post_id": obj.id})
        elif isinstance(obj, User):
            rows.append({"user_id": obj.id})
        elif records.kind_of(obj) is not None:
            records_changed = True
    if records_changed:
        rows.append({})  # names nothing: the records changed
    return rows


def queue_changes(session: Session, _flush_context) -> None:
    """after_flush: note every post, topic, member and record change for the index, in the same transaction."""
    rows = _queue_rows(session)
    if not rows:
        return
    now = utcnow()
    for row in rows:
        row.setdefault("post_id", None)
        row.setdefault("topic_id", None)
        row.setdefault("user_id", None)
        row["created_at"] = now
    session.connection().execute(insert(SearchQueue), rows)
    if has_app_context():
        enqueue_after_commit(session, "search.drain")


def pending_count() -> int:
    """Changes written but not yet applied to the index."""
    return db.session.execute(
        select(func.count()).select_from(SearchQueue).where(SearchQueue.processed_at.is_(None))
    ).scalar_one()
