"""Digests: who gets one and when, what it holds (only what the member can open), and a run that survives."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board import services as board_services
from forum.board.models import Post, Topic, Visibility
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail import digest as digest_module
from forum.mail.digest import run_digests
from forum.mail.digest_content import DigestSources
from forum.mail.models import DigestFrequency, DigestRun, DigestSent, EmailPreferences
from forum.mail.outbox import OutboxEmail
from forum.mail.preferences import editable_preferences
from forum.messages.services import create_private_message
from forum.tracking.models import TopicUser
from forum.workshops.models import Workshop
from tests.conftest import page_text
from tests.mail.conftest import outbox_files
from tests.workshops.conftest import Community

NOW = utcnow().replace(minute=5, second=0, microsecond=0)


def _user_id(username):
    return db.session.execute(select(User.id).where(User.username == username)).scalar_one()


def prefer(app, username, **values):
    """Set a member's email preferences; the digest is due this hour unless told otherwise."""
    values = {"digest": DigestFrequency.WEEKLY, "digest_hour": NOW.hour, "digest_weekday": NOW.weekday(), **values}
    with app.app_context():
        preferences = editable_preferences(_user_id(username))
        for key, value in values.items():
            setattr(preferences, key, value)
        db.session.commit()


def set_user(app, username, **values):
    with app.app_context():
        user = db.session.get(User, _user_id(username))
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def run(app, now=NOW):
    with app.app_context():
        return run_digests(now)


def digests_to(app, username=None) -> list[OutboxEmail]:
    with app.app_context():
        query = select(OutboxEmail).where(OutboxEmail.kind == "digest").order_by(OutboxEmail.id)
        if username:
            query = query.where(OutboxEmail.recipient == f"{username}@example.org")
        found = list(db.session.execute(query).scalars())
        db.session.expunge_all()
        return found


def the_run(app, now=NOW) -> DigestRun:
    with app.app_context():
        found = db.session.execute(
            select(DigestRun).where(DigestRun.hour == now.replace(minute=0))
        ).scalar_one()
        db.session.expunge(found)
        return found


@pytest.fixture
def forum(app, make, clean_outbox):
    """A category with an author in it; the factory's system admin gets no digests."""

    class Forum:
        author = make.user("author")
        general = make.category("General")
        category_ids = {"General": general}

    prefer(app, "system-admin", digest=DigestFrequency.OFF)
    prefer(app, "author", digest=DigestFrequency.OFF)
    return Forum


def test_a_weekly_digest_brings_new_topics_active_discussions_and_unread_counts_with_both_parts(app, make, forum):
    make.user("wren")
    prefer(app, "wren")
    started = make.topic(forum.author, forum.general, "Room change for the May workshop",
                         "The **May** session moves to room 204.\n\n```\nno code here\n```")
    for _ in range(3):
        make.post(forum.author, started)
    with app.app_context():
        db.session.add(TopicUser(user_id=_user_id("wren"), topic_id=started, last_read_post_number=2))
        db.session.commit()

    run(app)

    [message] = outbox_files(app)
    assert message["Subject"] == "Your weekly Fellowship digest: 1 new topic"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert "Room change for the May workshop" in text
    assert "The May session moves to room 204." in text and "**" not in text and "no code here" not in text
    assert "You have 2 unread posts in 1 topic you follow." in text
    assert f"http://127.0.0.1:5000/t/room-change-for-the-may-workshop/{started}" in text
    assert "You get this weekly digest because you have not visited Fellowship since you joined." in text
    assert "/my/email#email-digest" in text and "/email/unsubscribe/" in text
    html = message.get_body(("html",)).get_content()
    assert "Room change for the May workshop" in html and "<style" not in html
    assert 'href="http://127.0.0.1:5000/c/general"' in html


def test_daily_weekly_and_off_are_each_honoured(app, make, forum):
    for name in ("daily", "weekly_today", "weekly_other_day", "off"):
        make.user(name)
    prefer(app, "daily", digest=DigestFrequency.DAILY, digest_weekday=(NOW.weekday() + 3) % 7)
    prefer(app, "weekly_today")
    prefer(app, "weekly_other_day", digest_weekday=(NOW.weekday() + 1) % 7)
    prefer(app, "off", digest=DigestFrequency.OFF)
    make.topic(forum.author, forum.general, "Something new")

    run(app)

    assert sorted(m.recipient.split("@")[0] for m in digests_to(app)) == ["daily", "weekly_today"]
    assert digests_to(app, "daily")[0].subject.startswith("Your daily Fellowship digest")


