"""Moderation outcomes reach members between sessions: the author of a hidden or edited post and the member who
flagged it are emailed the outcome, in the sentence the notification list shows, without the post itself."""

import pytest

from forum.extensions import db
from forum.mail.preferences import save_preferences
from forum.moderation import flags, review
from forum.moderation import posts as moderation
from forum.moderation.models import FlagKind
from tests.mail.conftest import clean_outbox, outbox_files  # noqa: F401 (a fixture)
from tests.mail.test_notification_emails import html_of, mails_to, sweep, text_of
from tests.moderation.flagging import make_room, post, user

pytestmark = pytest.mark.usefixtures("clean_outbox")
REASON = "Names a resident who asked not to be named"


@pytest.fixture
def room(make):
    return make_room(make)


def _as(app, action):
    with app.test_request_context():
        action()
        db.session.commit()


def test_the_author_of_a_hidden_post_is_emailed_why_and_the_post_is_not_in_the_mail(app, room):
    _as(app, lambda: moderation.hide(user(room.fiona), post(room.reply), REASON))
    sweep(app)
    [mail] = mails_to(app, "aino")
    assert mail["Subject"].endswith("Harbour plans for the spring")
    body = text_of(mail)
    assert f"A facilitator hid your post in “Harbour plans for the spring”: {REASON}" in body
    assert "/t/harbour-plans-for-the-spring/" in body and "/notifications" in body
    assert "My reply about the harbour." not in body + html_of(mail)


def test_a_flagger_hears_the_outcome_by_mail_but_never_reads_the_hidden_post_there(app, room):
    _as(app, lambda: flags.flag(user(room.ben), post(room.reply), FlagKind.INAPPROPRIATE))
    _as(app, lambda: review.agree(user(room.fiona), post(room.reply), reason=REASON))
    sweep(app)
    [mail] = mails_to(app, "ben")
    everything = mail["Subject"] + text_of(mail) + html_of(mail)
    assert "A facilitator agreed with your flag on a post in “Harbour plans for the spring”" in everything
    assert "My reply about the harbour." not in everything and REASON not in everything


def test_outcome_emails_follow_the_messages_preference(app, room):
    with app.app_context():
        save_preferences(room.aino, messages=False)
        db.session.commit()
    _as(app, lambda: moderation.hide(user(room.fiona), post(room.reply), REASON))
    sweep(app)
    assert mails_to(app, "aino") == [] and outbox_files(app) == []
