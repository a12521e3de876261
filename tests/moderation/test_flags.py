"""Members flag posts for a facilitator: once per post, on posts they can read and did not write, with a note for
"something else", at a limited rate; enough open flags hide the post at once until a facilitator reviews it."""

import pytest
from sqlalchemy import select, update

from forum import create_app
from forum.auth.models import User
from forum.board.models import Post, Visibility
from forum.extensions import db, limiter
from forum.messages import services as message_services
from forum.moderation import posts as moderation
from forum.moderation.models import Flag, FlagKind, FlagStatus
from tests.conftest import PASSWORD, page_text
from tests.moderation.flagging import actions, make_room, outcomes, post, post_url, user


@pytest.fixture
def room(make):
    return make_room(make)


def _flag(client, post_id, kind="off_topic", note=""):
    return client.post(f"/p/{post_id}/flag", data={"kind": kind, "note": note})


def _flags(app, post_id=None) -> list[Flag]:
    with app.app_context():
        query = select(Flag).order_by(Flag.id)
        if post_id is not None:
            query = query.where(Flag.post_id == post_id)
        found = list(db.session.execute(query).scalars())
        db.session.expunge_all()
        return found


def _flag_as(auth, client, username, post_id, **form):
    auth.login(username)
    response = _flag(client, post_id, **form)
    auth.logout()
    return response


def test_a_member_flags_a_post_once_and_is_thanked(app, client, auth, room):
    auth.login("ben")
    form = client.get(f"/p/{room.reply}/flag")
    assert form.status_code == 200
    assert "Flag post #2 in “Harbour plans for the spring”" in page_text(form)
    response = _flag(client, room.reply, kind="inappropriate", note="Unkind about the volunteers.")
    assert response.status_code == 302 and response.location.endswith(f"{post_url(app, room.reply)}/2")
    assert "Thank you. A facilitator will look at it." in page_text(client.get("/latest"))
    again = _flag(client, room.reply, kind="off_topic")
    assert again.status_code == 200 and "You have flagged this post already." in page_text(again)
    [raised] = _flags(app)
    assert (raised.post_id, raised.user_id, raised.kind, raised.note, raised.status) == (
        room.reply, room.ben, FlagKind.INAPPROPRIATE, "Unkind about the volunteers.", FlagStatus.OPEN)
    with app.app_context():
        assert post(room.reply).hidden_at is None


def test_something_else_needs_a_note_and_a_reason_must_be_chosen(app, client, auth, room):
    auth.login("ben")
    response = _flag(client, room.reply, kind="other")
    assert response.status_code == 200 and "Please say what is wrong." in page_text(response)
    response = _flag(client, room.reply, kind="")
    assert response.status_code == 200 and "Please choose why you flag this post." in page_text(response)
    assert _flags(app) == []
    assert _flag(client, room.reply, kind="other", note="It repeats another topic word for word.").status_code == 302
    assert [found.note for found in _flags(app)] == ["It repeats another topic word for word."]


def test_flagging_a_topic_flags_its_first_post(app, client, auth, room):
    first = room.first(app)
    auth.login("ben")
    assert "Flag the topic “Harbour plans for the spring”" in page_text(client.get(f"/p/{first}/flag"))
    _flag(client, first, kind="needs_facilitator")
    assert [found.post_id for found in _flags(app)] == [first]


def test_nobody_flags_their_own_post_nor_while_silenced_nor_a_removed_post(app, client, auth, room):
    auth.login("aino")
    assert client.get(f"/p/{room.reply}/flag").status_code == 403
    assert _flag(client, room.reply).status_code == 403
    auth.logout()
    with app.test_request_context():
        db.session.execute(update(User).where(User.id == room.cara).values(silenced_at=db.func.now()))
        moderation.hide(user(room.fiona), post(room.first(app)), "Moved to the right category")
        db.session.commit()
    assert _flag_as(auth, client, "cara", room.reply).status_code == 403
    assert _flag_as(auth, client, "ben", room.first(app)).status_code == 404
    assert client.get(f"/p/{room.reply}/flag").status_code == 302  # visitors log in first
    assert _flags(app) == []


