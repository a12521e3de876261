"""Member actions: silence (read only) and suspend (no login) with a reason the member reads, for a period that
ends by itself or until lifted; lifting either; resetting a profile. Who may, what the member then meets, and the
staff log."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from forum.auth.models import User, UserSession
from forum.board import queries as board_queries
from forum.core.errors import NotAllowed
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.inbound.models import InboundStatus
from forum.moderation import members
from forum.moderation import posts as post_moderation
from forum.notifications.models import Kind, Notification
from tests.conftest import page_text
from tests.mail.conftest import clean_outbox  # noqa: F401 (a fixture)
from tests.mail.inbound.mailbox import answers_to, key_for, raw_mail, receive, text_of
from tests.moderation.member_setup import actions, as_member, build, later, member, posts_by, topic_row, user

REASON = "Repeated personal remarks about other members"


@pytest.fixture
def forum(make):
    return build(make)


def _silence(client, username="aino", **form):
    data = {"silence-reason": REASON, **{f"silence-{name}": value for name, value in form.items()}}
    return client.post(f"/u/{username}/moderate/silence", data=data)


def _suspend(client, username="aino", **form):
    data = {"suspend-reason": REASON, **{f"suspend-{name}": value for name, value in form.items()}}
    return client.post(f"/u/{username}/moderate/suspend", data=data)


# --- who may -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("fiona", "aino", True),  # a facilitator acts on members
        ("ada", "fiona", True),  # an administrator on facilitators
        ("ben", "aino", False),  # a member on nobody
        ("fiona", "fred", False),  # a facilitator not on other staff
        ("fiona", "ada", False),
        ("ada", "ada", False),  # nobody on themself
    ],
)
def test_each_member_action_is_for_staff_as_the_policy_says(app, forum, actor, target, allowed):
    services = [
        lambda me: members.silence(me, user(target), REASON),
        lambda me: members.unsilence(me, user(target)),
        lambda me: members.suspend(me, user(target), REASON, utcnow() + timedelta(days=2)),
        lambda me: members.unsuspend(me, user(target)),
        lambda me: members.reset_profile(me, user(target)),
    ]
    for service in services:
        if allowed:
            as_member(app, actor, service)
        else:
            with pytest.raises(NotAllowed):
                as_member(app, actor, service)
    assert [row.action for row in actions(app)] == (
        ["user.silence", "user.unsilence", "user.suspend", "user.unsuspend", "user.reset_profile"] if allowed else []
    )


def test_the_moderation_page_and_its_forms_refuse_members_and_facilitators_on_staff(app, client, auth, forum):
    auth.login("ben")
    assert client.get("/u/aino/moderate").status_code == 403
    assert _silence(client).status_code == 403 and _suspend(client).status_code == 403
    assert "Moderate this member" not in page_text(client.get("/u/aino"))
    auth.logout()
    auth.login("fiona")
    assert client.get("/u/fred/moderate").status_code == 403
    assert _suspend(client, "fred").status_code == 403
    assert client.get("/u/nobody/moderate").status_code == 404
    assert actions(app) == []
    assert "Moderate this member" in page_text(client.get("/u/aino"))
    assert "Moderate this member" not in page_text(client.get("/u/fred"))


def test_a_restriction_needs_a_reason_a_future_end_and_not_two_ends(app, client, auth, forum):
    auth.login("fiona")
    assert "Give a reason: the member will read it." in page_text(_silence(client, reason=""))
    past = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _silence(client, until=past)
    assert response.status_code == 400 and "Choose an end in the future" in page_text(response)
    both = _suspend(client, days="3", until=(utcnow() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"))
    assert both.status_code == 400 and "Give a number of days or an end, not both." in page_text(both)
    assert actions(app) == [] and member(app, "aino").is_active and not member(app, "aino").is_silenced


# --- silence -------------------------------------------------------------------------------------------

def test_a_silenced_member_reads_why_on_every_page_and_cannot_post_or_message(app, client, auth, forum):
    auth.login("fiona")
    response = _silence(client, days="3")
    assert response.status_code == 302
    assert "Aino Virtanen is read only" in page_text(client.get(response.location))
    auth.logout()

    auth.login("aino")
    for path in ("/latest", "/u/aino", f"/t/harbour-plans-for-the-spring/{forum.topic}"):
        text = page_text(client.get(path))
        assert "You are read-only until" in text and REASON in text
    slug = topic_row(app, forum.topic).slug
    assert client.post(f"/t/{slug}/{forum.topic}/reply", data={"raw": "One more thing."}).status_code == 403
    client.post("/messages/new", data={"recipients": "ben", "title": "Just between us", "raw": "Hello Ben."})
    assert [post.raw for post in posts_by(app, "aino")] == ["Sea kale, I think."]
    auth.logout()

    auth.login("ben")
    assert "read-only" not in page_text(client.get("/latest"))

    [logged] = actions(app)
    assert (logged.action, logged.actor_id, logged.subject_user_id, logged.reason) == (
        "user.silence", forum.fiona, forum.aino, REASON)
    assert json.loads(logged.before)["silenced_at"] is None and json.loads(logged.after)["silence_reason"] == REASON


def _mentions_of(app, user_id) -> list[Notification]:
    with app.app_context():
        return list(db.session.execute(
            select(Notification).where(Notification.user_id == user_id, Notification.kind == Kind.MENTIONED)
        ).scalars())


def test_a_silenced_members_mentions_notify_nobody(app, client, auth, forum):
    [reply] = posts_by(app, "aino")
    auth.login("aino")
    client.post(f"/p/{reply.id}/edit", data={"raw": "Sea kale, I think. What do you say, @fred?"})
    assert len(_mentions_of(app, forum.fred)) == 1  # before the silence, a mention is heard

    as_member(app, "fiona", lambda me: members.silence(me, user("aino"), REASON))
    response = client.post(f"/p/{reply.id}/edit", data={"raw": "Sea kale, I think. @fred and @ben, agreed?"})
    assert response.status_code == 302
    assert _mentions_of(app, forum.ben) == [] and len(_mentions_of(app, forum.fred)) == 1


def test_a_silenced_members_reply_by_mail_is_refused_with_its_own_reason(app, forum, clean_outbox):  # noqa: F811
    first_post = min(post.id for post in posts_by(app, "ben"))
    address = key_for(app, forum.aino, first_post)
    until = utcnow() + timedelta(days=2)
    as_member(app, "fiona", lambda me: members.silence(me, user("aino"), REASON, until))
    outcome = receive(app, raw_mail(address, "Sea kale again, and more of it."))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "silenced")
    [answer] = answers_to(app, "aino@example.org")
    text = text_of(answer)
    assert "You are read-only until" in text and REASON in text and "> Sea kale again" in text
    assert len(posts_by(app, "aino")) == 1


def test_lifting_a_silence_lets_the_member_write_again(app, client, auth, forum):
    as_member(app, "fiona", lambda me: members.silence(me, user("aino"), REASON))
    auth.login("fiona")
    assert client.post("/u/aino/moderate/unsilence", data={"unsilence-reason": "Talked it through"}).status_code == 302
    assert not member(app, "aino").is_silenced
    assert "You are read-only" not in page_text(client.get("/u/aino/moderate"))
    assert [(row.action, row.reason) for row in actions(app)] == [
        ("user.silence", REASON), ("user.unsilence", "Talked it through")]
    again = client.post("/u/aino/moderate/unsilence", data={})
    assert again.status_code == 400 and "This member is not silenced." in page_text(again)


# --- suspension ----------------------------------------------------------------------------------------

def test_a_suspension_ends_the_members_sessions_at_once_and_login_tells_the_reason_and_end(
    app, client, auth, forum
):
    phone = app.test_client()
    phone.post("/login", data={"login": "aino", "password": "correct horse battery staple", "remember": "y"})
    assert phone.get("/my/preferences").status_code == 200

    auth.login("fiona")
    response = _suspend(client, days="7")
    assert response.status_code == 302
    assert "Aino Virtanen is suspended" in page_text(client.get(response.location))
    auth.logout()

    assert phone.get("/my/preferences").status_code == 302  # logged out, remember-me cookie or not
    with app.app_context():
        assert db.session.execute(select(UserSession).where(UserSession.user_id == forum.aino)).first() is None
    refused = auth.login("aino")
    text = page_text(refused)
    assert refused.status_code == 403 and "Your account is suspended until" in text and REASON in text
    assert client.get("/my/preferences").status_code == 302
    assert auth.login("aino", password="not the password").status_code == 200  # a stranger learns nothing

    [logged] = actions(app)
    assert (logged.action, logged.reason) == ("user.suspend", REASON)
    assert json.loads(logged.after)["is_suspended"] is True and json.loads(logged.after)["posts_hidden"] == 1


def test_a_suspended_members_posts_are_hidden_and_lifting_it_shows_exactly_those(app, client, auth, make, forum):
    own_topic = make.topic(forum.aino, topic_row(app, forum.topic).category_id, title="Selling seeds cheaply",
                           raw="Seeds for sale.")
    make.post(forum.aino, forum.topic, raw="Also: beans along the fence.")
    moderated = make.post(forum.aino, forum.topic, raw="And names of the neighbours.")
    with app.test_request_context():
        post_moderation.hide(user("fiona"), board_queries.post_with_topic(moderated), "Names neighbours")
        db.session.commit()
    assert topic_row(app, forum.topic).post_count == 3

    as_member(app, "fiona", lambda me: members.suspend(me, user("aino"), REASON))
    assert all(post.hidden_at is not None for post in posts_by(app, "aino"))
    assert topic_row(app, forum.topic).post_count == 1
    auth.login("ben")
    page = page_text(client.get(f"/t/harbour-plans-for-the-spring/{forum.topic}"))
    assert "Sea kale" not in page and "beans along the fence" not in page
    assert "Selling seeds cheaply" not in page_text(client.get("/latest"))
    auth.logout()

    auth.login("fiona")
    staff_view = page_text(client.get(f"/t/harbour-plans-for-the-spring/{forum.topic}"))
    assert "Hidden while its author is suspended." in staff_view and "author_suspended" not in staff_view
    assert client.post("/u/aino/moderate/unsuspend", data={}).status_code == 302
    shown = {post.raw: (post.hidden_at is None, post.hidden_reason) for post in posts_by(app, "aino")}
    assert shown == {
        "Sea kale, I think.": (True, None), "Also: beans along the fence.": (True, None), "Seeds for sale.": (True, None),
        "And names of the neighbours.": (False, "Names neighbours"),
    }
    assert topic_row(app, forum.topic).post_count == 3 and member(app, "aino").is_active
    assert topic_row(app, own_topic).hidden_at is None
    auth.logout()
    assert auth.login("aino").status_code == 302
    assert [row.action for row in actions(app)] == ["user.suspend", "user.unsuspend"]
    assert json.loads(actions(app)[1].after)["posts_shown"] == 3


# --- periods end by themselves -------------------------------------------------------------------------

def test_periods_lift_themselves_and_the_job_clears_and_logs_them(app, client, auth, forum):
    as_member(app, "fiona", lambda me: members.silence(me, user("aino"), REASON, utcnow() + timedelta(days=1)))
    as_member(app, "fiona", lambda me: members.suspend(me, user("ben"), REASON, utcnow() + timedelta(days=2)))
    with app.app_context():
        assert members.lift_ended() == 0

    with later("forum.moderation.members", days=3):
        assert not member(app, "aino").is_silenced and member(app, "ben").is_active
        assert auth.login("ben").status_code == 302  # the end has passed: the login works before the job runs
        auth.logout()
        with app.app_context():
            assert members.lift_ended() == 2
            db.session.commit()

    aino, ben = member(app, "aino"), member(app, "ben")
    assert (aino.silenced_at, aino.silence_reason) == (None, None)
    assert (ben.is_suspended, ben.suspended_until, ben.suspend_reason) == (False, None, None)
    assert all(post.hidden_at is None for post in posts_by(app, "ben"))
    lifted = actions(app)[2:]
    assert [(row.action, row.actor_id, row.reason) for row in lifted] == [
        ("user.unsilence", None, "The silence ended."), ("user.unsuspend", None, "The suspension ended.")]
    auth.login("fiona")
    assert "the system" in page_text(client.get("/u/ben/moderate"))


# --- profile and what staff see ------------------------------------------------------------------------

def test_resetting_a_profile_puts_the_username_back_and_clears_bio_organisation_and_picture(
        app, client, auth, forum):
    aino_client = app.test_client()
    aino_client.post("/login", data={"login": "aino", "password": "correct horse battery staple"})
    picture = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 40, 40)).save(picture, "PNG")
    assert aino_client.post("/my/avatar", data={"avatar": (io.BytesIO(picture.getvalue()), "ad.png")},
                            content_type="multipart/form-data").status_code in (200, 302)
    with app.app_context():
        aino = db.session.get(User, forum.aino)
        aino.organisation, aino.bio = "Buy cheap pills", "Visit my shop"
        name = aino.avatar
        db.session.commit()
    assert name is not None
    digest = name.rsplit(".", 1)[0]
    picture_files = list(Path(app.config["FORUM_UPLOADS_DIR"], "avatars").rglob(f"{digest}-*"))
    assert picture_files
    auth.login("fiona")
    assert client.post("/u/aino/moderate/reset-profile", data={"reset-reason": "Advertising"}).status_code == 302
    aino = member(app, "aino")
    assert (aino.display_name, aino.organisation, aino.bio, aino.avatar) == ("aino", None, None, None)
    assert not any(path.exists() for path in picture_files)
    [logged] = actions(app)
    assert (logged.action, logged.reason) == ("user.reset_profile", "Advertising")
    assert json.loads(logged.before) == {"bio": "Visit my shop", "display_name": "Aino Virtanen",
                                         "organisation": "Buy cheap pills", "avatar": name}


def test_only_administrators_see_a_members_sessions_and_their_addresses(app, client, auth, forum):
    member_client = app.test_client()
    member_client.post("/login", data={"login": "aino", "password": "correct horse battery staple"},
                       headers={"User-Agent": "Mozilla/5.0 (Aino laptop)"},
                       environ_base={"REMOTE_ADDR": "192.0.2.44"})
    auth.login("fiona")
    text = page_text(client.get("/u/aino/moderate"))
    assert "Sessions" not in text and "Aino laptop" not in text and "192.0.2.44" not in text
    auth.logout()
    auth.login("ada")
    text = page_text(client.get("/u/aino/moderate"))
    assert "Aino laptop" in text and "192.0.2.44" in text
    with app.test_request_context(), pytest.raises(NotAllowed):
        members.devices(user("fiona"), user("aino"))


def test_a_session_names_its_browser_in_words_and_keeps_the_raw_string(app, client, auth, forum):
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    app.test_client().post("/login", data={"login": "aino", "password": "correct horse battery staple"},
                           headers={"User-Agent": firefox})
    auth.login("ada")
    html = client.get("/u/aino/moderate").get_data(as_text=True)
    sessions = html[html.index('id="devices-heading"'):]
    assert "<summary>Firefox on Windows</summary>" in sessions
    assert f"<code>{firefox}</code>" in sessions


def test_the_moderation_page_costs_a_small_constant_number_of_queries(app, client, auth, forum, count_queries):
    for n in range(3):
        as_member(app, "fiona", lambda me, n=n: members.silence(me, user("aino"), f"{REASON} {n}"))
    auth.login("ada")
    client.get("/u/aino/moderate")
    with count_queries() as counter:
        assert client.get("/u/aino/moderate").status_code == 200
    assert counter.n <= 10
