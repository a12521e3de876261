"""The receiver: a member's reply by mail lands in the right topic, as them; anything else is refused, dropped
or kept for an admin, and never posted twice."""

import pytest
from sqlalchemy import update

from forum.auth.models import User
from forum.board import gate
from forum.board.models import Topic, Visibility
from forum.extensions import db
from forum.mail.inbound import jobs, receiver
from forum.mail.inbound.intake import accept_raw
from forum.mail.inbound.models import InboundEmail, InboundStatus
from tests.mail.inbound.mailbox import (
    answers_to,
    first_post_id,
    key_for,
    posts_in,
    raw_mail,
    receive,
    row,
    text_of,
)

pytestmark = pytest.mark.usefixtures("clean_outbox")

REPLY = """Yes, we start with a question and then plan the cycle.

Aino

On Tue, 1 Dec 2026 at 10:00, Bob <bob@example.org> wrote:
> How do we run learning cycles?
> More quoted text.

--
Aino Virtanen
Sent from my iPhone
"""


@pytest.fixture
def forum(make):
    """Bob started a topic; Aino may reply to it and got a notification email about Bob's first post."""
    aino, bob = make.user("aino", display_name="Aino"), make.user("bob", display_name="Bob")
    category = make.category("Workshops")
    topic = make.topic(bob, category, title="Learning cycles", raw="How do we run **learning cycles**?")
    make.post(bob, topic, raw="A second thought from Bob.")
    return type("Forum", (), {"aino": aino, "bob": bob, "category": category, "topic": topic})


def test_a_reply_by_mail_appears_in_the_topic_as_the_member_replying_to_the_keyed_post_without_quotes_or_signature(
    app, forum
):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    outcome = receive(app, raw_mail(address, REPLY))
    assert outcome.status == InboundStatus.POSTED, (outcome.reason, outcome.detail)
    reply = posts_in(app, forum.topic)[-1]
    assert (reply.id, reply.user_id, reply.reply_to) == (outcome.post_id, forum.aino, 1)
    assert reply.raw.startswith("Yes, we start with a question and then plan the cycle.")
    assert "How do we run" not in reply.raw and "Sent from my iPhone" not in reply.raw
    assert outcome.user_id == forum.aino and outcome.from_address == "aino@example.org"


def test_a_reply_from_someone_else_with_a_valid_key_is_rejected_and_posts_nothing(app, make, forum):
    make.user("mallory")
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    outcome = receive(app, raw_mail(address, "Posting as Aino, I hope.", sender="mallory@example.org"))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "wrong_sender")
    assert len(posts_in(app, forum.topic)) == 2
    [answer] = answers_to(app, "mallory@example.org")
    assert "Posting as Aino, I hope." in text_of(answer)


def test_mail_naming_a_private_topics_message_id_without_a_valid_key_posts_nothing_there(app, make, forum):
    """Discourse PR #43058: a reply is bound to its key, never to a guessed In-Reply-To or References."""
    team = make.category("Team", visibility=Visibility.GROUPS, group_ids=[make.group("Staff team")])
    secret = make.topic(make.admin("ada"), team, title="Private plans", raw="Only for the team.")
    guessed = f"<topic-{secret}@{app.config['FORUM_MAIL_DOMAIN']}>"
    headers = {"In-Reply-To": guessed, "References": guessed}
    for to in ("reply+0123456789abcdef0123456789abcdef01234567@fellowship.localhost", "forum@fellowship.localhost"):
        outcome = receive(app, raw_mail(to, "Let me in, please.", headers=headers))
        assert outcome.status == InboundStatus.REJECTED and outcome.post_id is None
    assert len(posts_in(app, secret)) == 1


def test_the_same_message_id_is_never_posted_twice(app, forum):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    raw = raw_mail(address, REPLY, message_id="<once@mail.example.org>")
    assert receive(app, raw).status == InboundStatus.POSTED
    again = receive(app, raw)
    assert (again.status, again.reason) == (InboundStatus.DROPPED, "duplicate")
    assert len(posts_in(app, forum.topic)) == 3
    assert answers_to(app, "aino@example.org") == []


def test_processing_a_message_twice_is_harmless(app, forum):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    outcome = receive(app, raw_mail(address, REPLY))
    with app.app_context():
        assert receiver.process(outcome.id) is None
        db.session.commit()
    assert len(posts_in(app, forum.topic)) == 3
    assert row(app, outcome.id).status == InboundStatus.POSTED


def test_an_out_of_office_reply_is_dropped_without_an_answer(app, forum):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    for headers, subject in (({"Auto-Submitted": "auto-replied"}, "Re: Learning cycles"),
                             ({"X-Autoreply": "yes"}, "Re: Learning cycles"),
                             ({}, "Out of Office: back on Monday")):
        outcome = receive(app, raw_mail(address, "I am away until Monday.", headers=headers, subject=subject))
        assert (outcome.status, outcome.reason) == (InboundStatus.DROPPED, "auto_reply")
    assert len(posts_in(app, forum.topic)) == 2
    assert answers_to(app, "aino@example.org") == []


