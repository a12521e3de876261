"""Drafts are kept on the server: restored on return and on another device, dropped once posted."""

from forum.board.models import Topic
from forum.extensions import db
from tests.conftest import PASSWORD


def _url(app, topic_id):
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


def test_reply_draft_follows_the_member_to_another_device_and_goes_once_posted(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    response = client.put(f"/drafts/reply:{topic_id}", json={"raw": "Half a thought about cycles", "reply_to": 1})
    assert response.get_json() == {"saved": True}
    phone = app.test_client()
    phone.post("/login", data={"login": "aino", "password": PASSWORD})
    url = _url(app, topic_id)
    html = phone.get(url + "?page=1").get_data(as_text=True)
    assert "Half a thought about cycles" in html
    assert 'name="reply_to" type="hidden" value="1"' in html
    phone.post(f"{url}/reply", data={"raw": "Half a thought about cycles, finished", "reply_to": "1"})
    assert "Half a thought" not in client.get(url + "?page=1").get_data(as_text=True).split('id="composer-heading"')[1]


def test_new_topic_draft_keeps_title_and_text(app, client, auth, make):
    make.user("aino")
    make.category("Noticeboard")
    auth.login("aino")
    with app.app_context():
        from sqlalchemy import select

        from forum.board.models import Category

        category_id = db.session.execute(select(Category.id)).scalar_one()
    client.put(f"/drafts/topic:{category_id}", json={"raw": "Agenda ideas", "title": "Next workshop"})
    html = client.get("/c/noticeboard/new-topic").get_data(as_text=True)
    assert 'value="Next workshop"' in html and "Agenda ideas" in html
    client.post("/c/noticeboard/new-topic", data={"title": "Next workshop", "raw": "Agenda ideas"})
    assert "Agenda ideas" not in client.get("/c/noticeboard/new-topic").get_data(as_text=True)


def test_drafts_reject_bad_keys_and_bad_bodies_with_json_errors(app, client, auth, make):
    make.user("aino")
    auth.login("aino")
    bad_key = client.put("/drafts/anything", json={"raw": "x"})
    assert bad_key.status_code == 400 and bad_key.get_json()["error"] == "draft_refused"
    bad_body = client.put("/drafts/reply:1", data="not json", content_type="text/plain")
    assert bad_body.status_code == 400 and bad_body.get_json()["error"] == "invalid_draft"
    assert client.delete("/drafts/reply:1").get_json() == {"saved": True}


def test_preview_renders_like_a_post_and_refuses_oversized_text(app, client, auth, make):
    make.user("aino")
    auth.login("aino")
    html = client.post("/preview", json={"raw": "**bold** <script>alert(1)</script>"}).get_json()["html"]
    assert "<strong>bold</strong>" in html and "<script" not in html
    big = client.post("/preview", json={"raw": "x" * 40000})
    assert big.status_code == 400 and big.get_json()["error"] == "too_long"


def test_visitors_have_no_drafts(client):
    refused = client.put("/drafts/reply:1", json={"raw": "x"})
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "login_required"


def test_preview_without_javascript_shows_the_post_and_keeps_it_as_a_draft(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    url = _url(app, topic_id)
    response = client.post(f"{url}/reply", data={"raw": "Some **bold** thinking", "preview": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>bold</strong>" in html and "Some **bold** thinking" in html
    assert "Some **bold** thinking" in client.get(f"{url}?page=1").get_data(as_text=True), "kept as a draft"
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert topic.post_count == 1, "previewing does not post"
