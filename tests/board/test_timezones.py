"""Times are stored in UTC and shown in each viewer's zone."""

from datetime import UTC, datetime

from sqlalchemy import select

from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.extensions import db
from tests.conftest import page_text


def _pin_time(app, topic_id, when):
    with app.app_context():
        post = db.session.execute(select(Post).where(Post.topic_id == topic_id)).scalar_one()
        post.created_at = when
        db.session.commit()
        stored = db.session.get(Post, post.id).created_at
        topic = db.session.get(Topic, topic_id)
        return stored, f"/t/{topic.slug}/{topic.id}"


def test_post_time_is_stored_in_utc_and_shown_in_the_members_zone(app, client, auth, make):
    aino = make.user("aino", timezone="Europe/Helsinki")
    make.user("jess", timezone="America/New_York")
    topic_id = make.topic(aino, make.category())
    stored, url = _pin_time(app, topic_id, datetime(2026, 1, 15, 12, 0, tzinfo=UTC))
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0
    auth.login("aino")
    assert "2:00 PM" in page_text(client.get(url))
    assert 'datetime="2026-01-15T12:00:00+00:00"' in client.get(url).get_data(as_text=True)
    auth.logout()
    auth.login("jess")
    assert "7:00 AM" in page_text(client.get(url))


def test_visitors_zone_comes_from_the_browser_cookie(app, client, make):
    from forum.board.models import Visibility

    aino = make.user("aino")
    topic_id = make.topic(aino, make.category("Open", visibility=Visibility.PUBLIC))
    _, url = _pin_time(app, topic_id, datetime(2026, 7, 1, 9, 30, tzinfo=UTC))
    client.set_cookie("tz", "Asia/Tokyo")
    assert "6:30 PM" in page_text(client.get(url))
    client.set_cookie("tz", "Not/AZone")
    assert "9:30 AM" in page_text(client.get(url))


def test_member_sets_a_zone_and_an_invalid_one_is_refused(app, client, auth, make):
    user_id = make.user("aino")
    auth.login("aino")
    form = {"action": "preferences", "display_name": "Aino V", "timezone": "Europe/Helsinki"}
    assert client.post("/my/preferences", data=form).status_code == 302
    response = client.post("/my/preferences", data={**form, "timezone": "Europe/Atlantis"})
    assert response.status_code == 200
    assert "Not a valid choice" in page_text(response)
    with app.app_context():
        assert db.session.get(User, user_id).timezone == "Europe/Helsinki"
    assert "Times are shown in Europe/Helsinki" in page_text(client.get("/latest"))
