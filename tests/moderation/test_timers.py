"""Topic timers: a moderator types a time in their own zone; the worker's periodic job closes, opens or publishes
the topic once that time has come, and only once, however often it runs."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from forum.board.models import Topic
from forum.core.jobs import run_job
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation import timers
from forum.moderation.models import TimerAction, TopicTimer
from tests.conftest import page_text
from tests.moderation.topic_setup import audit_rows, build, topic, user


@pytest.fixture
def place(app, make):
    place = build(app, make)
    with app.app_context():
        user("fiona").timezone = "Europe/Helsinki"
        db.session.commit()
    return place


def travel(monkeypatch, moment: datetime) -> None:
    """The timers see `moment` as now."""
    monkeypatch.setattr(timers, "utcnow", lambda: moment)


def set_timer(client, topic_id, action, local: datetime):
    return client.post(f"/t/{topic_id}/moderate/timer",
                       data={"timer-action": action, "timer-run_at": local.strftime("%Y-%m-%dT%H:%M")})


def pending(app, topic_id):
    with app.app_context():
        return db.session.execute(
            select(TopicTimer).where(TopicTimer.topic_id == topic_id, TopicTimer.done_at.is_(None),
                                     TopicTimer.cancelled_at.is_(None))
        ).scalars().all()


def test_a_timer_typed_in_the_moderators_zone_closes_the_topic_once_when_due(app, client, auth, place, monkeypatch):
    helsinki = ZoneInfo("Europe/Helsinki")
    local = (datetime.now(helsinki) + timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0, tzinfo=None)
    due = local.replace(tzinfo=helsinki).astimezone(UTC)
    auth.login("fiona")
    assert set_timer(client, place.topic, "close", local).status_code == 302
    [timer] = pending(app, place.topic)
    assert timer.run_at == due
    assert f"Closes at {local:%b} {local.day}, {local:%Y}, {local:%-I}:30" in page_text(client.get(f"/t/{place.topic}/moderate"))

    travel(monkeypatch, due - timedelta(minutes=1))
    run_job(app, "moderation.topic_timers")
    with app.app_context():
        assert db.session.get(Topic, place.topic).is_locked is False

    travel(monkeypatch, due + timedelta(seconds=30))
    run_job(app, "moderation.topic_timers")
    run_job(app, "moderation.topic_timers")
    with app.app_context():
        assert db.session.get(Topic, place.topic).is_locked is True
    [closed] = audit_rows(app, "topic.close")
    assert closed["actor_id"] is None and closed["after"]["timer_id"] == timer.id
    assert pending(app, place.topic) == []

    # Opened again by hand, it stays open: the timer has done its work.
    with app.test_request_context():
        from forum.moderation.topics import TopicChange, change_topic
        change_topic(user("fiona"), topic(place.topic), TopicChange.OPEN)
        db.session.commit()
    travel(monkeypatch, due + timedelta(hours=1))
    run_job(app, "moderation.topic_timers")
    with app.app_context():
        assert db.session.get(Topic, place.topic).is_locked is False


def test_a_publish_timer_lists_an_unlisted_topic_at_the_top_of_latest(app, client, auth, place, make, monkeypatch):
    make.topic(place.aino, place.garden, title="Newer chatter", raw="Something newer.")
    auth.login("fiona")
    client.post(f"/t/{place.topic}/moderate/state", data={"change": "unlist"})
    local = datetime.now(ZoneInfo("Europe/Helsinki")).replace(tzinfo=None) + timedelta(hours=3)
    set_timer(client, place.topic, "publish", local)
    auth.logout()
    auth.login("ben")
    assert "Tomatoes in the shade" not in page_text(client.get("/latest"))

    travel(monkeypatch, utcnow() + timedelta(hours=4))
    run_job(app, "moderation.topic_timers")
    latest = page_text(client.get("/latest"))
    assert "Tomatoes in the shade" in latest
    assert latest.index("Tomatoes in the shade") < latest.index("Newer chatter")
    assert [row["action"] for row in audit_rows(app)] == ["topic.unlist", "topic.timer", "topic.list"]


def test_a_timer_must_be_in_the_future_and_change_something(app, client, auth, place):
    auth.login("fiona")
    past = datetime.now(ZoneInfo("Europe/Helsinki")).replace(tzinfo=None) - timedelta(hours=1)
    response = set_timer(client, place.topic, "close", past)
    assert response.status_code == 400 and "Choose a time in the future." in page_text(response)
    later = past + timedelta(days=1)
    response = set_timer(client, place.topic, "open", later)
    assert response.status_code == 400 and "The topic is already open." in page_text(response)
    response = set_timer(client, place.topic, "publish", later)
    assert "Only an unlisted topic can be published." in page_text(response)
    assert pending(app, place.topic) == [] and audit_rows(app) == []


def test_a_new_timer_replaces_the_pending_one_and_a_timer_can_be_cancelled(app, client, auth, place, monkeypatch):
    auth.login("fiona")
    soon = datetime.now(ZoneInfo("Europe/Helsinki")).replace(tzinfo=None) + timedelta(hours=1)
    set_timer(client, place.topic, "close", soon)
    set_timer(client, place.topic, "close", soon + timedelta(days=1))
    [timer] = pending(app, place.topic)
    assert timer.run_at.astimezone(ZoneInfo("Europe/Helsinki")).replace(tzinfo=None) == (soon + timedelta(days=1)).replace(second=0, microsecond=0)

    assert client.post(f"/t/{place.topic}/moderate/timer/{timer.id}/cancel").status_code == 302
    assert pending(app, place.topic) == []
    travel(monkeypatch, utcnow() + timedelta(days=3))
    run_job(app, "moderation.topic_timers")
    with app.app_context():
        assert db.session.get(Topic, place.topic).is_locked is False
    assert [row["action"] for row in audit_rows(app)] == ["topic.timer", "topic.timer", "topic.timer_cancel"]


@pytest.mark.parametrize(("who", "status"), [("mona", 302), ("ben", 403), ("aino", 403)])
def test_who_sets_timers(app, client, auth, place, who, status):
    auth.login(who)
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
    assert set_timer(client, place.topic, "close", later).status_code == status
    assert len(pending(app, place.topic)) == (1 if status == 302 else 0)


def test_two_workers_carry_out_a_due_timer_once(app, place):
    with app.test_request_context():
        timers.set_timer(user("fiona"), topic(place.topic), TimerAction.CLOSE, utcnow() + timedelta(minutes=5))
        db.session.commit()
    later = utcnow() + timedelta(minutes=10)
    with app.app_context():
        first = timers.run_due_timers(later)
        second = timers.run_due_timers(later)  # a second worker, in the same transaction's wake
        db.session.commit()
    assert (first, second) == (1, 0)
    assert len(audit_rows(app, "topic.close")) == 1
