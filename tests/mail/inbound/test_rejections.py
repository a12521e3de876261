"""Rejections: one answer per refused message, in plain words, with what was written quoted back; never an
answer that could start a loop or a storm."""

import pytest

from forum.extensions import db
from forum.mail.inbound import errors, rejections
from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.models import InboundStatus
from forum.mail.inbound.parse import parse_message
from tests.mail.inbound.mailbox import (
    answers_to,
    first_post_id,
    html_of,
    key_for,
    posts_in,
    raw_mail,
    receive,
    text_of,
)

pytestmark = pytest.mark.usefixtures("clean_outbox")

REASON_CLASSES = sorted(
    {cls for module in (errors, rejections) for cls in vars(module).values()
     if isinstance(cls, type) and issubclass(cls, InboundMailError) and cls not in (InboundMailError, rejections.Rejection)},
    key=lambda cls: cls.__name__,
)


@pytest.fixture
def forum(make):
    aino, bob = make.user("aino"), make.user("bob")
    topic = make.topic(bob, make.category("Workshops"), title="Learning cycles", raw="How do we run them?")
    return type("Forum", (), {"aino": aino, "bob": bob, "topic": topic})


def test_each_reason_answers_in_its_own_words_with_the_text_quoted_back(app):
    written = "My careful notes on the second run."
    said = {}
    for number, error_class in enumerate(REASON_CLASSES):
        sender = f"ann{number}@example.net"
        with app.test_request_context():
            parsed = parse_message(raw_mail("forum@fellowship.localhost", written, sender=sender))
            assert rejections.send_rejection(b"", parsed, error_class(), written) is None
            db.session.commit()
        [answer] = answers_to(app, sender)
        assert answer["Auto-Submitted"] == "auto-replied" and answer["In-Reply-To"] == f"<{parsed.message_id}>"
        text, html = text_of(answer).replace("\r\n", "\n"), html_of(answer)
        assert "was not posted" in text and "> My careful notes on the second run." in text and written in html
        said.setdefault(text.split("\n\n")[1], set()).add(error_class.reason)
    assert {reason for reasons in said.values() for reason in reasons} == set(rejections.reasons())
    assert all(len(reasons) == 1 for reasons in said.values())


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("On Tue, 1 Dec 2026 at 10:00, Bob <bob@example.org> wrote:\n> How do we run them?\n", "empty"),
        ("Ok\n\nOn Tue, 1 Dec 2026 at 10:00, Bob <bob@example.org> wrote:\n> How do we run them?\n", "too_short"),
        ("Long. " * 7000, "too_long"),
    ],
)
def test_an_empty_short_or_too_long_reply_is_refused_with_its_reason(app, forum, body, reason):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    outcome = receive(app, raw_mail(address, body))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, reason)
    assert len(posts_in(app, forum.topic)) == 1
    [answer] = answers_to(app, "aino@example.org")
    assert answer["Auto-Submitted"] == "auto-replied"


def test_a_message_the_parser_refuses_is_answered_from_its_headers(app, forum, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_INBOUND_MAX_PARTS", 3)
    attachments = [(f"n{i}.txt", "text/plain", b"note") for i in range(5)]
    outcome = receive(app, raw_mail("forum@fellowship.localhost", "Many notes.", attachments=attachments))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "too_many_parts")
    [answer] = answers_to(app, "aino@example.org")
    assert "more parts" in text_of(answer)


@pytest.mark.parametrize("sender", ["forum@fellowship.localhost", "MAILER-DAEMON@mx.example.org", ""])
def test_no_answer_goes_to_our_own_address_a_mail_daemon_or_a_missing_sender(app, forum, sender):
    outcome = receive(app, raw_mail("nobody@fellowship.localhost", "Hello forum.", sender=sender))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "unknown_address")
    assert "no answer sent" in outcome.detail
    assert answers_to(app, sender) == []


def test_one_sender_gets_at_most_five_rejections_an_hour(app, forum):
    outcomes = [receive(app, raw_mail("nobody@fellowship.localhost", f"Spam number {n}.", sender="victim@example.net"))
                for n in range(7)]
    assert all(outcome.status == InboundStatus.REJECTED for outcome in outcomes)
    assert len(answers_to(app, "victim@example.net")) == rejections.REJECTIONS_PER_HOUR
    assert "rate limit" in outcomes[-1].detail
