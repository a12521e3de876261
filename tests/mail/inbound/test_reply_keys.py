"""Reply keys: what a notification email's Reply-To carries, and what it is good for."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail import notify
from forum.mail.inbound.models import InboundStatus, ReplyKey
from forum.mail.inbound.reply_keys import KEY_LIFETIME, find_key, issue_key, reply_address
from tests.mail.conftest import outbox_files
from tests.mail.inbound.mailbox import (
    answers_to,
    first_post_id,
    key_for,
    posts_in,
    raw_mail,
    receive,
    text_of,
)

pytestmark = pytest.mark.usefixtures("clean_outbox")


@pytest.fixture
def forum(make):
    aino, bob = make.user("aino", display_name="Aino"), make.user("bob", display_name="Bob")
    topic = make.topic(aino, make.category("Workshops"), title="Learning cycles", raw="How do we run them?")
    return type("Forum", (), {"aino": aino, "bob": bob, "topic": topic})


def test_a_key_is_random_long_and_stored_only_as_its_hash(app, forum):
    with app.app_context():
        post_id = first_post_id(app, forum.topic)
        keys = {issue_key(forum.aino, post_id) for _ in range(20)}
        db.session.commit()
        stored = set(db.session.execute(select(ReplyKey.key_hash)).scalars())
        assert len(keys) == 20 and all(len(key) * 4 >= 128 for key in keys)
        assert not keys & stored
        key = keys.pop()
        assert reply_address(key) == f"reply+{key}@fellowship.localhost"
        assert find_key(reply_address(key).upper()).user_id == forum.aino
        assert find_key(f"reply+{key}@elsewhere.example") is None


def test_a_notification_email_replies_to_the_members_own_address_for_the_post_and_says_so(app, make, forum):
    make.post(forum.bob, forum.topic, raw="We start with a question.", reply_to=1)
    with app.app_context():
        notify.sweep(now=utcnow() + timedelta(minutes=5))
        db.session.commit()
    [email] = [m for m in outbox_files(app) if m["To"] == "aino@example.org"]
    assert "Reply to this email to answer in the forum." in text_of(email)
    reply_to = email["Reply-To"]
    with app.app_context():
        reply_key = find_key(reply_to)
        assert reply_key.user_id == forum.aino

    outcome = receive(app, raw_mail(reply_to, "Thanks Bob, that is how we do it too."))
    assert outcome.status == InboundStatus.POSTED
    reply = posts_in(app, forum.topic)[-1]
    assert (reply.user_id, reply.reply_to, reply.raw) == (forum.aino, 2, "Thanks Bob, that is how we do it too.")


def test_an_expired_key_is_refused_and_the_member_told_to_answer_on_the_website(app, forum):
    address = key_for(app, forum.aino, first_post_id(app, forum.topic))
    with app.app_context():
        db.session.execute(update(ReplyKey).values(created_at=utcnow() - KEY_LIFETIME - timedelta(days=1)))
        db.session.commit()
    outcome = receive(app, raw_mail(address, "A late answer to the first post."))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "expired_key")
    assert len(posts_in(app, forum.topic)) == 1
    [answer] = answers_to(app, "aino@example.org")
    assert "expired" in text_of(answer) and "> A late answer to the first post." in text_of(answer)


def test_an_unknown_key_is_refused(app, forum):
    outcome = receive(app, raw_mail("reply+" + "ab" * 20 + "@fellowship.localhost", "Who am I?"))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "unknown_key")
    assert len(posts_in(app, forum.topic)) == 1
