"""Malformed input gets a 404, a 400 or a form error: never a 500, whatever the database."""

import json

from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.composer.models import Draft
from forum.extensions import db
from tests.conftest import page_text

HUGE = "9" * 4300
BEYOND_POSTGRES = str(2**31)
BEYOND_SQLITE = str(2**63 + 1)


def _topic(app, topic_id) -> Topic:
    with app.app_context():
        return db.session.get(Topic, topic_id)


def _forum(app, make):
    aino = make.user("aino")
    category = make.category()
    topic_id = make.topic(aino, category, title="Learning cycles")
    return aino, _topic(app, topic_id)


def test_page_numbers_that_are_not_ascii_digits_are_not_found(app, client, auth, make):
    _aino, topic = _forum(app, make)
    auth.login("aino")
    for page in ("%C2%B2", "%D9%A3", HUGE, "0", "-1", "1.5", BEYOND_POSTGRES):
        for path in ("/latest", "/c/general", f"/t/{topic.slug}/{topic.id}", "/notifications", "/bookmarks", "/new"):
            assert client.get(f"{path}?page={page}").status_code == 404, (path, page)


def test_ids_beyond_the_database_integer_range_are_not_found(app, client, auth, make):
    _forum(app, make)
    auth.login("aino")
    for number in (BEYOND_POSTGRES, BEYOND_SQLITE, HUGE, "%D9%A3"):
        for path in (f"/t/{number}", f"/t/x/{number}", f"/t/x/1/{number}", f"/p/{number}/history",
                     f"/p/{number}/replies", f"/uploads/{number}/a.png", f"/notifications/{number}"):
            assert client.get(path).status_code == 404, path
        assert client.post(f"/p/{number}/like").status_code == 404


def test_huge_or_non_ascii_numbers_in_reply_links_are_ignored(app, client, auth, make):
    _aino, topic = _forum(app, make)
    auth.login("aino")
    for value in (BEYOND_SQLITE, HUGE, "%C2%B2", "%D9%A3"):
        reply = client.get(f"/t/{topic.slug}/{topic.id}/reply?to={value}&quote={value}")
        assert reply.status_code == 200
    posted = client.post(f"/t/{topic.slug}/{topic.id}/reply", data={"raw": "A reply that answers nobody.", "reply_to": BEYOND_SQLITE})
    assert posted.status_code in (200, 302)
    assert client.get(f"/messages/new?to={HUGE}").status_code == 200


def test_json_with_huge_numbers_or_deep_nesting_gets_a_json_error(app, client, auth, make):
    _aino, topic = _forum(app, make)
    auth.login("aino")
    for body in (json.dumps({"post_number": 10**30}), json.dumps({"post_number": True}), "[" * 100_000 + "]" * 100_000,
                 '{"post_number": ' + HUGE + "}"):
        answer = client.post(f"/t/{topic.id}/read", data=body, content_type="application/json")
        assert answer.status_code == 400 and answer.json["error"] == "invalid_post_number"
    nested = client.post("/preview", data='{"raw": ' + "[" * 100_000 + "]" * 100_000 + "}", content_type="application/json")
    assert nested.status_code == 400 and nested.json["error"] == "invalid_preview"
    saved = client.put(f"/drafts/reply:{topic.id}", json={"raw": "Half a thought", "reply_to": 10**30})
    assert saved.status_code == 200
    with app.app_context():
        assert db.session.execute(select(Draft.reply_to)).scalar_one() is None


def test_dates_out_of_range_get_a_clear_message(app, client, auth, make):
    aino, topic = _forum(app, make)
    auth.login("aino")
    with app.app_context():
        post_id = db.session.execute(select(Post.id).where(Post.topic_id == topic.id)).scalar_one()
    client.set_cookie("tz", "Pacific/Kiritimati")
    refused = client.post(f"/p/{post_id}/bookmark", data={"note": "", "reminder_at": "9999-12-31T23:59"})
    assert refused.status_code == 200
    assert "Choose a reminder time between the years 1900 and 2999." in page_text(refused)
    for query in ("after:0001-01-01", "before:9999-12-31", "after:0001-01"):
        answer = client.get("/search", query_string={"q": f"learning {query}"})
        assert answer.status_code == 200
        assert "Write dates as year-month-day (from 1900 to 2999)" in page_text(answer)


def test_query_string_names_that_collide_with_view_arguments_are_ignored(app, client, auth, make):
    _aino, topic = _forum(app, make)
    auth.login("aino")
    moved = client.get(f"/t/old-title/{topic.id}?topic_id=5&slug=evil&page=1")
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/t/{topic.slug}/{topic.id}?page=1"


def test_nul_characters_are_dropped_from_what_members_write(app, client, auth, make, search):
    _aino, topic = _forum(app, make)
    auth.login("aino")
    posted = client.post(f"/t/{topic.slug}/{topic.id}/reply", data={"raw": "Nothing\x00 hidden here"})
    assert posted.status_code == 302
    started = client.post("/c/general/new-topic", data={"title": "A title\x00 with a NUL", "raw": "And a body\x00."})
    assert started.status_code == 302
    with app.app_context():
        raws = db.session.execute(select(Post.raw)).scalars().all()
        titles = db.session.execute(select(Topic.title)).scalars().all()
    assert "Nothing hidden here" in raws and "And a body." in raws
    assert "A title with a NUL" in titles
    assert client.put(f"/drafts/reply:{topic.id}", json={"raw": "draft\u0000 text"}).status_code == 200
    with app.app_context():
        assert db.session.execute(select(Draft.raw)).scalar_one() == "draft text"
    assert client.get("/search", query_string={"q": "learn\x00ing"}).status_code == 200
    for path in ("/u/ai%00no", "/c/gen%00eral", "/invite/abc%00def", "/password/reset/abc%00"):
        assert client.get(path).status_code in (404, 410), path


def test_a_redirect_never_points_at_the_host_the_request_named(app, client):
    redirected = client.get("/admin", headers={"Host": "attacker.example"})
    assert redirected.status_code == 308
    assert redirected.headers["Location"] == app.config["FORUM_BASE_URL"] + "/admin/"
