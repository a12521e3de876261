"""Reading the staff action log: the filters a facilitator can apply, the page of rows with the people named,
and every matching row for a CSV export. The log is only ever added to (audit.record)."""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from forum.auth.models import User
from forum.core.pagination import Page
from forum.extensions import db
from forum.moderation.models import ModerationAction

EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class LogFilters:
    action: str | None = None  # a prefix: "post." finds every post action
    actor_id: int | None = None
    subject_user_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class LogRow:
    entry: ModerationAction
    actor: User | None
    subject: User | None

    @property
    def before(self) -> dict:
        return json.loads(self.entry.before) if self.entry.before else {}

    @property
    def after(self) -> dict:
        return json.loads(self.entry.after) if self.entry.after else {}


def _query(filters: LogFilters) -> Select:
    actor, subject = aliased(User), aliased(User)
    query = (
        select(ModerationAction, actor, subject)
        .outerjoin(actor, actor.id == ModerationAction.actor_id)
        .outerjoin(subject, subject.id == ModerationAction.subject_user_id)
    )
    if filters.action:
        query = query.where(ModerationAction.action.startswith(filters.action, autoescape=True))
    if filters.actor_id is not None:
        query = query.where(ModerationAction.actor_id == filters.actor_id)
    if filters.subject_user_id is not None:
        query = query.where(ModerationAction.subject_user_id == filters.subject_user_id)
    if filters.since is not None:
        query = query.where(ModerationAction.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(ModerationAction.created_at < filters.until)
    return query


def log_page(filters: LogFilters, number: int, per_page: int) -> Page:
    """Newest first; two queries (the count and the page)."""
    query = _query(filters)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(
        query.order_by(ModerationAction.id.desc()).limit(per_page).offset((number - 1) * per_page)
    ).all()
    return Page([LogRow(*row) for row in rows], number, per_page, total)


def log_rows(filters: LogFilters) -> list[LogRow]:
    """Every matching row, oldest first, for the export (at most EXPORT_LIMIT)."""
    rows = db.session.execute(_query(filters).order_by(ModerationAction.id).limit(EXPORT_LIMIT)).all()
    return [LogRow(*row) for row in rows]


def known_actions() -> list[str]:
    return list(db.session.execute(select(ModerationAction.action).distinct().order_by(ModerationAction.action)).scalars())


def member_id(username: str | None) -> int | None:
    """The id of the member with this username, or 0 (matching nobody) for an unknown one."""
    if not username:
        return None
    found = db.session.execute(select(User.id).where(User.username_key == username.strip().lower())).scalar()
    return found or 0