@pytest.fixture
def question_gate():
    def hold_questions(submission: gate.Submission):
        if "?" in submission.raw:
            return gate.Held(rule="questions", message="Your question waits for a facilitator.")
        return None

    gate.add_rule(hold_questions)
    yield
    gate.remove_rule(hold_questions)


def test_a_post_the_gate_holds_is_held_and_the_sender_is_told_it_awaits_approval(app, forum, question_gate):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    outcome = receive(app, raw_mail(address, "May I bring a friend to the workshop?"))
    assert (outcome.status, outcome.reason, outcome.post_id) == (InboundStatus.HELD, "questions", None)
    assert len(posts_in(app, forum.topic)) == 2
    [note] = answers_to(app, "aino@example.org")
    assert "Your question waits for a facilitator." in text_of(note)
    assert note["Auto-Submitted"] == "auto-replied"


def test_a_crash_while_processing_marks_the_message_failed_with_the_error(app, forum, monkeypatch):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(receiver.board, "create_post", broken)
    outcome = receive(app, raw_mail(address, REPLY))
    assert (outcome.status, outcome.reason) == (InboundStatus.FAILED, "crash")
    assert "the disk is on fire" in outcome.detail and outcome.attempts == 1
    assert len(posts_in(app, forum.topic)) == 2

    monkeypatch.undo()
    with app.app_context():
        db.session.execute(update(InboundEmail).values(status=InboundStatus.RECEIVED))  # "process again"
        assert receiver.process(outcome.id) == "posted"
        db.session.commit()
    assert len(posts_in(app, forum.topic)) == 3


def test_an_attachment_becomes_an_upload_in_the_post_and_a_refused_one_is_listed_in_a_note(app, forum):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    attachments = [
        ("notes.txt", "text/plain", b"Calibration notes\n"),
        ("setup.exe", "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 200),
    ]
    outcome = receive(app, raw_mail(address, "Here are my notes from the session.", attachments=attachments))
    assert outcome.status == InboundStatus.POSTED, (outcome.reason, outcome.detail)
    reply = posts_in(app, forum.topic)[-1]
    assert "[notes.txt](/uploads/" in reply.raw and "setup" not in reply.raw
    [note] = answers_to(app, "aino@example.org")
    assert "setup.exe" in text_of(note) and "notes.txt" not in text_of(note)


def test_a_reply_to_a_closed_topic_is_refused_with_the_text_quoted_back(app, forum):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    with app.app_context():
        db.session.execute(update(Topic).where(Topic.id == forum.topic).values(is_locked=True))
        db.session.commit()
    outcome = receive(app, raw_mail(address, REPLY))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "topic_closed")
    [answer] = answers_to(app, "aino@example.org")
    assert "> Yes, we start with a question and then plan the cycle." in text_of(answer)


def test_a_suspended_member_cannot_post_by_mail(app, forum):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    with app.app_context():
        db.session.execute(update(User).where(User.id == forum.aino).values(is_suspended=True))
        db.session.commit()
    outcome = receive(app, raw_mail(address, REPLY))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "suspended")
    assert len(posts_in(app, forum.topic)) == 2


def test_the_author_of_a_post_by_mail_finds_a_link_to_the_email_as_received_and_other_members_do_not(
    app, client, auth, forum
):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    outcome = receive(app, raw_mail(address, REPLY))
    link = f'href="/p/{outcome.post_id}/email"'
    auth.login("aino")
    page = client.get(f"/t/learning-cycles/{forum.topic}")
    assert link in page.get_data(as_text=True)
    assert "Yes, we start with a question" in client.get(f"/p/{outcome.post_id}/email").get_data(as_text=True)
    auth.logout()
    auth.login("bob")
    assert link not in client.get(f"/t/learning-cycles/{forum.topic}").get_data(as_text=True)


def test_a_message_whose_job_was_lost_is_processed_by_the_sweep_and_one_that_never_finishes_is_given_up(
    app, forum, monkeypatch
):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    queue = app.extensions["forum_queue"]
    with monkeypatch.context() as lost:
        lost.setattr(queue, "enqueue_job", lambda name, *args: None)
        with app.app_context():
            waiting = accept_raw(raw_mail(address, REPLY), source="pipe").id
            stuck = accept_raw(raw_mail(address, "This one kills its worker."), source="pipe").id
            db.session.execute(update(InboundEmail).where(InboundEmail.id == stuck).values(attempts=receiver.MAX_ATTEMPTS))
            db.session.commit()
    assert row(app, waiting).status == InboundStatus.RECEIVED

    with app.app_context():
        assert jobs.sweep() == 1
        db.session.commit()
    assert row(app, waiting).status == InboundStatus.POSTED
    assert (row(app, stuck).status, row(app, stuck).reason) == (InboundStatus.FAILED, "gave_up")
    assert len(posts_in(app, forum.topic)) == 3
