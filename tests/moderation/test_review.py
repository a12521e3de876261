"""The review queue at /review: facilitators see flagged posts and held posts, oldest first, with their context,
and decide (agree and hide or delete, disagree, ignore; approve or reject). Flaggers and authors are told; the
staff log records each decision; a flagged private message is opened alone, and that is logged too."""

import pytest
from sqlalchemy import select, update

from forum.board import gate
from forum.board import services as board_services
from forum.board.models import Category, Post
from forum.extensions import db
from forum.messages import services as message_services
from forum.moderation import flags, held
from forum.moderation.models import Flag, FlagStatus, QueuedPost, QueueStatus
from tests.conftest import page_text
from tests.moderation.flagging import actions, make_room, outcomes, post, post_url, topic, user

pytestmark = pytest.mark.usefixtures("room")


@pytest.fixture
def room(make):
    return make_room(make)


def _flag(app, username_id, post_id, kind="off_topic", note=None):
    with app.test_request_context():
        flags.flag(user(username_id), post(post_id), kind, note)
        db.session.commit()


def _hold(app, author_id, raw, topic_id=None, category_id=None, title=None) -> int:
    with app.test_request_context():
        held.hold(gate.Submission(author_id=author_id, raw=raw, topic_id=topic_id, category_id=category_id,
                                  title=title), "first_posts", "Your post waits for a facilitator.")
        db.session.commit()
        return db.session.execute(select(QueuedPost.id).order_by(QueuedPost.id.desc())).scalars().first()


def _statuses(app, post_id) -> list[FlagStatus]:
    with app.app_context():
        return list(db.session.execute(select(Flag.status).where(Flag.post_id == post_id).order_by(Flag.id)).scalars())


def test_only_facilitators_open_the_review_queue(app, client, auth, make, room):
    moderators = make.group("Harbour team", [room.cara])
    with app.app_context():
        db.session.execute(update(Category).where(Category.id == room.category).values(moderators_group_id=moderators))
        db.session.commit()
    assert client.get("/review").status_code == 302
    for name in ("ben", "aino", "cara"):
        auth.login(name)
        assert client.get("/review").status_code == 403
        assert "Review" not in page_text(client.get("/latest")).split("Search")[0]
        auth.logout()
    auth.login("fiona")
    assert "Nothing waits for review." in page_text(client.get("/review"))


def test_the_queue_lists_flagged_and_held_posts_oldest_first_with_their_context(app, client, auth, room,
                                                                             count_queries):
    _flag(app, room.ben, room.reply, "inappropriate", "Unkind about the volunteers.")
    _hold(app, room.dan, "My first post, about **sailing**.", topic_id=room.topic)
    _flag(app, room.cara, room.first(app), "off_topic")
    _hold(app, room.dan, "A whole new topic.", category_id=room.category, title="Boats for beginners")
    auth.login("fiona")
    response = client.get("/review")
    text = page_text(response)
    assert "Review (4)" in text and "4 items wait in all." in text
    order = [text.index(marker) for marker in (
        "Flagged: post #2", "Held: a reply in “Harbour plans for the spring”", "Flagged: post #1",
        "Held: a new topic “Boats for beginners” in Projects")]
    assert order == sorted(order)
    assert "Ben : inappropriate — “Unkind about the volunteers.”" in text
    assert "My first post, about <strong>sailing</strong>." in response.get_data(as_text=True)
    assert "About Aino 2 posts shown" in text and "No earlier flags on their posts." in text
    assert "About Dan 0 posts shown" in text
    assert 'value="Flagged as inappropriate"' in response.get_data(as_text=True)
    assert 'href="/messages/new?to=aino"' in response.get_data(as_text=True)
    assert f'href="/p/{room.reply}/edit"' in response.get_data(as_text=True)

    flagged_only = page_text(client.get("/review?type=flagged"))
    assert "Flagged: post #2" in flagged_only and "Held:" not in flagged_only
    held_only = page_text(client.get("/review?type=held"))
    assert "Held: a reply" in held_only and "Flagged:" not in held_only
    assert client.get("/review?type=applications").status_code == 404

    with count_queries() as few:
        client.get("/review")
    _flag(app, room.dan, room.reply)
    for n in range(3):
        _hold(app, room.dan, f"Another held post {n}.", topic_id=room.topic)
    with count_queries() as more:
        client.get("/review")
    assert more.n == few.n <= 12