def test_only_members_who_have_not_visited_since_their_last_digest_get_one(app, make, forum):
    make.user("away")
    make.user("back")
    last_digest = NOW - timedelta(days=7)
    prefer(app, "away", last_digest_at=last_digest)
    prefer(app, "back", last_digest_at=last_digest)
    set_user(app, "away", last_seen_at=last_digest - timedelta(days=1))
    set_user(app, "back", last_seen_at=last_digest + timedelta(days=2))
    make.topic(forum.author, forum.general, "Something new")

    run(app)

    assert [m.recipient for m in digests_to(app)] == ["away@example.org"]
    assert the_run(app).skipped == 1


def test_the_digest_hour_is_the_members_own_local_hour(app, make, forum):
    make.user("tokyo", timezone="Asia/Tokyo")
    make.user("lima", timezone="America/Lima")
    tokyo_hour = (NOW.hour + 9) % 24
    lima_hour = (NOW.hour - 5) % 24
    prefer(app, "tokyo", digest=DigestFrequency.DAILY, digest_hour=tokyo_hour)
    prefer(app, "lima", digest=DigestFrequency.DAILY, digest_hour=(lima_hour + 1) % 24)
    make.topic(forum.author, forum.general, "Something new")

    run(app)
    assert [m.recipient for m in digests_to(app)] == ["tokyo@example.org"]

    run(app, NOW + timedelta(hours=1))
    assert [m.recipient for m in digests_to(app)] == ["tokyo@example.org", "lima@example.org"]


def test_an_empty_digest_is_not_sent(app, make, forum):
    make.user("quiet")
    prefer(app, "quiet")

    run(app)

    assert digests_to(app) == []
    assert the_run(app).skipped == 1 and the_run(app).finished_at is not None


def test_running_twice_in_the_hour_or_on_two_workers_sends_one_digest_per_period(app, make, forum):
    make.user("wren")
    prefer(app, "wren", digest=DigestFrequency.DAILY)
    make.topic(forum.author, forum.general, "Something new")

    run(app)
    run(app, NOW + timedelta(minutes=30))
    # A second worker that took up the same run from the start (as if it had not seen the first one's progress).
    with app.app_context():
        db.session.execute(DigestRun.__table__.update().values(last_user_id=0, finished_at=None))
        db.session.commit()
    run(app, NOW + timedelta(minutes=35))

    assert len(digests_to(app, "wren")) == 1
    with app.app_context():
        [sent] = db.session.execute(select(DigestSent)).scalars()
        assert sent.period == NOW.date().isoformat() and sent.outbox_id == digests_to(app)[0].id


def test_a_failure_for_one_member_is_counted_and_the_run_goes_on(app, make, forum, monkeypatch):
    for name in ("first", "broken", "last"):
        make.user(name)
        prefer(app, name)
    make.topic(forum.author, forum.general, "Something new")
    original = DigestSources.digest_for

    def digest_for(self, user, since, frequency):
        if user.username == "broken":
            raise RuntimeError("template exploded")
        return original(self, user, since, frequency)

    monkeypatch.setattr(DigestSources, "digest_for", digest_for)
    run(app)

    assert [m.recipient for m in digests_to(app)] == ["first@example.org", "last@example.org"]
    done = the_run(app)
    assert (done.sent, done.failed, done.finished_at is not None) == (2, 1, True)


