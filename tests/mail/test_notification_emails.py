"""Notification emails and mailing-list mode: what a member finds in their inbox, and what they never find."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board import services as board_services
from forum.board.models import Category, Post, Topic, Visibility, category_groups, topic_allowed_users
from forum.bookmarks import services as bookmark_services
from forum.bookmarks.models import Bookmark
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail import notify
from forum.mail.models import EmailPreferences, MailingListSubscription, NotificationEmail
from forum.mail.preferences import save_preferences
from forum.messages import services as message_services
from forum.notifications.models import Notification
from forum.tracking import services as tracking_services
from forum.tracking.models import NotificationLevel
from tests.mail.conftest import outbox_files

pytestmark = pytest.mark.usefixtures("clean_outbox")


def sweep(app, minutes=5, **kwargs):
    """Run the sweep as the worker would, `minutes` from now (past the delay); the commit delivers the mail."""
    with app.app_context():
        result = notify.sweep(now=utcnow() + timedelta(minutes=minutes), **kwargs)
        db.session.commit()
        return result


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def mails_to(app, username):
    return [m for m in outbox_files(app) if m["To"] == f"{username}@example.org"]


def change(app, function):
    with app.test_request_context():
        function()
        db.session.commit()


def get(model, key):
    return db.session.get(model, key)


def post_with_topic(post_id):
    return db.session.execute(select(Post).options(joinedload(Post.topic)).where(Post.id == post_id)).scalar_one()


@pytest.fixture
def forum(make):
    """Aino started a topic in a members' category; Bob can read it too."""
    aino, bob = make.user("aino", display_name="Aino"), make.user("bob", display_name="Bob")
    category = make.category("Workshops")
    topic = make.topic(aino, category, title="Learning cycles", raw="How do we run **learning cycles**?")
    return type("Forum", (), {"aino": aino, "bob": bob, "category": category, "topic": topic})


def test_a_reply_is_emailed_to_the_author_after_the_delay_with_text_html_and_a_link_to_the_post(app, make, forum):
    make.post(forum.bob, forum.topic, raw="We *start* with a question.\n\nThen [a plan](/p/1).", reply_to=1)
    assert sweep(app, minutes=0)["notifications"] == 0
    assert outbox_files(app) == []

    assert sweep(app)["notifications"] == 1
    [message] = mails_to(app, "aino")
    assert message["Subject"] == "[Fellowship] Learning cycles"
    text = text_of(message)
    assert "Bob replied to your post in “Learning cycles”" in text
    assert "We *start* with a question." in text  # the Markdown as typed, not tag-stripped HTML
    assert f"http://127.0.0.1:5000/t/learning-cycles/{forum.topic}/2" in text
    html = html_of(message)
    assert "<em>start</em>" in html
    assert 'href="http://127.0.0.1:5000/p/1"' in html
    assert f'href="http://127.0.0.1:5000/t/learning-cycles/{forum.topic}/2"' in html
    assert "because someone replied to your post" in text and "http://127.0.0.1:5000/my/email#email-replies" in text


