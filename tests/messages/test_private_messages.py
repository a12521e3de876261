"""Private messages reach their participants and nobody else, anywhere."""

import io

from PIL import Image
from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.extensions import db
from forum.notifications.models import Kind, Notification
from tests.conftest import page_text


def _message_topic(app) -> Topic:
    with app.app_context():
        return db.session.execute(select(Topic).where(Topic.is_private.is_(True))).scalar_one()


def _kinds(app, user_id):
    with app.app_context():
        return [n.kind for n in db.session.execute(select(Notification).where(Notification.user_id == user_id)).scalars()]


def _send(client, to, title="Feedback on your plan", raw="Some candid thoughts"):
    return client.post("/messages/new", data={"recipients": to, "title": title, "raw": raw})


def test_member_sends_a_message_and_the_recipient_reads_and_replies(app, client, auth, make):
    make.user("aino")
    mikko = make.user("mikko")
    auth.login("aino")
    assert _send(client, "mikko").status_code == 302
    topic = _message_topic(app)
    assert _kinds(app, mikko) == [Kind.PRIVATE_MESSAGE]
    auth.logout()
    auth.login("mikko")
    assert "Feedback on your plan" in page_text(client.get("/messages"))
    page = page_text(client.get(f"/t/{topic.slug}/{topic.id}?page=1"))
    assert "Private message" in page and "Some candid thoughts" in page
    assert client.post(f"/t/{topic.slug}/{topic.id}/reply", data={"raw": "Thank you"}).status_code == 302


def test_messages_are_invisible_to_everyone_else_everywhere(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    make.facilitator("fiona")
    make.user("outsider")
    auth.login("aino")
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "PNG")
    url = client.post("/uploads", data={"file": (io.BytesIO(image.getvalue()), "x.png")}, content_type="multipart/form-data").get_json()["url"]
    _send(client, "mikko", title="Secret plans", raw=f"Only for you ![x]({url})")
    topic = _message_topic(app)
    with app.app_context():
        post_id = db.session.execute(select(Post.id).where(Post.topic_id == topic.id)).scalar_one()
    assert "Secret plans" not in page_text(client.get("/latest")), "messages stay out of topic lists"
    for who in ("outsider", "fiona"):
        auth.logout()
        auth.login(who)
        assert client.get(f"/t/{topic.slug}/{topic.id}").status_code == 404, who
        assert client.post(f"/t/{topic.slug}/{topic.id}/reply", data={"raw": "hi"}).status_code == 404
        for listing in ("/latest", "/messages", "/new", "/unread", "/u/aino?tab=topics", "/bookmarks"):
            assert "Secret plans" not in page_text(client.get(listing)), (who, listing)
        assert client.get(f"/p/{post_id}/history").status_code == 404
        assert client.get(f"/p/{post_id}/bookmark").status_code == 404
        assert client.get(url).status_code == 404
    auth.logout()
    auth.login("mikko")
    assert client.get(url).status_code == 200
    assert aino


def test_group_messages_reach_group_members(app, client, auth, make):
    make.user("aino")
    pat = make.user("pat")
    make.group("Plymouth team", [pat])
    auth.login("aino")
    response = _send(client, "@plymouth-team")
    assert response.status_code == 200, "aino is not in the group, so may not message it"
    assert "cannot send messages to Plymouth team" in page_text(response)
    make.facilitator("fiona")
    auth.logout()
    auth.login("fiona")
    assert _send(client, "plymouth-team").status_code == 302
    assert _kinds(app, pat) == [Kind.PRIVATE_MESSAGE]
    auth.logout()
    auth.login("pat")
    assert "Feedback on your plan" in page_text(client.get("/messages"))


def test_unknown_recipients_are_named_and_the_text_kept(app, client, auth, make):
    make.user("aino")
    auth.login("aino")
    response = _send(client, "mikko, nobody", raw="Carefully written words")
    assert response.status_code == 200
    text = page_text(response)
    assert "No member or group is called mikko, nobody" in text and "Carefully written words" in text
    assert _send(client, "aino").status_code == 200, "a message to oneself only is refused"
