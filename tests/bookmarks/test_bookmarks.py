"""Bookmarks with a note and a reminder in the member's own time zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from forum.board.models import Post, Visibility
from forum.bookmarks.models import Bookmark
from forum.bookmarks.services import send_due_reminders
from forum.extensions import db
from forum.notifications.models import Kind, Notification
from tests.conftest import page_text


def _first_post_id(app, topic_id) -> int:
    with app.app_context():
        return db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def test_bookmark_with_note_and_local_reminder_then_reminded(app, client, auth, make):
    aino = make.user("aino", timezone="Europe/Helsinki")
    topic_id = make.topic(aino, make.category(), title="Cycle 2 plan")
    post_id = _first_post_id(app, topic_id)
    auth.login("aino")
    local = (datetime.now(ZoneInfo("Europe/Helsinki")) + timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(f"/p/{post_id}/bookmark", data={"note": "read before Tuesday", "reminder_at": local.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    listing = page_text(client.get("/bookmarks"))
    assert "Cycle 2 plan #1" in listing and "read before Tuesday" in listing
    with app.app_context():
        bookmark = db.session.execute(select(Bookmark)).scalar_one()
        assert bookmark.reminder_at == local.astimezone(UTC)
        bookmark.reminder_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    with app.test_request_context():
        assert send_due_reminders() == 1
        db.session.commit()
        assert send_due_reminders() == 0
    with app.app_context():
        [notification] = db.session.execute(select(Notification)).scalars().all()
        assert notification.kind == Kind.BOOKMARK_REMINDER and notification.user_id == aino


def test_reminder_in_the_past_is_refused_and_the_note_kept(app, client, auth, make):
    aino = make.user("aino")
    post_id = _first_post_id(app, make.topic(aino, make.category()))
    auth.login("aino")
    response = client.post(f"/p/{post_id}/bookmark", data={"note": "keep me", "reminder_at": "2020-01-01T09:00"})
    assert response.status_code == 200
    assert "Choose a reminder time in the future" in page_text(response)
    assert 'value="keep me"' in response.get_data(as_text=True)


def test_bookmarks_of_posts_no_longer_readable_are_not_listed(app, client, auth, make):
    aino = make.user("aino")
    team = make.group("Team", [aino])
    room = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    post_id = _first_post_id(app, make.topic(aino, room, title="Private plans"))
    auth.login("aino")
    client.post(f"/p/{post_id}/bookmark", data={"note": ""})
    assert "Private plans" in page_text(client.get("/bookmarks"))
    with app.app_context():
        from forum.auth.models import Group, User

        group = db.session.get(Group, team)
        group.members.remove(db.session.get(User, aino))
        db.session.commit()
    assert "Private plans" not in page_text(client.get("/bookmarks"))
    assert client.get(f"/p/{post_id}/bookmark").status_code == 404


def test_only_the_owner_removes_a_bookmark(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    post_id = _first_post_id(app, make.topic(aino, make.category()))
    auth.login("aino")
    client.post(f"/p/{post_id}/bookmark", data={"note": "mine"})
    with app.app_context():
        bookmark_id = db.session.execute(select(Bookmark.id)).scalar_one()
    auth.logout()
    auth.login("mikko")
    assert client.post(f"/bookmarks/{bookmark_id}/delete").status_code == 404