def test_agreeing_hides_the_post_with_a_reason_and_tells_the_flaggers_and_the_author(app, client, auth, room):
    _flag(app, room.ben, room.reply)
    _flag(app, room.cara, room.reply, "inappropriate")
    auth.login("fiona")
    response = client.post(f"/review/posts/{room.reply}/agree",
                           data={"outcome": "hide", "reason": "Off-topic here", "next": "/review?type=flagged"})
    assert response.status_code == 302 and response.location.endswith("/review?type=flagged")
    page = page_text(client.get("/review"))
    assert "The post is hidden; the flaggers are told." in page and "Nothing waits for review." in page
    assert "Review (" not in page
    with app.app_context():
        hidden = post(room.reply)
        assert (hidden.hidden_by_id, hidden.hidden_reason) == (room.fiona, "Off-topic here")
    assert _statuses(app, room.reply) == [FlagStatus.AGREED, FlagStatus.AGREED]
    assert outcomes(app, room.ben) == outcomes(app, room.cara) == ["flag_agreed"]
    assert outcomes(app, room.aino) == ["hidden"]
    assert [row.action for row in actions(app)] == ["post.hide", "flags.agree"]
    auth.logout()
    auth.login("ben")
    assert ("A facilitator agreed with your flag on a post in “Harbour plans for the spring” and acted on it"
            in page_text(client.get("/notifications")))


def test_agreeing_needs_a_reason_to_hide(app, client, auth, room):
    _flag(app, room.ben, room.reply)
    auth.login("fiona")
    response = client.post(f"/review/posts/{room.reply}/agree", data={"outcome": "hide", "reason": ""},
                           follow_redirects=True)
    assert "Please give a reason" in page_text(response)
    assert _statuses(app, room.reply) == [FlagStatus.OPEN] and actions(app) == []


def test_agreeing_to_delete_a_post_the_flags_hid_counts_it_out_once(app, client, auth, room):
    for flagger in (room.ben, room.cara, room.dan):
        _flag(app, flagger, room.reply)
    auth.login("fiona")
    client.post(f"/review/posts/{room.reply}/agree", data={"outcome": "delete"})
    with app.app_context():
        deleted = post(room.reply)
        assert deleted.deleted_at is not None and deleted.hidden_at is None
        assert topic(room.topic).post_count == 1 and db.session.get(Category, room.category).post_count == 1
    assert [row.action for row in actions(app)] == ["post.hide", "post.unhide", "post.delete", "flags.agree"]
    assert outcomes(app, room.aino) == ["hidden_by_flags", "deleted"]
    assert outcomes(app, room.dan) == ["flag_agreed"]


def test_agreeing_about_a_post_its_author_deleted_meanwhile_only_closes_the_flags(app, client, auth, room):
    _flag(app, room.ben, room.reply)
    with app.test_request_context():
        board_services.delete_post(user(room.aino), post(room.reply))
        db.session.commit()
    auth.login("fiona")
    assert "Deleted since." in page_text(client.get("/review"))
    client.post(f"/review/posts/{room.reply}/agree", data={"outcome": "delete"})
    assert _statuses(app, room.reply) == [FlagStatus.AGREED]
    with app.app_context():
        assert post(room.reply).hidden_at is None and topic(room.topic).post_count == 1
    assert [row.action for row in actions(app)] == ["flags.agree"]


def test_disagreeing_shows_the_post_again_and_clears_its_flags(app, client, auth, room):
    for flagger in (room.ben, room.cara, room.dan):
        _flag(app, flagger, room.reply)
    auth.login("fiona")
    client.post(f"/review/posts/{room.reply}/disagree")
    auth.logout()
    auth.login("ben")
    assert "My reply about the harbour." in page_text(client.get(post_url(app, room.reply)))
    assert _statuses(app, room.reply) == [FlagStatus.DISAGREED] * 3
    assert outcomes(app, room.ben) == ["flag_disagreed"]
    assert outcomes(app, room.aino) == ["hidden_by_flags", "unhidden"]
    assert [row.action for row in actions(app)] == ["post.hide", "post.unhide", "flags.disagree"]
    with app.app_context():
        assert topic(room.topic).post_count == 2


