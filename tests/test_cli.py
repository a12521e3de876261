"""The `flask forum …` commands a newcomer and an operator use."""

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import werkzeug.serving
from sqlalchemy import func, select

from forum.auth.models import Role, User
from forum.board.models import Post, Topic
from forum.extensions import db
from tests.conftest import page_text


def test_create_admin_makes_an_administrator_who_can_log_in(app, auth):
    result = app.test_cli_runner().invoke(
        args=["forum", "create-admin", "--username", "ruth", "--email", "ruth@example.org",
              "--display-name", "Ruth A", "--password", "a long admin password"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(select(User.role).where(User.username == "ruth")).scalar_one() == Role.ADMIN
    assert auth.login("ruth", "a long admin password").status_code == 302


def test_create_admin_explains_a_bad_username(app):
    result = app.test_cli_runner().invoke(
        args=["forum", "create-admin", "--username", "x", "--email", "x@example.org",
              "--display-name", "X", "--password", "a long admin password"]
    )
    assert result.exit_code != 0
    assert "3–20 letters" in result.output


def test_demo_community_loads_once_and_prints_logins(app, client, auth):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["forum", "load-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "ruth" in first.output and "fellowship-demo" in first.output
    with app.app_context():
        topics = db.session.execute(select(func.count(Topic.id))).scalar_one()
        posts = db.session.execute(select(func.count(Post.id))).scalar_one()
        unviewed = db.session.execute(select(func.count(Topic.id)).where(Topic.views == 0, Topic.category_id.is_not(None))).scalar_one()
    assert topics >= 25 and posts >= 200
    assert unviewed == 0, "the demo's topics have been read: lists show their views"
    again = runner.invoke(args=["forum", "load-demo", "--if-empty"])
    assert "not loaded again" in again.output
    with app.app_context():
        assert db.session.execute(select(func.count(Topic.id))).scalar_one() == topics
    assert client.get("/latest").status_code == 200
    auth.login("aino", "fellowship-demo")
    assert "Team room" in client.get("/categories").get_data(as_text=True)
    experiments = page_text(client.get("/experiments"))
    for title in ("Learning cycles in vocational education", "What matters conversations in care homes",
                  "Plymouth family hubs: trust and autonomy"):
        assert title in experiments
    experiment = page_text(client.get("/experiments/plymouth-family-hubs"))
    assert "the referral form" in experiment.lower() and "Launch" in experiment and "Open challenges: " in experiment
    workshops = page_text(client.get("/workshops"))
    assert "Experiment design workshop 3: cycle 3 plans" in workshops and "Launch" in workshops
    with app.app_context():
        from forum.workshops.models import Nomination

        assert db.session.execute(select(func.count(Nomination.id))).scalar_one() == 2
        assert db.session.execute(
            select(Topic.title).where(Topic.is_pinned.is_(True), Topic.title.like("Cycle 3%"))
        ).scalar_one()


def test_the_demo_has_a_newcomer_who_sees_the_welcome_on_first_visit(app, client, auth):
    """Demo members joined weeks ago and never see the newcomer's welcome; the demo's newcomer, listed among the
    logins it prints, has just joined and does."""
    loaded = app.test_cli_runner().invoke(args=["forum", "load-demo"])
    assert loaded.exit_code == 0, loaded.output
    assert "niamh" in loaded.output
    auth.login("aino", "fellowship-demo")
    assert "Welcome to" not in page_text(client.get("/latest"))
    auth.logout()
    auth.login("niamh", "fellowship-demo")
    welcome = page_text(client.get("/latest"))
    assert "Welcome to Fellowship, Niamh Byrne" in welcome and "Introduce yourself" in welcome


def test_run_jobs_folds_views_and_sends_reminders(app, client, make):
    from datetime import UTC, datetime, timedelta

    from forum.board.models import Visibility
    from forum.bookmarks.models import Bookmark

    aino = make.user("aino")
    topic_id = make.topic(aino, make.category("Open", visibility=Visibility.PUBLIC))
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        post_id = db.session.execute(select(Post.id).where(Post.topic_id == topic_id)).scalar_one()
        db.session.add(Bookmark(user_id=aino, post_id=post_id, reminder_at=datetime.now(UTC) - timedelta(minutes=1)))
        db.session.commit()
    client.get(f"/t/{topic.slug}/{topic.id}")
    result = app.test_cli_runner().invoke(args=["forum", "run-jobs"])
    assert result.exit_code == 0, result.output
    assert "board.fold_view_counts: 1" in result.output and "bookmarks.send_reminders: 1" in result.output


def test_forum_served_on_another_port_writes_that_port_into_its_links(app, monkeypatch):
    """`flask forum serve --port 5102`: the start-up message, mail links and the worker all use port 5102."""
    from forum.core import links

    monkeypatch.delenv("FORUM_BASE_URL", raising=False)
    monkeypatch.setitem(app.config, "FORUM_BASE_URL", app.config["FORUM_BASE_URL"])  # restored afterwards
    served, workers = [], []
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda host, port, *a, **k: served.append((host, port)))
    monkeypatch.setattr(signal, "signal", lambda *args: None)

    class Worker:
        pid = 4242

        def __init__(self, args, env):
            workers.append(env)

        terminate = wait = kill = lambda self, *args, **kwargs: None

    monkeypatch.setattr(subprocess, "Popen", Worker)
    result = app.test_cli_runner().invoke(args=["forum", "serve", "--port", "5102"])
    assert result.exit_code == 0, result.output
    assert served == [("127.0.0.1", 5102)]
    assert "Serving the forum at http://127.0.0.1:5102" in result.output
    assert workers[0]["FORUM_PORT"] == "5102" and workers[0]["FORUM_HOST"] == "127.0.0.1"
    with app.test_request_context():
        assert links.absolute_url("auth.login") == "http://127.0.0.1:5102/login"


def test_explicit_base_url_wins_over_the_port_served_on(app, monkeypatch):
    monkeypatch.setenv("FORUM_BASE_URL", "https://forum.example.org")
    monkeypatch.setitem(app.config, "FORUM_BASE_URL", "https://forum.example.org")
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *args, **kwargs: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    monkeypatch.setattr(subprocess, "Popen", lambda args, env: type("W", (), {
        "pid": 1, "terminate": lambda s: None, "wait": lambda s, timeout: None})())
    result = app.test_cli_runner().invoke(args=["forum", "serve", "--port", "5102"])
    assert result.exit_code == 0, result.output
    assert "Serving the forum at https://forum.example.org" in result.output
    assert app.config["FORUM_BASE_URL"] == "https://forum.example.org"


def test_base_url_follows_the_host_and_port_served_on_unless_given(monkeypatch, tmp_path):
    from forum.config import base_url_for, load_config

    monkeypatch.delenv("FORUM_BASE_URL", raising=False)
    monkeypatch.setenv("FORUM_HOST", "10.0.0.7")
    monkeypatch.setenv("FORUM_PORT", "5102")
    assert load_config(tmp_path)["FORUM_BASE_URL"] == "http://10.0.0.7:5102"
    monkeypatch.setenv("FORUM_BASE_URL", "https://forum.example.org")
    assert load_config(tmp_path)["FORUM_BASE_URL"] == "https://forum.example.org"
    assert base_url_for("::1", 5000) == "http://[::1]:5000"
    assert "0.0.0.0" not in base_url_for("0.0.0.0", 5000)


def test_make_run_hands_host_and_port_to_every_step(tmp_path):
    """`make run PORT=5102`: the migration, the demo loader (which prints the log-in address), the index and the
    server all see the port, so links are built to it (FLASK is replaced by a command that prints what it sees)."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parent.parent
    show = "sh -c 'echo \"$$FORUM_HOST $$FORUM_PORT\"' flask"
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "-o", ".venv/.installed", "run", "PORT=5102", "HOST=0.0.0.0",
         f"FLASK={show}"],
        cwd=root, capture_output=True, text=True, timeout=60,
        env={key: value for key, value in os.environ.items() if not key.startswith("FORUM_")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == ["0.0.0.0 5102"] * 4
