"""The outbox against a real SMTP server on loopback: what arrives, retries after a refusal or an outage,
permanent refusals recorded on the member, and no message lost or sent twice when a worker dies or two
workers run at once."""

import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail import outbox
from forum.mail.models import EmailPreferences
from forum.mail.outbox import CLAIM_SECONDS, OutboxEmail, deliver_due, queue_message
from tests.conftest import page_text
from tests.mail.conftest import Inbox, _free_port

THREAD_HEADERS = {
    "In-Reply-To": "<topic-7@fellowship.localhost>",
    "References": "<topic-7@fellowship.localhost>",
    "List-Unsubscribe": "<https://forum.example/email/unsubscribe/abc>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


class WorkerKilled(BaseException):
    """The worker process dies here (not an Exception: nothing in the outbox may catch it)."""


def _queue(app, n=1, *, user_id=None, headers=None) -> list[str]:
    """Queue `n` messages and commit; returns their Message-IDs. The commit delivers them at once (tests run
    jobs immediately) unless the test holds the worker back with `worker_busy`."""
    with app.test_request_context():
        messages = [
            queue_message(
                f"member{i}@example.org", f"Message {i}", f"Text {i}", f"<p>HTML {i}</p>", user_id=user_id,
                kind="replies", headers=headers,
            )
            for i in range(n)
        ]
        db.session.commit()
        return [message.message_id for message in messages]


@pytest.fixture
def worker_busy(monkeypatch):
    """Messages wait in the outbox for a worker run (no delivery at commit)."""
    monkeypatch.setattr(outbox, "enqueue_after_commit", lambda session, name, *args: None)


def _rows(app) -> list[OutboxEmail]:
    with app.app_context():
        rows = list(db.session.execute(select(OutboxEmail).order_by(OutboxEmail.id)).scalars())
        db.session.expunge_all()
        return rows


def _run(app, limit=50) -> tuple[int, int]:
    with app.app_context():
        return deliver_due(limit)


def _later(monkeypatch, delta: timedelta) -> None:
    """The outbox's clock moves on by `delta`."""
    moved = utcnow() + delta
    monkeypatch.setattr(outbox, "utcnow", lambda: moved)


def _arrived_ids(server) -> list[str]:
    return [message["Message-ID"] for message in server.inbox.messages]


def test_a_message_arrives_with_text_and_html_parts_and_the_headers_it_was_queued_with(app, smtp_server):
    [message_id] = _queue(app, headers=THREAD_HEADERS)
    [message] = smtp_server.inbox.messages
    assert message["Message-ID"] == message_id
    assert message["To"] == "member0@example.org" and message["Subject"] == "Message 0"
    for name, value in THREAD_HEADERS.items():
        assert message[name] == value
    assert message.get_body(("plain",)).get_content().strip() == "Text 0"
    assert message.get_body(("html",)).get_content().strip() == "<p>HTML 0</p>"
    [row] = _rows(app)
    assert row.sent_at is not None and row.attempts == 1 and row.claimed_until is None


def test_a_long_unsubscribe_url_stays_a_plain_header_mail_clients_can_read(app, smtp_server):
    """At the usual 78 columns Python would fold the URL into RFC 2047 encoded words, which mail clients do not
    decode in List-Unsubscribe: the one-click button would not appear."""
    url = "https://forum.example.org/email/unsubscribe/WzEzLCJtZW50aW9ucyJd.eR72TZqv7v5Ffdgzp33FROB6Tkc"
    _queue(app, headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    [raw] = smtp_server.inbox.raw
    assert f"List-Unsubscribe: <{url}>\r\n".encode() in raw


def test_a_paragraph_longer_than_an_smtp_line_arrives_whole(app, smtp_server):
    paragraph = "Ünicode and a long paragraph without a line break. " * 60  # 3,000 characters on one line
    with app.test_request_context():
        queue_message("aino@example.org", "Long", paragraph, f"<p>{paragraph}</p>")
        db.session.commit()
    [message] = smtp_server.inbox.messages  # a strict server refuses lines over 998 bytes
    assert message.get_body(("plain",)).get_content().strip() == paragraph.strip()
    assert message.get_body(("html",)).get_content().strip() == f"<p>{paragraph}</p>"
    [row] = _rows(app)
    assert row.sent_at is not None


def test_a_temporary_refusal_is_retried_with_growing_back_off_until_the_server_accepts(
    app, smtp_server, monkeypatch
):
    smtp_server.inbox.refuse = "451 4.3.0 Try later"
    [message_id] = _queue(app)
    [row] = _rows(app)
    assert row.sent_at is None and row.failed_at is None and row.attempts == 1 and "4.3.0 Try later" in row.last_error
    first_wait = row.next_attempt_at - utcnow()
    assert timedelta(minutes=1) < first_wait <= timedelta(minutes=2)
    assert _run(app) == (0, 0)  # not due yet

    _later(monkeypatch, first_wait + timedelta(seconds=1))
    assert _run(app) == (0, 1)
    [row] = _rows(app)
    assert row.attempts == 2 and row.next_attempt_at - outbox.utcnow() > first_wait  # waits longer each time

    smtp_server.inbox.refuse = None
    _later(monkeypatch, timedelta(hours=1))
    assert _run(app) == (1, 0)
    assert _arrived_ids(smtp_server) == [message_id]
    [row] = _rows(app)
    assert row.sent_at is not None and row.last_error is None


def test_a_server_that_is_down_is_retried_and_the_message_delivered_when_it_is_back(
    app, smtp_server, monkeypatch
):
    monkeypatch.setattr(app.extensions["mail"], "port", _free_port())  # nothing listens there: the server is down
    [message_id] = _queue(app)
    [row] = _rows(app)
    assert row.sent_at is None and row.failed_at is None and row.attempts == 1
    assert "refused" in row.last_error.lower()
    monkeypatch.setattr(app.extensions["mail"], "port", smtp_server.port)  # back up
    _later(monkeypatch, timedelta(minutes=3))
    assert _run(app) == (1, 0)
    assert _arrived_ids(smtp_server) == [message_id]


def test_a_permanent_refusal_is_not_retried_and_is_recorded_on_the_member_for_admins(
    app, client, make, auth, smtp_server, monkeypatch
):
    aino = make.user("aino", display_name="Aino Aalto")
    smtp_server.inbox.refuse = "550 5.1.1 No such user"
    _queue(app, user_id=aino)
    [row] = _rows(app)
    assert row.failed_at is not None and row.attempts == 1 and "5.1.1 No such user" in row.last_error
    _later(monkeypatch, timedelta(days=2))
    smtp_server.inbox.refuse = None
    assert _run(app) == (0, 0)  # never tried again
    assert smtp_server.inbox.messages == []
    with app.app_context():
        preferences = db.session.get(EmailPreferences, aino)
        assert preferences.failed_at is not None and "No such user" in preferences.failure
    make.admin("ada")
    auth.login("ada")
    text = page_text(client.get("/admin/mail/"))
    failures = text[text.index("Delivery failures"):text.index("Digest runs")]
    assert "Aino Aalto aino@example.org" in failures and "5.1.1 No such user" in failures


class RefusingSender(Inbox):
    """A server that refuses our sender (as one that wants a login would): nothing to do with the member."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        return "530 5.7.0 Authentication required"


def test_a_server_refusing_our_sender_is_retried_and_not_blamed_on_the_member(app, make, smtp_server, monkeypatch):
    aino = make.user("aino")
    refusing = Controller(RefusingSender(), hostname="127.0.0.1", port=_free_port())
    refusing.start()
    try:
        monkeypatch.setattr(app.extensions["mail"], "port", refusing.port)
        _queue(app, user_id=aino)
    finally:
        refusing.stop()
    [row] = _rows(app)
    assert row.failed_at is None and row.sent_at is None and "Authentication required" in row.last_error
    with app.app_context():
        assert db.session.get(EmailPreferences, aino) is None
    monkeypatch.setattr(app.extensions["mail"], "port", smtp_server.port)
    _later(monkeypatch, timedelta(minutes=3))
    assert _run(app) == (1, 0)


def test_a_message_claimed_by_a_worker_that_died_is_sent_once_its_claim_runs_out(
    app, smtp_server, worker_busy, monkeypatch
):
    message_ids = _queue(app, 3)
    with app.app_context():
        outbox._claim_due(50)  # a worker takes the messages and dies before sending any
    assert _run(app) == (0, 0)  # held: another worker leaves them alone
    _later(monkeypatch, timedelta(seconds=CLAIM_SECONDS + 1))
    assert _run(app) == (3, 0)
    assert _run(app) == (0, 0)
    assert sorted(_arrived_ids(smtp_server)) == sorted(message_ids)


def test_a_worker_killed_after_the_server_accepted_resends_with_the_same_message_id_and_loses_nothing(
    app, smtp_server, worker_busy, monkeypatch
):
    first, second, third = _queue(app, 3)
    real_send = outbox._send

    def dies_after_the_second_is_accepted(message, smtp):
        real_send(message, smtp)
        if message.message_id == second:
            raise WorkerKilled

    monkeypatch.setattr(outbox, "_send", dies_after_the_second_is_accepted)
    with app.app_context(), pytest.raises(WorkerKilled):
        deliver_due()
    monkeypatch.setattr(outbox, "_send", real_send)
    assert _arrived_ids(smtp_server) == [first, second]
    assert [row.sent_at is not None for row in _rows(app)] == [True, False, False]

    assert _run(app) == (0, 0)  # the dead worker's claim still holds
    _later(monkeypatch, timedelta(seconds=CLAIM_SECONDS + 1))
    assert _run(app) == (2, 0)
    # The one message sent twice carries the same Message-ID: the receiver can tell it is the same message.
    assert _arrived_ids(smtp_server) == [first, second, second, third]
    assert all(row.sent_at is not None for row in _rows(app))
    assert _run(app) == (0, 0)


def test_a_message_whose_claim_lapsed_and_was_taken_by_another_worker_is_not_sent_again(
    app, smtp_server, worker_busy
):
    [message_id] = _queue(app)
    with app.app_context():
        slow_token, _ids = outbox._claim_due(50)  # a slow worker's batch
        db.session.execute(update(OutboxEmail).values(claimed_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        fast_token, taken = outbox._claim_due(50)  # its claim ran out: another worker takes the message
        assert taken == _ids
        assert outbox._take(_ids[0], slow_token) is None  # the slow worker reaches it and leaves it
        db.session.commit()
    assert smtp_server.inbox.messages == []
    assert message_id


def test_two_workers_delivering_at_once_never_send_a_message_twice(app, smtp_server, worker_busy):
    message_ids = _queue(app, 40)
    start = threading.Barrier(2)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def worker():
        try:
            with app.app_context():
                start.wait(timeout=10)
                while True:
                    sent, failed = deliver_due(limit=5)
                    results.append((sent, failed))
                    if not sent and not failed:
                        break
                db.session.remove()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    arrived = _arrived_ids(smtp_server)
    assert sorted(arrived) == sorted(message_ids)  # each one, once
    assert sum(sent for sent, _failed in results) == 40
    assert all(row.sent_at is not None for row in _rows(app))