def test_ignoring_closes_the_flags_and_leaves_the_post_as_it_is(app, client, auth, room):
    for flagger in (room.ben, room.cara, room.dan):
        _flag(app, flagger, room.reply)
    auth.login("fiona")
    client.post(f"/review/posts/{room.reply}/ignore")
    assert "Nothing waits for review." in page_text(client.get("/review"))
    with app.app_context():
        assert post(room.reply).hidden_at is not None
    assert _statuses(app, room.reply) == [FlagStatus.IGNORED] * 3
    assert outcomes(app, room.cara) == ["flag_ignored"]
    assert [row.action for row in actions(app)] == ["post.hide", "flags.ignore"]


def test_members_cannot_decide_and_flags_are_decided_once(app, client, auth, room):
    _flag(app, room.ben, room.reply)
    for name in ("ben", "aino"):
        auth.login(name)
        for decision in ("agree", "disagree", "ignore"):
            assert client.post(f"/review/posts/{room.reply}/{decision}",
                               data={"reason": "x"}).status_code == 403
        auth.logout()
    auth.login("fiona")
    client.post(f"/review/posts/{room.reply}/ignore")
    again = client.post(f"/review/posts/{room.reply}/disagree", follow_redirects=True)
    assert "These flags have been handled already." in page_text(again)
    assert [row.action for row in actions(app)] == ["flags.ignore"]


def test_a_held_reply_is_approved_and_a_held_topic_rejected_with_a_reason(app, client, auth, room):
    reply = _hold(app, room.dan, "A reply that waited.", topic_id=room.topic)
    new_topic = _hold(app, room.dan, "Buy cheap boats!", category_id=room.category, title="Cheap boats")
    for name in ("ben", "dan"):
        auth.login(name)
        assert client.post(f"/review/held/{reply}/approve").status_code == 403
        auth.logout()
    auth.login("fiona")
    assert client.post(f"/review/held/{reply}/approve").status_code == 302
    assert "Please give a reason" in page_text(client.post(f"/review/held/{new_topic}/reject", data={"reason": ""},
                                                           follow_redirects=True))
    client.post(f"/review/held/{new_topic}/reject", data={"reason": "Advertising is not welcome here"})
    assert "Nothing waits for review." in page_text(client.get("/review"))
    auth.logout()

    with app.app_context():
        written = db.session.execute(
            select(Post).where(Post.topic_id == room.topic, Post.post_number == 3)).scalar_one()
        assert (written.user_id, written.raw) == (room.dan, "A reply that waited.")
        statuses = db.session.execute(select(QueuedPost.status).order_by(QueuedPost.id)).scalars().all()
        assert statuses == [QueueStatus.APPROVED, QueueStatus.REJECTED]
    assert outcomes(app, room.dan) == ["approved", "rejected"]
    assert [row.action for row in actions(app)] == ["queued_post.approve", "queued_post.reject"]
    auth.login("dan")
    told = page_text(client.get("/notifications"))
    assert "A facilitator approved your post in “Harbour plans for the spring”" in told
    assert "A facilitator did not publish your post “Cheap boats”: Advertising is not welcome here" in told


def test_a_flagged_private_message_is_opened_alone_and_the_staff_log_records_it(app, client, auth, room):
    with app.test_request_context():
        message = message_services.create_private_message(
            user(room.aino), "Between us", "Something private and rude.", [user(room.ben)])
        db.session.commit()
        first = db.session.execute(select(Post.id).where(Post.topic_id == message.id)).scalar_one()
    _flag(app, room.ben, first, "inappropriate")
    auth.login("fiona")
    queue = page_text(client.get("/review"))
    assert "Flagged private message “Between us”" in queue and "Something private and rude." not in queue
    assert actions(app) == []
    assert client.get(post_url(app, first)).status_code == 404  # the conversation stays closed to staff
    opened = client.get(f"/review/messages/{first}")
    assert opened.status_code == 200 and "Something private and rude." in page_text(opened)
    [logged] = actions(app, "pm.view")
    assert (logged.actor_id, logged.target_id, logged.subject_user_id) == (room.fiona, first, room.aino)
    assert client.get(f"/review/messages/{room.reply}").status_code == 404  # not a private message
    client.post(f"/review/posts/{first}/agree", data={"outcome": "hide", "reason": "Rude"})
    with app.app_context():
        assert post(first).hidden_by_id == room.fiona
    assert outcomes(app, room.ben) == ["flag_agreed"]
    auth.logout()
    auth.login("ben")
    assert client.get(f"/review/messages/{first}").status_code == 403
