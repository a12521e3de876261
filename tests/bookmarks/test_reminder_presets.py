"""Bookmark reminder presets ("in two hours", "tomorrow", "next week", custom) in the member's time zone, and
bookmarking in place: the post's bookmark menu answers JSON to the script and redirects without it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from forum.board.models import Post, Visibility
from forum.bookmarks.models import Bookmark
from forum.bookmarks.reminders import reminder_time
from forum.extensions import db
from tests.conftest import page_text

JSON = {"Accept": "application/json"}
HELSINKI = ZoneInfo("Europe/Helsinki")


def _first_post_id(app, topic_id) -> int:
    with app.app_context():
        return db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def _bookmark(app) -> Bookmark | None:
    with app.app_context():
        return db.session.execute(select(Bookmark)).scalar_one_or_none()


def test_tomorrow_means_eight_in_the_morning_where_the_member_lives():
    # 22:30 UTC on the 10th is already 00:30 on the 11th in Helsinki: "tomorrow" there is the 12th.
    now = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)
    assert reminder_time("tomorrow", now, HELSINKI) == datetime(2026, 3, 12, 8, 0, tzinfo=HELSINKI).astimezone(UTC)
    assert reminder_time("tomorrow", now, ZoneInfo("America/New_York")) == datetime(
        2026, 3, 11, 8, 0, tzinfo=ZoneInfo("America/New_York")
    ).astimezone(UTC)


def test_next_week_means_monday_morning_and_a_monday_looks_a_week_ahead():
    wednesday = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
    assert reminder_time("next_week", wednesday, HELSINKI) == datetime(2026, 3, 16, 8, 0, tzinfo=HELSINKI).astimezone(UTC)
    monday = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
    assert reminder_time("next_week", monday, HELSINKI) == datetime(2026, 3, 23, 8, 0, tzinfo=HELSINKI).astimezone(UTC)


def test_a_reminder_across_the_clock_change_still_rings_at_eight_local_time():
    # Finland moves its clocks forward in the night to Sunday 29 March 2026.
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    moment = reminder_time("tomorrow", saturday, HELSINKI)
    assert moment.astimezone(HELSINKI).hour == 8 and moment == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)


def test_in_two_hours_is_two_hours_and_no_reminder_is_none():
    now = datetime(2026, 3, 10, 9, 15, tzinfo=UTC)
    assert reminder_time("two_hours", now, HELSINKI) == now + timedelta(hours=2)
    assert reminder_time("none", now, HELSINKI) is None


def test_bookmarking_with_a_preset_answers_json_with_the_time_in_the_members_zone(app, client, auth, make):
    aino = make.user("aino", timezone="Europe/Helsinki")
    post_id = _first_post_id(app, make.topic(aino, make.category()))
    auth.login("aino")
    response = client.post(f"/p/{post_id}/bookmark", data={"preset": "tomorrow", "reminder_at": ""}, headers=JSON)
    assert response.status_code == 200
    data = response.get_json()
    bookmark = _bookmark(app)
    assert data["bookmarked"] is True and bookmark.reminder_at.astimezone(HELSINKI).hour == 8
    assert bookmark.reminder_at.astimezone(HELSINKI).date() == datetime.now(HELSINKI).date() + timedelta(days=1)
    assert data["reminder_at"] == bookmark.reminder_at.isoformat(timespec="seconds")
    assert data["message"].startswith("Bookmarked. You will be reminded") and "8:00" in data["message"]


def test_the_post_menu_without_javascript_saves_and_goes_back_to_the_post_keeping_the_note(app, client, auth, make):
    aino = make.user("aino", timezone="Europe/Helsinki")
    topic_id = make.topic(aino, make.category())
    post_id = _first_post_id(app, topic_id)
    auth.login("aino")
    client.post(f"/p/{post_id}/bookmark", data={"note": "for Tuesday", "reminder_at": ""})
    response = client.post(f"/p/{post_id}/bookmark", data={"preset": "next_week", "reminder_at": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{topic_id}/1")
    bookmark = _bookmark(app)
    local = bookmark.reminder_at.astimezone(HELSINKI)
    assert bookmark.note == "for Tuesday" and (local.weekday(), local.hour) == (0, 8)
    client.post(f"/p/{post_id}/bookmark", data={"preset": "none", "reminder_at": ""})
    assert _bookmark(app).reminder_at is None and _bookmark(app).note == "for Tuesday"


def test_a_custom_preset_uses_the_typed_time_and_needs_one(app, client, auth, make):
    aino = make.user("aino", timezone="Europe/Helsinki")
    post_id = _first_post_id(app, make.topic(aino, make.category()))
    auth.login("aino")
    missing = client.post(f"/p/{post_id}/bookmark", data={"preset": "custom", "reminder_at": ""}, headers=JSON)
    assert missing.status_code == 400
    assert missing.get_json() == {"error": "bookmark_refused", "message": "Choose a date and time for the reminder."}
    local = (datetime.now(HELSINKI) + timedelta(days=3)).replace(hour=14, minute=30, second=0, microsecond=0)
    client.post(f"/p/{post_id}/bookmark", data={"preset": "custom", "reminder_at": local.strftime("%Y-%m-%dT%H:%M")}, headers=JSON)
    assert _bookmark(app).reminder_at == local.astimezone(UTC)


def test_a_typed_time_with_another_preset_ticked_is_questioned_not_dropped(app, client, auth, make):
    aino = make.user("aino")
    post_id = _first_post_id(app, make.topic(aino, make.category()))
    auth.login("aino")
    response = client.post(f"/p/{post_id}/bookmark", data={"preset": "none", "reminder_at": "2031-05-01T09:00"})
    assert response.status_code == 200 and "choose “Custom time”" in page_text(response)
    assert _bookmark(app) is None


@pytest.mark.parametrize("data, code", [
    ({"preset": "yesterday", "reminder_at": ""}, "bookmark_refused"),
    ({"preset": "custom", "reminder_at": "not a time"}, "invalid_bookmark"),
    ({"preset": "custom", "reminder_at": "2020-01-01T09:00"}, "bookmark_refused"),
])
def test_bad_reminders_are_refused_as_json_with_a_code_and_a_message(app, client, auth, make, data, code):
    aino = make.user("aino")
    post_id = _first_post_id(app, make.topic(aino, make.category()))
    auth.login("aino")
    response = client.post(f"/p/{post_id}/bookmark", data=data, headers=JSON)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == code and body["message"]
    assert _bookmark(app) is None


def test_removing_from_the_post_menu_answers_json_or_goes_back_to_the_post(app, client, auth, make):
    aino = make.user("aino")
    post_id = _first_post_id(app, make.topic(aino, make.category()))
    auth.login("aino")
    client.post(f"/p/{post_id}/bookmark", data={"preset": "two_hours", "reminder_at": ""})
    response = client.post(f"/p/{post_id}/bookmark/remove", headers=JSON)
    assert response.get_json() == {"bookmarked": False, "reminder_at": None, "message": "Bookmark removed."}
    assert _bookmark(app) is None
    again = client.post(f"/p/{post_id}/bookmark/remove")
    assert again.status_code == 302 and "/t/" in again.headers["Location"]


def test_posts_the_member_cannot_read_answer_404_as_json(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    team = make.group("Team", [aino])
    post_id = _first_post_id(app, make.topic(aino, make.category("Room", visibility=Visibility.GROUPS, group_ids=[team])))
    auth.login("mikko")
    for url in (f"/p/{post_id}/bookmark", f"/p/{post_id}/bookmark/remove"):
        response = client.post(url, data={"preset": "tomorrow"}, headers=JSON)
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert _bookmark(app) is None


def test_the_topic_page_shows_each_post_a_bookmark_menu_with_the_presets_times(app, client, auth, make):
    aino = make.user("aino", timezone="Europe/Helsinki")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    text = page_text(client.get(f"/t/{topic_id}", follow_redirects=True))
    for label in ("Remind me", "No reminder", "In two hours", "Tomorrow", "Next week", "Custom time", "Save bookmark"):
        assert label in text
    assert "8:00" in text  # tomorrow's and next week's morning, in the member's zone
