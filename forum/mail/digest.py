"""Digests: a daily or weekly email of what is new in the categories a member can read, for members who have
not visited since their last one.

A scheduled job (`mail.digests`, every few minutes) works on the current UTC hour: members whose local time
(User.timezone, else BABEL_DEFAULT_TIMEZONE) is their digest hour, and, for weekly digests, their weekday.
Each hour has one DigestRun row; members are taken in id order in batches, and the run records how far it got
and how many it sent, skipped and failed after each batch (one commit per batch), so that a run that stopped
is visible (error set, finished_at empty) and the next invocation resumes after the last member done. A
DigestSent row per member and period ("2026-12-03" daily, "2026-W49" weekly), inserted in the same
transaction as the queued email, means two invocations or two workers never send two digests for one period.

Content is computed per batch in a fixed number of queries (digest_content.DigestSources), then assembled per
member in Python from their visible categories: counts and excerpts only ever cover what they can open.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, partial
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, select, update

from forum.auth.models import User
from forum.core.i18n import datetime_filter, is_valid_timezone
from forum.core.jobs import register_periodic
from forum.core.models import utcnow
from forum.core.upsert import insert_for_dialect
from forum.extensions import db
from forum.mail.compose import queue_email
from forum.mail.digest_content import Digest, DigestSources, SharedSources, since_for_preview
from forum.mail.links import preference_url
from forum.mail.models import DigestFrequency, DigestRun, DigestSent, EmailPreferences
from forum.mail.preferences import preferences_of
from forum.mail.unsubscribe import list_headers, unsubscribe_url

log = logging.getLogger(__name__)

BATCH_SIZE = 200
JOB_SECONDS = 300
# An unfinished run of an earlier hour (the worker died, the database was away) is taken up again for this long.
RESUME_HOURS = 24
# A digest never reaches further back than this, however long ago the member last visited.
LOOKBACK = timedelta(days=30)


@dataclass
class Due:
    """A member whose digest is due in this run."""

    user: User
    preferences: EmailPreferences
    period: str
    since: datetime


@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def member_zone(user: User) -> ZoneInfo:
    name = user.timezone if is_valid_timezone(user.timezone) else current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return _zone(name)


def period_of(user: User, preferences: EmailPreferences, hour: datetime) -> str | None:
    """The digest period this UTC hour opens for the member, or None if their digest is not due in it."""
    if preferences.digest == DigestFrequency.OFF:
        return None
    local = hour.astimezone(member_zone(user))
    if local.hour != preferences.digest_hour:
        return None
    if preferences.digest == DigestFrequency.DAILY:
        return local.date().isoformat()
    if local.weekday() != preferences.digest_weekday:
        return None
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def visited_since_last_digest(user: User, preferences: EmailPreferences) -> bool:
    last = preferences.last_digest_at
    return last is not None and user.last_seen_at is not None and user.last_seen_at > last


def since_for_run(user: User, preferences: EmailPreferences, now: datetime) -> datetime:
    """What is new since the member last saw the site, or since their last digest if that is later (a digest
    does not repeat the one before); never further back than LOOKBACK."""
    seen = user.last_seen_at or user.created_at
    since = max(seen, preferences.last_digest_at) if preferences.last_digest_at else seen
    return max(since, now - LOOKBACK)


# --- what a member receives -------------------------------------------------------------------------------

def _subject(digest: Digest) -> str:
    forum = current_app.config["FORUM_NAME"]
    if digest.new_topic_count:
        summary = ngettext("%(num)d new topic", "%(num)d new topics", digest.new_topic_count)
    else:
        summary = ngettext("%(num)d new reply", "%(num)d new replies", digest.new_reply_count)
    if digest.frequency == DigestFrequency.DAILY:
        return _("Your daily %(forum)s digest: %(summary)s", forum=forum, summary=summary)
    return _("Your weekly %(forum)s digest: %(summary)s", forum=forum, summary=summary)


def _reason(digest: Digest) -> str:
    """Why the member got this digest (for its footer), with the date in their zone."""
    forum, seen = current_app.config["FORUM_NAME"], digest.user.last_seen_at
    if digest.frequency == DigestFrequency.DAILY:
        if seen is None:
            return _("You get this daily digest because you have not visited %(forum)s since you joined.", forum=forum)
        return _(
            "You get this daily digest because you have not visited %(forum)s since %(when)s.",
            forum=forum, when=datetime_filter(seen),
        )
    if seen is None:
        return _("You get this weekly digest because you have not visited %(forum)s since you joined.", forum=forum)
    return _(
        "You get this weekly digest because you have not visited %(forum)s since %(when)s.",
        forum=forum, when=datetime_filter(seen),
    )


def queue_digest(due: Due, digest: Digest):
    """Queue the member's digest email in this transaction (rendered in their language and time zone)."""
    user = due.user
    return queue_email(
        user.email,
        LazyString(partial(_subject, digest)),
        "digest",
        member=user,
        kind="digest",
        headers=list_headers(user.id, "digest"),
        digest=digest,
        reason=LazyString(partial(_reason, digest)),
        unsubscribe_label=_l("Turn off digests"),
        preferences_url=preference_url("digest"),
        unsubscribe_url=unsubscribe_url(user.id, "digest"),
    )


def preview_digest(user: User, now: datetime | None = None) -> Digest:
    """The member's next digest as /my/digest shows it: what it would hold if it were sent now."""
    now = now or utcnow()
    preferences = preferences_of([user.id])[user.id]
    since = since_for_preview(preferences, now)
    sources = DigestSources.load([user], [since], SharedSources.load(now))
    return sources.digest_for(user, since, preferences.digest)


# --- the run ----------------------------------------------------------------------------------------------

