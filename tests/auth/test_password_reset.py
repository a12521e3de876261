"""Asking for a password reset: the same answer, after the same work, whether or not the address is a member's;
the mail is built and sent by the background worker; at most three links an hour for one address."""

import email
from pathlib import Path

from sqlalchemy import func, select

from forum.extensions import db
from forum.mail.outbox import OutboxEmail
from tests.conftest import PASSWORD, page_text


def _mails(app) -> list:
    folder = Path(app.config["FORUM_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]


def _clear_outbox(app):
    for f in Path(app.config["FORUM_OUTBOX_DIR"]).glob("*.eml"):
        f.unlink()


def _queued(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(OutboxEmail.id))).scalar_one()


def _ask(client, address, **kwargs):
    return client.post("/password/forgot", data={"email": address}, **kwargs)


def _hold_jobs(app, monkeypatch) -> list:
    """Keep the jobs that get enqueued instead of running them, as if no worker had taken them yet."""
    held = []
    monkeypatch.setattr(app.extensions["forum_queue"], "enqueue_job", lambda name, *args: held.append((name, args)))
    return held


def test_reset_request_answers_the_same_after_the_same_work_for_member_and_stranger(app, make, count_queries,
                                                                                    monkeypatch):
    make.user("aino", email="aino@example.org")
    held = _hold_jobs(app, monkeypatch)
    answers, statements = [], []
    for address in ("aino@example.org", "stranger@example.org"):
        client = app.test_client()
        with count_queries() as counter:
            response = _ask(client, address)
        statements.append([s.split()[0] + " " + s.split()[2] if len(s.split()) > 2 else s for s in counter.statements])
        answers.append((response.status_code, response.headers["Location"], page_text(client.get("/login"))))
        response.close()
    assert answers[0] == answers[1]
    assert statements[0] == statements[1]
    assert held == [("auth.send_reset_links", ())] * 2


def test_reset_mail_is_built_and_sent_by_the_worker_not_in_the_request(app, client, make, monkeypatch):
    from forum.core.jobs import run_job

    _clear_outbox(app)
    make.user("aino", email="aino@example.org")
    held = _hold_jobs(app, monkeypatch)
    response = _ask(client, "aino@example.org")
    assert response.status_code == 302
    assert _queued(app) == 0 and _mails(app) == []
    assert held == [("auth.send_reset_links", ())]
    monkeypatch.undo()  # the worker takes the job (and then the mail's)
    run_job(app, "auth.send_reset_links")
    [message] = _mails(app)
    assert message["To"] == "aino@example.org" and "/password/reset/" in message.get_body(("plain",)).get_content()


def test_at_most_three_reset_mails_an_hour_for_one_address_and_the_same_answer_beyond(app, make):
    _clear_outbox(app)
    make.user("aino", email="aino@example.org")
    answers = set()
    for _ in range(5):
        client = app.test_client()
        response = _ask(client, "Aino@Example.org", buffered=True)
        answers.add((response.status_code, response.headers["Location"]))
    assert len(answers) == 1
    assert len(_mails(app)) == 3


def test_reset_request_for_a_stranger_sends_nothing(app, make):
    _clear_outbox(app)
    for _ in range(2):
        _ask(app.test_client(), "stranger@example.org", buffered=True)
    assert _mails(app) == [] and _queued(app) == 0


def test_a_reset_link_sent_before_log_out_everywhere_no_longer_works(app, make):
    _clear_outbox(app)
    make.user("aino", email="aino@example.org")
    _ask(app.test_client(), "aino@example.org", buffered=True)
    [message] = _mails(app)
    link = message.get_body(("plain",)).get_content().split("http://")[1].split()[0].split("/", 1)[1]
    client = app.test_client()
    client.post("/login", data={"login": "aino", "password": PASSWORD})
    client.post("/logout/everywhere")
    assert app.test_client().get("/" + link).status_code == 410


def test_a_password_reset_ends_every_session_of_the_member(app, make):
    _clear_outbox(app)
    make.user("aino", email="aino@example.org")
    phone = app.test_client()
    phone.post("/login", data={"login": "aino", "password": PASSWORD, "remember": "y"})
    remember = phone.get_cookie("remember_token").value
    _ask(app.test_client(), "aino@example.org", buffered=True)
    link = "/" + _mails(app)[0].get_body(("plain",)).get_content().split("http://")[1].split()[0].split("/", 1)[1]
    laptop = app.test_client()
    assert laptop.post(link, data={"password": "my new long password", "confirm": "my new long password"}).status_code == 302
    assert laptop.get("/my/preferences").status_code == 200
    assert phone.get("/my/preferences").status_code == 302
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert replay.get("/my/preferences").status_code == 302


def test_a_reset_link_sent_before_a_suspension_does_not_work(app, make):
    from forum.auth.models import User

    _clear_outbox(app)
    aino = make.user("aino", email="aino@example.org")
    _ask(app.test_client(), "aino@example.org", buffered=True)
    link = "/" + _mails(app)[0].get_body(("plain",)).get_content().split("http://")[1].split()[0].split("/", 1)[1]
    with app.app_context():
        db.session.get(User, aino).is_suspended = True
        db.session.commit()
    client = app.test_client()
    assert client.get(link).status_code == 410
    assert client.post(link, data={"password": "my new long password", "confirm": "my new long password"}).status_code == 410


def test_a_reset_request_left_pending_is_sent_from_outside_a_request(app, client, make, monkeypatch):
    """If the job is never run (the web process died before enqueueing it), the periodic sweep sends it."""
    from forum.auth.services import send_reset_links
    from forum.mail.outbox import deliver_due

    _clear_outbox(app)
    make.user("aino", email="aino@example.org")
    _hold_jobs(app, monkeypatch)
    _ask(client, "aino@example.org")
    with app.app_context():
        assert send_reset_links() == 1
        db.session.commit()
        deliver_due()
        assert send_reset_links() == 0
    assert len(_mails(app)) == 1


def test_a_reset_link_sent_before_an_email_change_stops_working_after_it(app, make):
    """Discourse CVE-2022-46177: a link mailed to an old address must not outlive the change of address."""
    from forum.auth.models import User

    _clear_outbox(app)
    aino = make.user("aino", email="aino@example.org")
    _ask(app.test_client(), "aino@example.org", buffered=True)
    [message] = _mails(app)
    link = message.get_body(("plain",)).get_content().split("http://")[1].split()[0].split("/", 1)[1]
    with app.app_context():
        user = db.session.get(User, aino)
        user.email, user.email_key = "aino@new.example.org", "aino@new.example.org"
        db.session.commit()
    assert app.test_client().get("/" + link).status_code == 410
