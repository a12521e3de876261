"""Reading the staff action log: the filters a facilitator can apply, the page of rows with the people named,
and every matching row for a CSV export. The log is only ever added to (audit.record)."""

import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from forum.auth.models import User
from forum.core.pagination import Page
from forum.extensions import db
from forum.moderation.models import ModerationAction

EXPORT_LIMIT = 50_000

# What each action code means, for the log's readers (the CSV keeps the codes, for scripts).
ACTION_LABELS = {
    "post.hide": _l("Hid a post"),
    "post.unhide": _l("Showed a post again"),
    "post.edit": _l("Edited someone else's post"),
    "post.delete": _l("Deleted a post"),
    "post.wiki_on": _l("Made a post a wiki"),
    "post.wiki_off": _l("Made a wiki an ordinary post"),
    "post.lock_edits": _l("Locked a post's edits"),
    "post.unlock_edits": _l("Unlocked a post's edits"),
    "flags.agree": _l("Agreed with flags"),
    "flags.disagree": _l("Disagreed with flags"),
    "flags.ignore": _l("Closed flags without action"),
    "pm.view": _l("Opened a flagged private message"),
    "queued_post.approve": _l("Approved a held post"),
    "queued_post.reject": _l("Rejected a held post"),
    "topic.close": _l("Closed a topic"),
    "topic.open": _l("Opened a topic"),
    "topic.pin": _l("Pinned a topic"),
    "topic.pin_globally": _l("Pinned a topic everywhere"),
    "topic.unpin": _l("Unpinned a topic"),
    "topic.archive": _l("Archived a topic"),
    "topic.unarchive": _l("Unarchived a topic"),
    "topic.unlist": _l("Unlisted a topic"),
    "topic.list": _l("Listed a topic"),
    "topic.move": _l("Moved a topic"),
    "topic.split": _l("Split posts into a new topic"),
    "topic.merge": _l("Merged a topic into another"),
    "topic.change_owner": _l("Changed a topic's owner"),
    "topic.timer": _l("Set a topic timer"),
    "topic.timer_cancel": _l("Cancelled a topic timer"),
    "user.silence": _l("Silenced a member"),
    "user.unsilence": _l("Lifted a silence"),
    "user.suspend": _l("Suspended a member"),
    "user.unsuspend": _l("Lifted a suspension"),
    "user.reset_profile": _l("Reset a member's profile"),
}


def action_label(action: str):
    """The readable name of an action code (the code itself for one this version does not name)."""
    return ACTION_LABELS.get(action, action)


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
    def label(self):
        return action_label(self.entry.action)

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
