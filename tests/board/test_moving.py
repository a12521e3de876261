"""Facilitators move a topic to another category; its posts, counts, readers and links follow."""

import pytest
from sqlalchemy import select

from forum.auth.models import User
from forum.board import services as board_services
from forum.board.models import Category, Topic, Visibility
from forum.core.errors import NotAllowed
from forum.extensions import db


def _move(app, actor_name, topic_id, category_id):
    with app.test_request_context():
        actor = db.session.execute(select(User).where(User.username_key == actor_name)).scalar_one()
        board_services.move_topic(actor, db.session.get(Topic, topic_id), db.session.get(Category, category_id))
        db.session.commit()


@pytest.fixture
def place(app, make):
    author = make.user("aino")
    make.facilitator("fiona")
    insider = make.user("insider")
    team = make.group("Team", [insider])
    general = make.category("General")
    team_room = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    topic_id = make.topic(author, general, title="Where should this live")
    make.post(insider, topic_id, "A reply")
    return {"topic": topic_id, "general": general, "team_room": team_room}


def test_a_moved_topic_and_its_posts_count_in_the_new_category(app, client, auth, place):
    _move(app, "fiona", place["topic"], place["team_room"])
    with app.app_context():
        general, team_room = db.session.get(Category, place["general"]), db.session.get(Category, place["team_room"])
        assert (general.topic_count, general.post_count) == (0, 0)
        assert (team_room.topic_count, team_room.post_count) == (1, 2)
    auth.login("insider")
    assert "Where should this live" in client.get("/c/team-room").get_data(as_text=True)
    assert "Where should this live" not in client.get("/c/general").get_data(as_text=True)


def test_readers_of_the_old_category_lose_a_topic_moved_somewhere_closed_to_them(app, client, auth, place):
    _move(app, "fiona", place["topic"], place["team_room"])
    auth.login("aino")
    assert client.get(f"/t/where-should-this-live/{place['topic']}").status_code == 404


def test_a_member_cannot_move_a_topic(app, place):
    with pytest.raises(NotAllowed):
        _move(app, "aino", place["topic"], place["team_room"])
