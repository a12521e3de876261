"""What a member has read: new and unread topics, jumping to the first unread post, dismissing."""

from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.extensions import db
from forum.tracking.models import TopicUser
from tests.conftest import page_text


def _url(app, topic_id):
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


def _last_read(app, user_id, topic_id):
    with app.app_context():
        row = db.session.get(TopicUser, (user_id, topic_id))
        return row.last_read_post_number if row else None


def test_a_topic_started_after_joining_is_new_until_opened(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category(), title="Fresh thinking on learning cycles")
    auth.login("mikko")
    assert "Fresh thinking on learning cycles" in page_text(client.get("/new"))
    assert "new" in page_text(client.get("/latest"))
    client.get(_url(app, topic_id))
    assert "Fresh thinking on learning cycles" not in page_text(client.get("/new"))


def test_unread_counts_follow_posting_reading_and_deleting(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category(), title="Reporting burden")
    auth.login("mikko")
    client.get(_url(app, topic_id))
    assert "Reporting burden" not in page_text(client.get("/unread"))
    for n in range(3):
        make.post(aino, topic_id, f"News {n}")
    text = page_text(client.get("/unread"))
    assert "Reporting burden" in text and "3 unread" in text
    with app.app_context():
        newest = db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 4)).scalar_one()
    auth.logout()
    auth.login("aino")
    client.post(f"/p/{newest}/delete")
    auth.logout()
    auth.login("mikko")
    assert "2 unread" in page_text(client.get("/unread"))
    assert mikko


def test_opening_a_topic_jumps_to_the_first_unread_post(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category())
    for n in range(2, 8):
        make.post(aino, topic_id, f"Post {n}")
    auth.login("mikko")
    url = _url(app, topic_id)
    client.get(url)  # reads page 1: posts 1 to 5
    assert _last_read(app, mikko, topic_id) == 5
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}?page=2#post-6")


def test_with_javascript_reading_follows_what_scrolled_into_view(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category())
    for n in range(2, 5):
        make.post(aino, topic_id, f"Post {n}")
    auth.login("mikko")
    client.set_cookie("js", "1")
    url = _url(app, topic_id)
    client.get(url)
    assert _last_read(app, mikko, topic_id) == 0
    assert client.post(f"/t/{topic_id}/read", json={"post_number": 3}).get_json() == {"ok": True}
    assert _last_read(app, mikko, topic_id) == 3
    client.post(f"/t/{topic_id}/read", json={"post_number": 2})
    assert _last_read(app, mikko, topic_id) == 3, "reading never moves backwards"
    bad = client.post(f"/t/{topic_id}/read", json={"post_number": "three"})
    assert bad.status_code == 400 and bad.get_json()["error"] == "invalid_post_number"


def test_read_position_of_a_hidden_topic_cannot_be_set(app, client, auth, make):
    from forum.board.models import Visibility

    fiona = make.facilitator("fiona")
    make.user("outsider")
    room = make.category("Facilitators room", visibility=Visibility.GROUPS, group_ids=[make.group("Facilitators", [fiona])])
    topic_id = make.topic(fiona, room)
    auth.login("outsider")
    assert client.post(f"/t/{topic_id}/read", json={"post_number": 1}).status_code == 404


def test_dismiss_marks_everything_read(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    first = make.topic(aino, make.category("General"), title="One")
    make.topic(aino, make.category("Other"), title="Two")
    auth.login("mikko")
    client.get(_url(app, first))
    make.post(aino, first, "More")
    assert "One" in page_text(client.get("/unread"))
    client.post("/dismiss", data={"category": "general"})
    assert "One" not in page_text(client.get("/unread"))
    assert "Two" in page_text(client.get("/new"))
    client.post("/dismiss")
    assert "Two" not in page_text(client.get("/new"))


def test_muted_topics_leave_the_unread_list(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category(), title="Noisy thread")
    auth.login("mikko")
    client.get(_url(app, topic_id))
    make.post(aino, topic_id, "more noise")
    assert "Noisy thread" in page_text(client.get("/unread"))
    client.post(f"/t/{topic_id}/level", data={"level": "muted"})
    assert "Noisy thread" not in page_text(client.get("/unread"))
    assert client.post(f"/t/{topic_id}/level", data={"level": "loud"}).status_code == 400


def test_views_are_counted_for_members_and_visitors_in_batches(app, client, auth, make):
    from forum.board.models import Visibility
    from forum.board.view_counts import fold_pending

    aino = make.user("aino")
    topic_id = make.topic(aino, make.category("Open", visibility=Visibility.PUBLIC))
    url = _url(app, topic_id)
    client.get(url)
    client.get(url)
    auth.login("aino")
    client.get(url + "?page=1")
    with app.app_context():
        fold_pending()
        assert db.session.get(Topic, topic_id).views == 3
        fold_pending()
        assert db.session.get(Topic, topic_id).views == 3
