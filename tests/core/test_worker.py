"""The background worker for real: requests only enqueue (a mail server that never answers does not slow
them), `flask forum worker` does the jobs, and a job survives the worker being killed before it ran."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from forum import create_app
from forum.core.worker import queue
from forum.extensions import db
from forum.mail.compose import queue_email
from forum.mail.outbox import OutboxEmail
from tests.conftest import PASSWORD
from tests.core.test_jobs import HangingSMTPServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hanging_smtp():
    server = HangingSMTPServer()
    yield server
    server.close()


def _web_app(app, instance: Path, **config):
    """A second app on the test database whose jobs go to a real SQLite queue in `instance` (nobody runs
    them unless a worker is started on the same folder)."""
    return create_app({
        "TESTING": True, "INSTANCE_PATH": str(instance), "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FORUM_OUTBOX_DIR": str(instance / "outbox"), "FORUM_JOBS_IMMEDIATE": False, "FORUM_JOBS_REDIS_URL": None,
        **config,
    })


class Worker:
    """`flask forum worker` in a subprocess, on the test database and the queue in `instance`."""

    def __init__(self, app, instance: Path):
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("MAIL_", "FORUM_", "REDIS_URL", "DATABASE_URL"))}
        self.env.update({
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret",
            "FORUM_OUTBOX_DIR": str(instance / "outbox"), "PYTHONPATH": str(ROOT),
        })
        self.instance = instance
        self.process = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = self.instance / f"worker-{self.starts}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "forum", "worker", "--threads", "1"],
            cwd=self.instance.parent, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        _wait(lambda: "Background worker started" in log.read_text(), what="the worker to start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_env(app, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    worker = Worker(app, instance)
    yield instance, worker
    worker.stop()


def _wait(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _mails(instance: Path) -> list[Path]:
    return sorted((instance / "outbox").glob("*.eml"))


def test_a_request_never_waits_for_a_mail_server_that_never_answers(app, make, tmp_path, hanging_smtp):
    make.user("aino", email="aino@example.org")
    from forum.board.models import Visibility

    topic_id = make.topic(make.user("marcus"), make.category("Open", visibility=Visibility.PUBLIC))
    web = _web_app(app, tmp_path / "web", MAIL_SERVER="127.0.0.1", MAIL_PORT=hanging_smtp.port)
    client = web.test_client()
    started = time.monotonic()
    response = client.post("/password/forgot", data={"email": "aino@example.org"})
    assert response.status_code == 302 and time.monotonic() - started < 2
    client.post("/login", data={"login": "aino", "password": PASSWORD})
    started = time.monotonic()
    assert client.get(f"/t/a-topic-about-learning/{topic_id}").status_code == 200
    assert time.monotonic() - started < 2
    assert queue(web).huey.pending_count() >= 1  # the reset link waits for a worker
    assert not hanging_smtp.accepted.is_set()


def test_a_job_queued_when_the_worker_is_killed_runs_after_restart_once(app, make, worker_env):
    from forum.auth.models import User

    instance, worker = worker_env
    aino = make.user("aino", email="aino@example.org")
    web = _web_app(app, instance)
    worker.start()
    time.sleep(1)  # its first round of periodic sweeps (mail among them) is over
    os.kill(worker.process.pid, signal.SIGSTOP)  # it cannot take the job now
    with web.test_request_context():
        queue_email("aino@example.org", "Welcome", "password_reset", user=db.session.get(User, aino), token="t",
                    minutes=60)
        db.session.commit()
    assert queue(web).huey.pending_count() >= 1
    worker.kill()  # between the commit and the job's run
    assert _mails(instance) == []
    worker.start()
    _wait(lambda: _mails(instance), what="the mail to be delivered")
    time.sleep(2)  # time for a second delivery, if there were one
    assert len(_mails(instance)) == 1
    with web.app_context():
        message = db.session.execute(select(OutboxEmail)).scalar_one()
        assert message.sent_at is not None and message.attempts == 1


def test_a_reset_whose_enqueue_was_lost_is_sent_by_the_workers_sweep_once(app, make, worker_env, monkeypatch):
    instance, worker = worker_env
    make.user("aino", email="aino@example.org")
    web = _web_app(app, instance)

    def lost(name, *args):
        raise ConnectionError("the web process died after its commit")

    monkeypatch.setattr(queue(web), "enqueue_job", lost)
    assert web.test_client().post("/password/forgot", data={"email": "aino@example.org"}).status_code == 302
    assert queue(web).huey.pending_count() == 0
    worker.start()
    _wait(lambda: _mails(instance), what="the reset mail")
    time.sleep(2)
    [mail] = _mails(instance)
    assert "Reset your password" in mail.read_text()


def test_jobs_go_through_redis_when_it_is_configured(app, make, tmp_path):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    make.user("aino", email="aino@example.org")
    web = _web_app(app, tmp_path / "web", FORUM_JOBS_REDIS_URL=url, FORUM_JOBS_QUEUE=f"test-{uuid.uuid4().hex}")
    huey = queue(web).huey
    try:
        assert web.test_client().post("/password/forgot", data={"email": "aino@example.org"}).status_code == 302
        assert huey.pending_count() == 1
        task = huey.dequeue()  # what a worker on any host does
        huey.execute(task)
        assert huey.pending_count() == 1  # the reset mail, queued by the job, is the next job
        huey.execute(huey.dequeue())
        [mail] = _mails(tmp_path / "web")
        assert "Reset your password" in mail.read_text()
    finally:
        huey.flush()