def test_a_run_that_crashes_after_a_batch_is_recorded_and_resumes_at_the_next_member(app, make, forum, monkeypatch):
    names = [f"reader{n}" for n in range(5)]
    for name in names:
        make.user(name)
        prefer(app, name)
    make.topic(forum.author, forum.general, "Something new")
    monkeypatch.setattr(digest_module, "BATCH_SIZE", 3)
    original, calls = digest_module._send_batch, []

    def crash_on_second_batch(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return original(*args)

    monkeypatch.setattr(digest_module, "_send_batch", crash_on_second_batch)
    run(app)

    stopped = the_run(app)
    assert stopped.finished_at is None and "database went away" in stopped.error
    first_batch = [u.split("@")[0] for u in (m.recipient for m in digests_to(app))]
    assert stopped.sent == len(first_batch) and stopped.last_user_id > 0

    monkeypatch.setattr(digest_module, "_send_batch", original)
    run(app, NOW + timedelta(minutes=5))

    finished = the_run(app)
    assert finished.finished_at is not None and finished.error is None and finished.sent == 5
    assert sorted(m.recipient.split("@")[0] for m in digests_to(app)) == names


def test_digest_counts_only_what_the_member_can_open(app, make, forum):
    """Discourse CVE-2023-34250 leaked how active private categories were through counts."""
    make.user("outsider")
    insider = make.user("insider")
    team = make.group("Team", [insider, forum.author])
    secret = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    prefer(app, "outsider")
    prefer(app, "insider")
    for n in range(3):
        make.topic(forum.author, secret, f"Secret plan number {n}")
    make.topic(forum.author, forum.general, "Open question")

    run(app)

    [outsider] = digests_to(app, "outsider")
    assert outsider.subject == "Your weekly Fellowship digest: 1 new topic"
    assert "Secret plan" not in outsider.body_text and "Team room" not in outsider.body_text
    assert "1 new topic, 0 new replies" in outsider.body_text
    [insider_mail] = digests_to(app, "insider")
    assert insider_mail.subject == "Your weekly Fellowship digest: 4 new topics"
    assert "Secret plan number 2" in insider_mail.body_text


def test_private_deleted_and_unreadable_content_never_reaches_a_digest(app, make, forum):
    """Discourse GHSA-gffm-43j4-372w leaked hidden posts through excerpts."""
    reader = make.user("reader")
    make.user("other")
    prefer(app, "reader")
    kept = make.topic(forum.author, forum.general, "Kept topic", "A visible opening post.")
    gone = make.topic(forum.author, forum.general, "Removed topic title", "Removed opening words.")
    removed_reply = make.post(forum.author, kept, "An embarrassing removed reply.")
    with app.test_request_context():
        admin = db.session.execute(select(User).where(User.username == "system-admin")).scalar_one()
        first = select(Post.id).where(Post.topic_id == gone, Post.post_number == 1)
        for post_id in (db.session.execute(first).scalar_one(), removed_reply):
            board_services.delete_post(admin, db.session.get(Post, post_id, options=[joinedload(Post.topic)]))
        author = db.session.get(User, forum.author)
        create_private_message(author, "Private between two", "Private words.", [db.session.get(User, _user_id("other"))])
        create_private_message(author, "Private with the reader", "Also private.", [db.session.get(User, reader)])
        db.session.commit()

    run(app)

    [message] = digests_to(app, "reader")
    everything = message.subject + message.body_text + message.body_html
    for leaked in ("Removed topic title", "Removed opening words", "embarrassing", "Private"):
        assert leaked not in everything
    assert "Kept topic" in everything and "A visible opening post." in everything
    assert "1 new topic, 0 new replies" in message.body_text
    with app.app_context():
        assert db.session.get(Topic, gone).deleted_at is not None


def test_my_digest_previews_the_same_content_as_the_email(app, make, forum, auth, client):
    make.user("wren")
    prefer(app, "wren", last_digest_at=NOW - timedelta(days=3))
    set_user(app, "wren", last_seen_at=NOW - timedelta(days=4))
    topic = make.topic(forum.author, forum.general, "Preview me", "Opening words for the preview.")
    make.post(forum.author, topic)
    make.post(forum.author, make.topic(forum.author, forum.general, "Older talk"))

    run(app)
    [message] = digests_to(app, "wren")
    auth.login("wren")
    page = page_text(client.get("/my/digest"))

    for expected in ("Preview me", "Opening words for the preview.", "Older talk", "2 new topics", "2 new replies"):
        assert expected in message.body_text and expected in page
    assert "Content-Security-Policy" in client.get("/my/digest").headers


def test_my_digest_says_no_digest_would_be_sent_when_nothing_is_new(app, make, forum, auth, client):
    make.user("wren")
    auth.login("wren")

    response = client.get("/my/digest")

    assert response.status_code == 200
    assert "no digest would be sent" in page_text(response)
    assert "style=" not in response.get_data(as_text=True)


def test_the_preferences_page_links_to_the_digest_preview(app, make, forum, auth, client):
    make.user("wren")
    auth.login("wren")

    assert 'href="/my/digest"' in client.get("/my/preferences").get_data(as_text=True)


def test_my_digest_needs_a_login(client, forum):
    assert client.get("/my/digest").status_code in (302, 401)


def _count_run(app, make, count_queries, members: int) -> int:
    """Statements of a run for `members` new daily-digest members (inserted in bulk: hashing passwords is slow)."""
    group = make.group(f"Readers {members}", [_author(app)])
    with app.app_context():
        template = db.session.get(User, _author(app))
        rows = [
            {"username": name, "username_key": name, "email": f"{name}@example.org", "email_key": f"{name}@example.org",
             "display_name": name, "password_hash": template.password_hash}
            for name in (f"m{members}x{n}" for n in range(members))
        ]
        ids = db.session.execute(insert(User).returning(User.id), rows).scalars().all()
        db.session.execute(insert(EmailPreferences), [
            {"user_id": user_id, "digest": DigestFrequency.DAILY, "digest_hour": NOW.hour} for user_id in ids
        ])
        db.session.execute(DigestRun.__table__.delete())
        db.session.execute(DigestSent.__table__.delete())
        db.session.commit()
    private = make.category(f"Private {members}", visibility=Visibility.GROUPS, group_ids=[group])
    make.topic(_author(app), private, "Team only")
    make.topic(_author(app), _general(app), f"News for {members}")
    with count_queries() as counter:
        run(app)
    assert len(digests_to(app)) >= members
    # Queuing a message is a row each (on SQLite the ORM inserts them one by one; on PostgreSQL in one go).
    return sum(not statement.startswith("INSERT INTO outbox_emails") for statement in counter.statements)


def _general(app):
    from forum.board.models import Category

    with app.app_context():
        return db.session.execute(select(Category.id).where(Category.slug == "general")).scalar_one()


def _author(app):
    with app.app_context():
        return _user_id("author")


def test_a_run_takes_about_the_same_number_of_queries_for_10_members_as_for_40(
    app, make, forum, count_queries, monkeypatch
):
    class NoQueue:
        def enqueue_job(self, *args):
            pass  # messages stay in the outbox: delivery is not part of the run

    monkeypatch.setitem(app.extensions, "forum_queue", NoQueue())
    ten = _count_run(app, make, count_queries, 10)
    forty = _count_run(app, make, count_queries, 40)

    assert forty <= ten + 2, (ten, forty)
    assert ten <= 25


def test_a_digest_lists_the_next_two_weeks_workshops_in_the_members_zone_and_puts_workshops_first(app, make, forum):
    community = Community(app, make)
    make.user("wren")
    set_user(app, "wren", timezone="Europe/Helsinki")
    helsinki_now = NOW.astimezone(ZoneInfo("Europe/Helsinki"))
    prefer(app, "wren", digest_hour=helsinki_now.hour, digest_weekday=helsinki_now.weekday())
    make.topic(forum.author, forum.general, "News from the general category")
    soon = (NOW + timedelta(days=5)).replace(tzinfo=None, hour=10, minute=0)
    community.workshop("Sharing and reflection deep dive", local_start=soon, timezone="Europe/London")
    community.workshop("A workshop next month", local_start=soon + timedelta(days=30))
    cancelled = community.workshop("A cancelled workshop", local_start=soon + timedelta(days=1))
    with app.test_request_context():
        db.session.get(Workshop, cancelled).cancelled_at = utcnow()
        db.session.commit()

    run(app)

    [message] = digests_to(app, "wren")
    text = message.body_text
    upcoming = text.split("== Upcoming workshops ==")[1].split("== ")[0]
    assert "Sharing and reflection deep dive" in upcoming and "180 minutes" in upcoming
    assert "12:00" in upcoming  # 10:00 in London is noon in Helsinki in winter
    assert "next month" not in upcoming and "cancelled" not in upcoming
    assert text.index("== Workshops ==") < text.index("== General ==")
    assert "Upcoming workshops" in message.body_html
