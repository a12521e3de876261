"""The job registry: tasks enqueued after commit (never after a rollback), periodic jobs at most once per
period across workers, sweeps that do what a lost enqueue left undone, and a mail server that never answers."""

import itertools
import socket
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.core import jobs
from forum.core.models import utcnow
from forum.core.worker import PeriodicScheduler
from forum.extensions import db
from forum.mail.outbox import OutboxEmail, deliver_due

_names = itertools.count()


def _register(app, function, seconds=None) -> str:
    name = f"test.job-{next(_names)}-{uuid.uuid4().hex[:6]}"
    jobs.registry(app).add(jobs.Job(name, function, seconds))
    return name


def _mails(app) -> list[Path]:
    folder = Path(app.config["FORUM_OUTBOX_DIR"])
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def test_a_task_enqueued_after_commit_runs_once_the_transaction_commits(app, ctx):
    ran = []
    name = _register(app, lambda *ids: ran.append(ids))
    jobs.enqueue_after_commit(db.session, name, 7)
    jobs.enqueue_after_commit(db.session, name, 7)  # asked twice in one transaction: run once
    db.session.execute(select(1))
    assert ran == []
    db.session.commit()
    assert ran == [(7,)]


def test_a_task_is_not_enqueued_when_its_transaction_rolls_back(app, ctx):
    ran = []
    name = _register(app, lambda *ids: ran.append(ids))
    jobs.enqueue_after_commit(db.session, name, 8)
    db.session.rollback()
    db.session.commit()
    assert ran == []
    jobs.enqueue_after_commit(db.session, name, 9)  # a new transaction asks again: it is enqueued
    db.session.commit()
    assert ran == [(9,)]


def test_a_failing_job_rolls_back_what_it_wrote(app):
    def write_then_fail():
        db.session.add(OutboxEmail(recipient="a@example.org", subject="Never sent", body_text="Hi"))
        raise RuntimeError("the job broke")

    name = _register(app, write_then_fail)
    with pytest.raises(RuntimeError):
        jobs.run_job(app, name)
    with app.app_context():
        assert db.session.execute(select(func.count(OutboxEmail.id))).scalar_one() == 0


def test_a_periodic_job_is_claimed_at_most_once_per_period_across_workers(app, ctx):
    job = jobs.Job("test.periodic-claim", lambda: None, 60)
    start = utcnow()
    assert jobs.claim_period(job, start)
    assert not jobs.claim_period(job, start)  # a second worker, at the same moment
    assert not jobs.claim_period(job, start + timedelta(seconds=59))
    assert jobs.claim_period(job, start + timedelta(seconds=60))
    assert not jobs.claim_period(job, start + timedelta(seconds=61))


def test_two_schedulers_enqueue_a_due_periodic_job_once(app):
    ran = []
    name = _register(app, lambda: ran.append(1), seconds=3600)
    for _ in range(2):  # two workers, on two hosts, sharing the database
        scheduler = PeriodicScheduler.__new__(PeriodicScheduler)
        scheduler.app, scheduler._next_check = app, {}
        scheduler.enqueue_due_jobs()
    assert ran == [1]
    del jobs.registry(app).jobs[name]


def test_mail_whose_enqueue_failed_is_sent_once_by_the_sweep(app, client, make, monkeypatch):
    for path in _mails(app):
        path.unlink()
    make.user("aino", email="aino@example.org")

    def lost(name, *args):
        raise ConnectionError("the queue is away")

    monkeypatch.setattr(app.extensions["forum_queue"], "enqueue_job", lost)
    response = client.post("/password/forgot", data={"email": "aino@example.org"})
    assert response.status_code == 302  # the commit stands; the enqueue failure is only logged
    assert _mails(app) == []
    monkeypatch.undo()
    scheduler = PeriodicScheduler.__new__(PeriodicScheduler)
    scheduler.app, scheduler._next_check = app, {}
    scheduler.enqueue_due_jobs()  # the worker's first tick: every sweep is due
    scheduler._next_check = {}
    scheduler.enqueue_due_jobs()  # within the period: nothing runs again
    with app.app_context():
        jobs.run_jobs()  # and a sweep by hand finds nothing left to send
    [mail] = _mails(app)
    assert "Reset your password" in mail.read_text()


class HangingSMTPServer:
    """Accepts connections and never says a word (the audit's mail server)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = threading.Event()
        self._connections = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self._connections.append(connection)
            self.accepted.set()

    def close(self):
        for connection in self._connections:
            connection.close()
        self.socket.close()


@pytest.fixture
def hanging_smtp():
    server = HangingSMTPServer()
    yield server
    server.close()


def test_delivery_to_a_mail_server_that_never_answers_gives_up_after_mail_timeout(app, hanging_smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", hanging_smtp.port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.5)
    monkeypatch.setattr(app.extensions["mail"], "suppress", False)  # TESTING would skip the connection
    monkeypatch.setattr(app.extensions["mail"], "server", "127.0.0.1")
    monkeypatch.setattr(app.extensions["mail"], "port", hanging_smtp.port)
    with app.app_context():
        db.session.add(OutboxEmail(recipient="a@example.org", subject="Hi", body_text="Hi"))
        db.session.commit()
        started = time.monotonic()
        assert deliver_due() == (0, 1)
        assert time.monotonic() - started < 3
        message = db.session.execute(select(OutboxEmail)).scalar_one()
        assert message.sent_at is None and "timed out" in message.last_error
    assert hanging_smtp.accepted.is_set()