def _due_members(users: list[User], hour: datetime, now: datetime, result: BatchResult) -> list[Due]:
    preferences = preferences_of(user.id for user in users)
    due = []
    for user in users:
        mine = preferences[user.id]
        period = period_of(user, mine, hour)
        if period is None:
            continue  # not their hour: not counted at all
        if visited_since_last_digest(user, mine) or mine.failed_at is not None:
            result.skipped += 1
            continue
        due.append(Due(user, mine, period, since_for_run(user, mine, now)))
    return due


def _claim_periods(run_id: int, due: list[Due]) -> set[int]:
    """Insert the DigestSent rows; the members whose row this transaction inserted (another invocation or
    worker that got there first keeps its own)."""
    if not due:
        return set()
    statement = (
        insert_for_dialect(DigestSent)
        .values([{"user_id": d.user.id, "period": d.period, "run_id": run_id, "created_at": utcnow()} for d in due])
        .on_conflict_do_nothing(index_elements=["user_id", "period"])
        .returning(DigestSent.user_id)
    )
    return set(db.session.execute(statement).scalars())


def _send_batch(run_id: int, users: list[User], hour: datetime, now: datetime, shared: SharedSources) -> BatchResult:
    """Digests for one batch of members, in this transaction (the caller commits)."""
    result = BatchResult()
    due = _due_members(users, hour, now, result)
    sources = DigestSources.load([d.user for d in due], [d.since for d in due], shared)
    ready: list[tuple[Due, Digest]] = []
    for d in due:
        try:
            digest = sources.digest_for(d.user, d.since, d.preferences.digest)
        except Exception:
            log.exception("digest: content for member %s failed", d.user.id)
            result.failed += 1
            continue
        if digest.is_empty:
            result.skipped += 1
        else:
            ready.append((d, digest))
    claimed = _claim_periods(run_id, [d for d, _digest in ready])
    queued, lost = {}, []
    for d, digest in ready:
        if d.user.id not in claimed:
            continue  # sent by another invocation: counted there
        try:
            queued[d.user.id] = queue_digest(d, digest)
        except Exception:
            log.exception("digest: email for member %s failed", d.user.id)
            result.failed += 1
            lost.append(d.user.id)
            continue
        if d.preferences not in db.session:
            db.session.add(d.preferences)
        d.preferences.last_digest_at = now
        result.sent += 1
    if lost:
        db.session.execute(delete(DigestSent).where(DigestSent.run_id == run_id, DigestSent.user_id.in_(lost)))
    db.session.flush()
    if queued:
        rows = db.session.execute(
            select(DigestSent.id, DigestSent.user_id).where(
                DigestSent.run_id == run_id, DigestSent.user_id.in_(queued)
            )
        ).all()
        db.session.execute(
            update(DigestSent), [{"id": row.id, "outbox_id": queued[row.user_id].id} for row in rows]
        )
    return result


def _open_run(hour: datetime) -> None:
    db.session.execute(
        insert_for_dialect(DigestRun).values(hour=hour, started_at=utcnow()).on_conflict_do_nothing(
            index_elements=["hour"]
        )
    )
    db.session.commit()


def _record(run_id: int, last_user_id: int, result: BatchResult) -> None:
    """Add a batch's counts to the run (in SQL, so that two workers on one run both count)."""
    db.session.execute(
        update(DigestRun).where(DigestRun.id == run_id).values(
            last_user_id=case((DigestRun.last_user_id < last_user_id, last_user_id), else_=DigestRun.last_user_id),
            sent=DigestRun.sent + result.sent,
            skipped=DigestRun.skipped + result.skipped,
            failed=DigestRun.failed + result.failed,
        )
    )


def _next_batch(after_user_id: int) -> list[User]:
    return list(db.session.execute(
        select(User).where(User.id > after_user_id, User.is_suspended.is_(False)).order_by(User.id).limit(BATCH_SIZE)
    ).scalars())


def continue_run(run_id: int, now: datetime) -> bool:
    """Work through a run's members from where it stopped; True if it finished. A failure of a whole batch is
    recorded on the run (error, finished_at left empty) and ends this invocation: the next one resumes."""
    run = db.session.get(DigestRun, run_id)
    hour, after = run.hour, run.last_user_id
    shared = SharedSources.load(now)
    while users := _next_batch(after):
        try:
            result = _send_batch(run_id, users, hour, now, shared)
            _record(run_id, users[-1].id, result)
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            log.exception("digest: the run for %s stopped after member %s", hour, after)
            db.session.execute(
                update(DigestRun).where(DigestRun.id == run_id).values(error=f"{type(error).__name__}: {error}"[:2000])
            )
            db.session.commit()
            return False
        after = users[-1].id
    db.session.execute(update(DigestRun).where(DigestRun.id == run_id).values(finished_at=utcnow(), error=None))
    db.session.commit()
    return True


def run_digests(now: datetime | None = None) -> dict[str, int]:
    """The scheduled job: this hour's run, after any unfinished run of the last RESUME_HOURS."""
    now = now or utcnow()
    hour = now.replace(minute=0, second=0, microsecond=0)
    _open_run(hour)
    pending = db.session.execute(
        select(DigestRun.id).where(
            DigestRun.finished_at.is_(None), DigestRun.hour >= hour - timedelta(hours=RESUME_HOURS),
            DigestRun.hour <= hour,
        ).order_by(DigestRun.hour)
    ).scalars().all()
    finished = sum(continue_run(run_id, now) for run_id in pending)
    return {"runs": len(pending), "finished": finished}


def register_jobs(app: Flask) -> None:
    register_periodic(app, "mail.digests", run_digests, JOB_SECONDS)