def test_the_email_waits_for_forum_notify_delay_seconds(app, make, forum, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_NOTIFY_DELAY_SECONDS", 600)
    make.post(forum.bob, forum.topic, reply_to=1)
    sweep(app, minutes=9)
    assert outbox_files(app) == []
    sweep(app, minutes=11)
    assert len(mails_to(app, "aino")) == 1


def test_a_mention_says_who_mentioned_the_member(app, make, forum):
    make.user("carl", display_name="Carl")
    make.post(forum.bob, forum.topic, raw="@carl what do you think?")
    sweep(app)
    [message] = mails_to(app, "carl")
    assert "Bob mentioned you in “Learning cycles”" in text_of(message)


def _quote(app, forum):
    with app.test_request_context():
        post = db.session.execute(select(Post).where(Post.topic_id == forum.topic)).scalar_one()
        return board_services.quote_markdown(post, get(User, forum.aino)) + "Agreed."


def _mention_aino(app, make, forum):
    make.post(forum.bob, forum.topic, raw="@aino see this")


def _reply_to_aino(app, make, forum):
    make.post(forum.bob, forum.topic, raw="An answer.", reply_to=1)


def _quote_aino(app, make, forum):
    make.post(forum.bob, forum.topic, raw=_quote(app, forum))


def _aino_watches(app, make, forum):
    change(app, lambda: tracking_services.set_category_level(
        get(User, forum.aino), get(Category, forum.category), NotificationLevel.WATCHING))
    make.topic(forum.bob, forum.category, title="A new topic", raw="Something new.")


def _message_to_aino(app, make, forum):
    change(app, lambda: message_services.create_private_message(
        get(User, forum.bob), "Just us", "A private word.", [get(User, forum.aino)]))


def _remind_aino(app, make, forum):
    post_id = make.post(forum.bob, forum.topic, raw="Worth remembering.")
    with app.test_request_context():
        db.session.execute(update(Notification).values(read_at=utcnow()))  # only the reminder counts here
        bookmark_services.save_bookmark(get(User, forum.aino), post_with_topic(post_id), note="for the workshop",
                                        reminder_at=utcnow() + timedelta(minutes=1))
        db.session.execute(update(Bookmark).values(reminder_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        bookmark_services.send_due_reminders()
        db.session.commit()


KINDS = {
    "mentions": _mention_aino, "replies": _reply_to_aino, "quotes": _quote_aino, "watching": _aino_watches,
    "messages": _message_to_aino, "reminders": _remind_aino,
}


@pytest.mark.parametrize("preference", sorted(KINDS))
def test_each_kind_is_emailed_with_its_own_unsubscribe_and_preference_link(app, make, forum, preference):
    KINDS[preference](app, make, forum)
    sweep(app)
    [message] = mails_to(app, "aino")
    assert message["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://127.0.0.1:5000/my/email#email-{preference}" in text_of(message)
    assert f"/my/email#email-{preference}" in html_of(message)


@pytest.mark.parametrize("preference", sorted(KINDS))
def test_each_kind_turned_off_sends_no_email(app, make, forum, preference):
    change(app, lambda: save_preferences(forum.aino, **{preference: False}))
    KINDS[preference](app, make, forum)
    sweep(app)
    assert mails_to(app, "aino") == []
    with app.app_context():
        assert "preference" in db.session.execute(select(NotificationEmail.outcome)).scalars().all()


def test_a_bookmark_reminder_names_the_post_and_the_note(app, make, forum):
    _remind_aino(app, make, forum)
    sweep(app)
    [message] = mails_to(app, "aino")
    text = text_of(message)
    assert "A reminder about the post by Bob you bookmarked in “Learning cycles”" in text
    assert "for the workshop" in text and "Worth remembering." in text


def test_a_muted_topic_sends_no_email(app, make, forum):
    change(app, lambda: tracking_services.set_topic_level(
        get(User, forum.aino), get(Topic, forum.topic), NotificationLevel.MUTED))
    make.post(forum.bob, forum.topic, reply_to=1)
    sweep(app)
    assert mails_to(app, "aino") == []


def test_a_member_seen_on_the_site_within_their_away_minutes_gets_no_email(app, make, forum):
    change(app, lambda: save_preferences(forum.aino, away_minutes=30))
    with app.app_context():
        db.session.execute(update(User).where(User.id == forum.aino).values(last_seen_at=utcnow() - timedelta(minutes=20)))
        db.session.commit()
    make.post(forum.bob, forum.topic, reply_to=1)
    sweep(app)
    assert mails_to(app, "aino") == []
    with app.app_context():
        assert db.session.execute(select(NotificationEmail.outcome)).scalar_one() == "away"


def test_a_member_away_for_longer_than_their_away_minutes_gets_the_email(app, make, forum):
    change(app, lambda: save_preferences(forum.aino, away_minutes=30))
    with app.app_context():
        db.session.execute(update(User).where(User.id == forum.aino).values(last_seen_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    make.post(forum.bob, forum.topic, reply_to=1)
    sweep(app)
    assert len(mails_to(app, "aino")) == 1


def test_a_notification_already_read_on_the_site_is_not_emailed(app, make, forum):
    make.post(forum.bob, forum.topic, reply_to=1)
    with app.app_context():
        db.session.execute(update(Notification).values(read_at=utcnow()))
        db.session.commit()
    sweep(app)
    assert mails_to(app, "aino") == []


def test_a_post_deleted_within_the_delay_sends_nothing(app, make, forum):
    post_id = make.post(forum.bob, forum.topic, raw="Oops, a secret slipped out.", reply_to=1)
    change(app, lambda: board_services.delete_post(get(User, forum.bob), post_with_topic(post_id)))
    sweep(app)
    assert outbox_files(app) == []


def test_a_post_edited_within_the_delay_is_mailed_as_it_reads_now(app, make, forum):
    post_id = make.post(forum.bob, forum.topic, raw="First draft wording.", reply_to=1)
    change(app, lambda: board_services.edit_post(get(User, forum.bob), post_with_topic(post_id), "The corrected wording."))
    sweep(app)
    [message] = mails_to(app, "aino")
    assert "The corrected wording." in text_of(message) and "The corrected wording." in html_of(message)
    assert "First draft" not in text_of(message) + html_of(message)


def test_emails_of_one_topic_thread_together_but_keep_their_own_message_ids(app, make, forum):
    make.post(forum.bob, forum.topic, raw="One.", reply_to=1)
    make.post(forum.bob, forum.topic, raw="Two.", reply_to=1)
    sweep(app)
    first, second = mails_to(app, "aino")
    reference = f"<topic-{forum.topic}@fellowship.localhost>"
    assert first["In-Reply-To"] == second["In-Reply-To"] == reference
    assert first["References"] == second["References"] == reference
    assert first["Message-ID"] != second["Message-ID"]


def test_no_remote_image_loads_and_every_link_is_absolute(app, make, forum):
    make.post(forum.bob, forum.topic, reply_to=1,
              raw="![a chart](https://tracker.example/pixel.png) and [the rules](/c/workshops)")
    sweep(app)
    html = html_of(mails_to(app, "aino")[0])
    assert "<img" not in html
    assert 'href="https://tracker.example/pixel.png"' in html and "a chart" in html
    assert 'href="http://127.0.0.1:5000/c/workshops"' in html
    assert 'href="/' not in html


def test_times_are_shown_in_the_members_time_zone(app, make, forum):
    with app.app_context():
        db.session.execute(update(User).where(User.id == forum.aino).values(timezone="Asia/Tokyo"))
        db.session.commit()
    post_id = make.post(forum.bob, forum.topic, reply_to=1)
    with app.app_context():
        db.session.execute(update(Post).where(Post.id == post_id).values(
            created_at=datetime(2026, 1, 5, 3, 30, tzinfo=UTC)))
        db.session.commit()
    sweep(app)
    text = text_of(mails_to(app, "aino")[0])
    assert "12:30" in text and "3:30" not in text


def test_a_member_who_can_no_longer_read_the_topic_gets_no_email(app, make, forum):
    make.post(forum.bob, forum.topic, raw="About the secret plan.", reply_to=1)
    staff = make.group("Staff")

    with app.app_context():
        db.session.execute(update(Category).where(Category.id == forum.category).values(visibility=Visibility.GROUPS))
        db.session.execute(category_groups.insert().values(category_id=forum.category, group_id=staff))
        db.session.commit()
    sweep(app)
    assert outbox_files(app) == []
    with app.app_context():
        assert db.session.execute(select(NotificationEmail.outcome)).scalar_one() == "gone"


def test_nothing_hidden_or_deleted_reaches_an_email_through_a_subject_or_excerpt(app, make, forum):
    """Discourse GHSA-gffm-43j4-372w leaked staff-only posts through email excerpts."""
    secret_topic = make.topic(forum.aino, forum.category, title="Quiet reorganisation", raw="Draft.")
    make.post(forum.bob, secret_topic, raw="Confidential figures.", reply_to=1)
    deleted = make.post(forum.bob, forum.topic, raw="Deleted remark.", reply_to=1)
    with app.app_context():
        first_id = db.session.execute(select(Post.id).where(Post.topic_id == secret_topic, Post.post_number == 1)).scalar_one()
    change(app, lambda: board_services.delete_post(get(User, forum.aino), post_with_topic(first_id)))
    change(app, lambda: board_services.delete_post(get(User, forum.bob), post_with_topic(deleted)))
    make.post(forum.bob, forum.topic, raw="A visible reply.", reply_to=1)
    sweep(app)
    everything = "".join(m["Subject"] + text_of(m) + html_of(m) for m in outbox_files(app))
    assert "A visible reply." in everything
    for secret in ("Quiet reorganisation", "Confidential", "Deleted remark"):
        assert secret not in everything


def test_private_message_emails_reach_participants_only(app, make, forum):
    carl = make.user("carl", display_name="Carl")
    change(app, lambda: message_services.create_private_message(
        get(User, forum.bob), "Between us", "Hello @carl and Aino.", [get(User, forum.aino), get(User, carl)]))
    with app.app_context():
        topic_id = db.session.execute(select(Topic.id).where(Topic.is_private)).scalar_one()
        # Carl leaves the conversation before the email is built.
        db.session.execute(delete(topic_allowed_users).where(topic_allowed_users.c.user_id == carl))
        db.session.commit()
    make.user("dora")
    sweep(app)
    [message] = outbox_files(app)
    assert message["To"] == "aino@example.org"
    assert message["Subject"] == "[Fellowship] Between us"
    assert "Bob sent you a private message" in text_of(message)
    assert f"/{topic_id}/1" in text_of(message)


def test_suspended_members_and_failed_addresses_get_no_email(app, make, forum):
    carl = make.user("carl")
    make.post(forum.bob, forum.topic, raw="@carl and a reply", reply_to=1)
    with app.app_context():
        db.session.execute(update(User).where(User.id == carl).values(is_suspended=True))
        db.session.add(EmailPreferences(user_id=forum.aino, failed_at=utcnow(), failure="550 no such user"))
        db.session.commit()
    sweep(app)
    assert outbox_files(app) == []
    with app.app_context():
        assert sorted(db.session.execute(select(NotificationEmail.outcome)).scalars()) == [
            "failed_address", "suspended"]


def test_a_notification_is_decided_once_even_when_swept_twice_or_by_another_worker(app, make, forum):
    make.post(forum.bob, forum.topic, reply_to=1)
    sweep(app)
    sweep(app)
    assert len(mails_to(app, "aino")) == 1
    make.post(forum.bob, forum.topic, reply_to=1)
    with app.app_context():
        # Another worker decided about the newest notification first.
        newest = db.session.execute(select(Notification.id).order_by(Notification.id.desc())).scalars().first()
        db.session.add(NotificationEmail(notification_id=newest, outcome="queued"))
        db.session.commit()
    sweep(app)
    assert len(mails_to(app, "aino")) == 1


def test_a_batch_is_decided_in_the_same_number_of_queries_whatever_its_size(app, make, forum, count_queries):
    def run(count):
        topic = make.topic(forum.aino, forum.category, title=f"Batch of {count}", raw="Start.")
        for n in range(count):
            member = make.user(f"b{count}x{n}")
            make.post(member, topic, reply_to=1)
            make.post(forum.bob, topic, raw=f"@b{count}x{n} hello")
        with count_queries() as counter, app.app_context():
            notify.sweep_notifications(now=utcnow() + timedelta(minutes=5))
            db.session.rollback()
        return counter.n

    assert run(2) == run(8)


def test_a_reply_reaches_a_real_smtp_server_as_one_threaded_message(app, make, forum, smtp_server):
    make.post(forum.bob, forum.topic, raw="Over SMTP.", reply_to=1)
    sweep(app)
    [message] = smtp_server.inbox.messages
    assert message["To"] == "aino@example.org"
    assert message["In-Reply-To"] == f"<topic-{forum.topic}@fellowship.localhost>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Over SMTP." in text_of(message) and "Over SMTP." in html_of(message)


# --- mailing-list mode ---------------------------------------------------------------------------------

def follow_as_list(app, user_id, category_id, since=None):
    with app.app_context():
        db.session.add(MailingListSubscription(user_id=user_id, category_id=category_id,
                                               created_at=since or utcnow()))
        db.session.commit()


def test_mailing_list_mode_mails_every_new_post_in_the_category_but_not_the_members_own(app, make, forum):
    carl = make.user("carl", display_name="Carl")
    follow_as_list(app, carl, forum.category)
    make.post(forum.bob, forum.topic, raw="First from Bob.")
    make.post(carl, forum.topic, raw="Carl's own words.")
    make.topic(forum.aino, forum.category, title="Second topic", raw="A new topic from Aino.")
    sweep(app)
    messages = mails_to(app, "carl")
    assert sorted(m["Subject"] for m in messages) == ["[Fellowship] Learning cycles", "[Fellowship] Second topic"]
    assert "Carl's own words." not in "".join(text_of(m) for m in messages)
    first = next(m for m in messages if "First from Bob." in text_of(m))
    assert first["List-Id"] == "<workshops.fellowship.localhost>"
    assert "/my/email#email-list-" in text_of(first) and "as a mailing list" in text_of(first)
    sweep(app)
    assert len(mails_to(app, "carl")) == 2


def test_mailing_list_mode_does_not_mail_a_post_twice_when_a_notification_email_covers_it(app, make, forum):
    follow_as_list(app, forum.aino, forum.category)
    make.post(forum.bob, forum.topic, raw="Answering Aino.", reply_to=1)
    sweep(app)
    [message] = mails_to(app, "aino")
    assert "Bob replied to your post" in text_of(message)


def test_mailing_list_mode_skips_deleted_posts_and_categories_the_member_cannot_read(app, make, forum):
    carl = make.user("carl")
    staff = make.group("Staff")
    closed = make.category("Staff room", visibility=Visibility.GROUPS, group_ids=[staff])
    follow_as_list(app, carl, forum.category)
    follow_as_list(app, carl, closed)
    make.topic(make.facilitator(), closed, title="Staff only", raw="Not for Carl.")
    deleted = make.post(forum.bob, forum.topic, raw="Gone soon.")
    change(app, lambda: board_services.delete_post(get(User, forum.bob), post_with_topic(deleted)))
    sweep(app)
    assert mails_to(app, "carl") == []


def test_mailing_list_mode_starts_with_posts_after_the_subscription(app, make, forum):
    carl = make.user("carl")
    make.post(forum.bob, forum.topic, raw="Before Carl followed.")
    follow_as_list(app, carl, forum.category, since=utcnow() + timedelta(seconds=1))
    sweep(app)
    assert mails_to(app, "carl") == []
