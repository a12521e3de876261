"""Editing with a reason: the reason is kept with the revision and shown in the post's history; a facilitator's
edit of someone else's post (a hidden one too) goes in the staff log and its author is told; nobody edits the
posts of an archived topic."""

import pytest
from sqlalchemy import select

from forum.board.models import PostRevision
from forum.extensions import db
from forum.moderation import posts as moderation
from forum.moderation import topics as topic_actions
from tests.conftest import page_text
from tests.moderation.flagging import actions, make_room, outcomes, post, topic, user

REASON = "Took out the name of a resident"


@pytest.fixture
def room(make):
    return make_room(make)


def _edit(client, post_id, raw, reason=""):
    return client.post(f"/p/{post_id}/edit", data={"raw": raw, "reason": reason})


def test_a_facilitators_edit_keeps_its_reason_in_the_history_the_log_and_the_authors_notifications(
        app, client, auth, room):
    auth.login("fiona")
    assert _edit(client, room.reply, "My reply about the harbour, without the name.", REASON).status_code == 302
    history = page_text(client.get(f"/p/{room.reply}/history"))
    assert f"Reason: {REASON}" in history
    auth.logout()

    [logged] = actions(app, "post.edit")
    assert (logged.actor_id, logged.target_id, logged.subject_user_id, logged.reason) == (
        room.fiona, room.reply, room.aino, REASON)
    assert outcomes(app, room.aino) == ["edited"]
    auth.login("aino")
    assert f"Fiona edited your post in “Harbour plans for the spring”: {REASON}" in page_text(
        client.get("/notifications"))


def test_a_members_edit_of_their_own_post_keeps_the_reason_but_is_no_moderation(app, client, auth, room):
    auth.login("aino")
    assert _edit(client, room.reply, "My reply about the harbour, reworded.", "typo").status_code == 302
    with app.app_context():
        reasons = db.session.execute(select(PostRevision.reason).where(PostRevision.post_id == room.reply)
                                     .order_by(PostRevision.version)).scalars().all()
    assert reasons == [None, "typo"]
    assert actions(app) == [] and outcomes(app, room.aino) == []


def test_a_facilitator_edits_a_hidden_post_its_author_no_longer_can(app, client, auth, room):
    with app.test_request_context():
        moderation.hide(user(room.fiona), post(room.reply), "Names a resident")
        db.session.commit()
    auth.login("aino")
    assert client.get(f"/p/{room.reply}/edit").status_code == 403
    auth.logout()
    auth.login("fiona")
    assert client.get(f"/p/{room.reply}/edit").status_code == 200
    assert _edit(client, room.reply, "My reply, without the name.", REASON).status_code == 302
    with app.app_context():
        assert post(room.reply).raw == "My reply, without the name." and post(room.reply).hidden_at is not None


def test_nobody_edits_the_posts_of_an_archived_topic(app, client, auth, room):
    with app.test_request_context():
        topic_actions.change_topic(user(room.fiona), topic(room.topic), topic_actions.TopicChange.ARCHIVE)
        db.session.commit()
    for name in ("aino", "fiona"):
        auth.login(name)
        assert client.get(f"/p/{room.reply}/edit").status_code == 403, name
        assert _edit(client, room.reply, "Changed after the archive.").status_code == 403, name
        auth.logout()
    with app.app_context():
        assert post(room.reply).raw == "My reply about the harbour."
