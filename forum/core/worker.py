"""The queue behind the job registry (forum.core.jobs), on Huey: SQLite storage in the instance folder by
default (nothing to install or run beside the forum), Redis when FORUM_JOBS_REDIS_URL (or REDIS_URL) is set,
so that workers on several hosts share one queue. `flask forum worker` runs `run_worker`.

One Huey task, `forum.job`, carries a registered job's name and ids; the worker runs it through
`jobs.run_job` in an app context of its own. The consumer's scheduler also runs the periodic jobs: every
second it claims the periods that are due (at most once per period across hosts, see jobs.claim_period)
and enqueues the jobs it won. Huey's own periodic tasks are not used: they are checked once a minute, on
every host that runs a consumer.

With FORUM_JOBS_IMMEDIATE (tests), a job runs as soon as it is enqueued, in the enqueuing process.
"""

import logging
import time
from pathlib import Path

from flask import Flask
from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer, Scheduler

from forum.core import jobs
from forum.extensions import db

log = logging.getLogger(__name__)


class JobQueue:
    """The app's Huey instance and the one task that runs registered jobs."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.huey = _make_huey(app.config, Path(app.instance_path))

        @self.huey.task(name="forum.job")
        def run_registered_job(name: str, *args):
            return jobs.run_job(app, name, *args)

        self._task = run_registered_job

    def enqueue_job(self, name: str, *args) -> None:
        if name not in jobs.registry(self.app).jobs:
            raise KeyError(f"no job named {name!r} is registered")
        self._task(name, *args)


def _make_huey(config, instance_path: Path):
    name = config["FORUM_JOBS_QUEUE"]
    immediate = config["FORUM_JOBS_IMMEDIATE"]
    # Jobs report through the database and the log; nobody waits for a result.
    options = {"results": False, "immediate": immediate, "utc": True}
    if config["FORUM_JOBS_REDIS_URL"]:
        return RedisHuey(name, url=config["FORUM_JOBS_REDIS_URL"], **options)
    return SqliteHuey(name, filename=str(instance_path / "jobs.sqlite"), **options)


def init_app(app: Flask) -> None:
    app.extensions["forum_queue"] = JobQueue(app)


def queue(app: Flask) -> JobQueue:
    return app.extensions["forum_queue"]


class PeriodicScheduler(Scheduler):
    """Huey's scheduler (delayed and retried tasks), which also enqueues the registry's periodic jobs when
    this worker wins their period."""

    app: Flask

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._next_check: dict[str, float] = {}

    def loop(self, now=None):
        self.enqueue_due_jobs()
        super().loop(now)

    def enqueue_due_jobs(self) -> None:
        current = time.monotonic()
        due = [job for job in jobs.registry(self.app).periodic() if self._next_check.get(job.name, 0) <= current]
        if not due:
            return
        with self.app.app_context():
            try:
                for job in due:
                    if jobs.claim_period(job):
                        self._next_check[job.name] = current + job.seconds
                        queue(self.app).enqueue_job(job.name)
                    else:  # another worker has this period; ask again soon, in case it was nearly over
                        self._next_check[job.name] = current + min(job.seconds, 5)
            except Exception:  # the database or the queue is away; the next loop tries again
                log.exception("worker: could not schedule the periodic jobs")
                db.session.rollback()
            finally:
                db.session.remove()


def make_consumer(app: Flask, workers: int) -> Consumer:
    job_queue = queue(app)
    if job_queue.huey.immediate:
        raise RuntimeError("FORUM_JOBS_IMMEDIATE is set: jobs run where they are enqueued; no worker is needed")
    scheduler = type("ForumScheduler", (PeriodicScheduler,), {"app": app})
    consumer_class = type("ForumConsumer", (Consumer,), {"scheduler_class": scheduler})
    return consumer_class(job_queue.huey, workers=workers, worker_type="thread", periodic=False)