def test_a_post_in_a_category_the_member_cannot_read_cannot_be_flagged(app, client, auth, make, room):
    team = make.group("Team", [room.aino])
    closed = make.topic(room.aino, make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team]))
    with app.app_context():
        first = db.session.execute(select(Post.id).where(Post.topic_id == closed)).scalar_one()
    assert _flag_as(auth, client, "ben", first).status_code == 404


def test_the_third_flag_hides_the_post_until_a_facilitator_reviews_it(app, client, auth, room):
    url = post_url(app, room.reply)
    assert _flag_as(auth, client, "ben", room.reply).status_code == 302
    assert _flag_as(auth, client, "cara", room.reply, kind="inappropriate").status_code == 302
    with app.app_context():
        assert post(room.reply).hidden_at is None
    auth.login("dan")
    _flag(client, room.reply)
    assert "Thank you. The post is hidden until a facilitator has reviewed it." in page_text(client.get("/latest"))
    member_view = page_text(client.get(url))
    assert "My reply about the harbour." not in member_view
    assert "This post is hidden until a facilitator has reviewed it." in member_view
    auth.logout()

    auth.login("aino")
    author_view = page_text(client.get(url))
    assert "My reply about the harbour." in author_view
    assert "This post is hidden until a facilitator has reviewed it." in author_view
    assert "is hidden after flags from members until a facilitator has reviewed it" in page_text(
        client.get("/notifications"))
    [hidden] = actions(app, "post.hide")
    assert hidden.actor_id is None and hidden.subject_user_id == room.aino
    assert outcomes(app, room.aino) == ["hidden_by_flags"]
    with app.app_context():
        assert post(room.reply).hidden_by_id is None


def test_a_facilitators_flag_counts_towards_hiding(app, client, auth, room, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_FLAGS_TO_HIDE", 2)
    _flag_as(auth, client, "ben", room.reply)
    _flag_as(auth, client, "fiona", room.reply, kind="needs_facilitator")
    with app.app_context():
        assert post(room.reply).hidden_at is not None


def test_a_post_a_facilitator_showed_again_is_not_hidden_by_one_more_flag(app, client, auth, make, room):
    for name in ("ben", "cara", "dan"):
        _flag_as(auth, client, name, room.reply)
    with app.test_request_context():
        moderation.unhide(user(room.fiona), post(room.reply))
        db.session.commit()
    make.user("eve")
    _flag_as(auth, client, "eve", room.reply)
    with app.app_context():
        assert post(room.reply).hidden_at is None
    assert len([found for found in _flags(app) if found.status == FlagStatus.OPEN]) == 4


def test_a_participant_flags_a_private_message_and_nobody_else_can(app, client, auth, room):
    with app.test_request_context():
        message = message_services.create_private_message(
            user(room.aino), "Between us", "Something private and rude.", [user(room.ben)])
        db.session.commit()
        first = db.session.execute(select(Post.id).where(Post.topic_id == message.id)).scalar_one()
    assert _flag_as(auth, client, "cara", first).status_code == 404
    assert _flag_as(auth, client, "fiona", first).status_code == 404
    assert _flag_as(auth, client, "ben", first, kind="inappropriate").status_code == 302
    assert [(found.post_id, found.user_id) for found in _flags(app)] == [(first, room.ben)]


@pytest.fixture
def limited_app(app, tmp_path):
    """The test database, with rate limits on (two flags a minute)."""
    limited = create_app({
        "TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "limited",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "FORUM_FLAG_LIMIT": "2 per minute",
        "FORUM_JOBS_IMMEDIATE": True,
    })
    yield limited
    # Flask-Limiter keeps its state on the one shared extension object: hand it back switched off.
    limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def test_flagging_is_rate_limited_per_member(limited_app, make, room):
    targets = [room.first(limited_app), room.reply, make.post(room.cara, room.topic, "A third post.")]
    ben, cara = limited_app.test_client(), limited_app.test_client()
    ben.post("/login", data={"login": "ben", "password": PASSWORD})
    cara.post("/login", data={"login": "cara", "password": PASSWORD})
    statuses = [_flag(ben, post_id).status_code for post_id in targets]
    assert statuses == [302, 302, 429]
    assert _flag(cara, room.reply).status_code == 302  # another member has flags of their own
