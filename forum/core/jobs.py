"""Background jobs: a registry that each package adds its jobs to (from create_app's list), run by
`flask forum worker` (forum.core.worker), never inside a member's request.

Two kinds of job, both known by name:
- **tasks** take ids (or nothing) and reload what they need; they are enqueued by name, usually once the
  transaction that caused them has committed (`enqueue_after_commit`);
- **periodic jobs** also have a period in seconds. The worker's scheduler runs each at most once per period
  across all workers and hosts: it first claims the period in the `periodic_runs` table (one conditional
  UPDATE, so two schedulers never both win), then enqueues the job.

Every cause of a task is also a row in the database (an outbox message, a search queue row, a reset request),
so a periodic sweep picks up whatever was committed but never enqueued (the web process died in between).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask import Flask, current_app
from sqlalchemy import String, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.core.events import call_after_commit
from forum.core.models import UTCDateTime, utcnow
from forum.core.upsert import insert_for_dialect
from forum.extensions import db

log = logging.getLogger(__name__)


class PeriodicRun(db.Model):
    """When a periodic job last began, on any host: the claim that keeps it to once per period."""

    __tablename__ = "periodic_runs"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_run: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable
    seconds: float | None = None  # the period of a periodic job


class JobRegistry:
    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}

    def add(self, job: Job) -> None:
        if job.name in self.jobs:
            raise ValueError(f"a job named {job.name!r} is already registered")
        self.jobs[job.name] = job

    def periodic(self) -> list[Job]:
        return [job for job in self.jobs.values() if job.seconds is not None]


def registry(app: Flask | None = None) -> JobRegistry:
    app = app or current_app._get_current_object()
    return app.extensions.setdefault("forum_jobs", JobRegistry())


def register_task(app: Flask, name: str, function: Callable) -> None:
    """Make `function(*ids)` runnable in the worker as the task `name`."""
    registry(app).add(Job(name, function))


def register_periodic(app: Flask, name: str, function: Callable, seconds: float) -> None:
    """Run `function()` every `seconds` in one of the workers (and by `flask forum run-jobs`)."""
    registry(app).add(Job(name, function, seconds))


def run_job(app: Flask, name: str, *args):
    """Run a registered job in an app context and a transaction of its own: committed after it returns,
    rolled back if it raises (the exception is passed on to the queue, which logs it)."""
    job = registry(app).jobs[name]
    with app.app_context():
        try:
            result = job.function(*args)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
    return result


def enqueue_after_commit(session: Session, name: str, *args) -> None:
    """Enqueue the task once `session` commits (it runs at once when FORUM_JOBS_IMMEDIATE); not at all if it
    rolls back. Asked again for the same task and arguments in the same transaction, it enqueues once. A
    failure to enqueue is logged, not raised: the cause is in the database, and a periodic sweep finds it."""
    job_queue = current_app.extensions["forum_queue"]
    call_after_commit(session, partial(_enqueue, job_queue, name, args), key=("forum.job", name, args))


def _enqueue(queue, name: str, args: tuple) -> None:
    try:
        queue.enqueue_job(name, *args)
    except Exception:  # the periodic sweep picks it up
        log.exception("jobs: could not enqueue %s%r", name, args)


def claim_period(job: Job, now: datetime | None = None) -> bool:
    """Take this period of a periodic job for the caller; False if a worker (on any host) began it less than
    `job.seconds` ago. Commits the claim at once, so that other schedulers see it."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(PeriodicRun)
        .where(PeriodicRun.name == job.name, PeriodicRun.last_run <= now - timedelta(seconds=job.seconds))
        .values(last_run=now)
    ).rowcount
    if not claimed:
        # The first claim ever: RETURNING says whether this insert won (an ORM insert's rowcount is not
        # reported on PostgreSQL).
        inserted = db.session.execute(
            insert_for_dialect(PeriodicRun).values(name=job.name, last_run=now).on_conflict_do_nothing()
            .returning(PeriodicRun.name)
        ).first()
        claimed = int(inserted is not None)
    db.session.commit()
    return claimed == 1


def run_jobs(app: Flask | None = None) -> dict[str, object]:
    """Run every periodic job once, now, whatever their periods (`flask forum run-jobs`); returns what each
    did. A job that fails is logged and reported as "failed"; the others still run."""
    app = app or current_app._get_current_object()
    report = {}
    for job in registry(app).periodic():
        try:
            report[job.name] = run_job(app, job.name)
        except Exception:
            log.exception("jobs: %s failed", job.name)
            report[job.name] = "failed"
    return report
