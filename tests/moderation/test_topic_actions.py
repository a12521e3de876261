"""Moderators close, open, pin, archive, unlist, move and hand over topics from the topic's Moderate page;
facilitators anywhere, a category's own moderators in their category only, members never. Each action is in
the staff action log with the state before and after."""

from datetime import timedelta

import pytest

from forum.board.models import Category, Topic
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.digest import preview_digest
from forum.moderation import topics
from forum.moderation.topics import TopicChange
from tests.conftest import page_text
from tests.moderation.topic_setup import as_member, audit_rows, build, topic, user
from tests.search.test_search_page import hit_titles


@pytest.fixture
def place(app, make):
    return build(app, make)


def moderate(client, topic_id, change, reason=""):
    return client.post(f"/t/{topic_id}/moderate/state", data={"change": change, "state-reason": reason})


STATE_CHANGES = [
    # (change, the field that changes, its value after)
    ("close", "is_locked", True),
    ("pin", "is_pinned", True),
    ("pin_globally", "pinned_globally", True),
    ("unlist", "is_unlisted", True),
]


@pytest.mark.parametrize(("change", "field", "value"), STATE_CHANGES)
@pytest.mark.parametrize(("who", "allowed"), [("fiona", True), ("mona", True), ("ben", False), ("aino", False)])
def test_each_state_change_by_each_role(app, client, auth, place, who, allowed, change, field, value):
    auth.login(who)
    response = moderate(client, place.topic, change, "Agreed at the meeting")
    assert response.status_code == (302 if allowed else 403)
    with app.app_context():
        assert getattr(db.session.get(Topic, place.topic), field) == (value if allowed else (not value))
    rows = audit_rows(app, f"topic.{change}")
    if allowed:
        [row] = rows
        assert row["target_id"] == place.topic and row["reason"] == "Agreed at the meeting"
        assert (row["before"][field], row["after"][field]) == (not value, value)
    else:
        assert rows == []


def test_a_category_moderator_cannot_act_on_a_topic_in_another_category(app, client, auth, place, make):
    elsewhere = make.topic(place.aino, place.general, title="Elsewhere entirely", raw="Somewhere else.")
    auth.login("mona")
    assert client.get(f"/t/{elsewhere}/moderate").status_code == 403
    assert moderate(client, elsewhere, "close").status_code == 403
    with app.test_request_context(), pytest.raises(topics.NotAllowed):
        topics.change_topic(user("mona"), topic(elsewhere), TopicChange.CLOSE)


def test_closing_then_opening_and_archiving_then_unarchiving(app, client, auth, place):
    auth.login("fiona")
    moderate(client, place.topic, "close")
    assert "Locked" in page_text(client.get(f"/t/{place.topic}", follow_redirects=True))
    assert "already closed" in page_text(moderate(client, place.topic, "close"))
    moderate(client, place.topic, "open")
    moderate(client, place.topic, "archive")
    auth.logout()

    auth.login("aino")
    page = page_text(client.get(f"/t/{place.topic}", follow_redirects=True))
    assert "Archived" in page and "Reply to this topic" not in page
    assert client.post(f"/t/tomatoes-in-the-shade/{place.topic}/reply", data={"raw": "Too late?"}).status_code == 403
    auth.logout()
    auth.login("mona")  # has never opened it: an archived topic is not news
    assert "Tomatoes in the shade" in page_text(client.get("/latest"))
    assert "Tomatoes in the shade" not in page_text(client.get("/new"))
    auth.logout()

    auth.login("fiona")
    moderate(client, place.topic, "unarchive")
    assert [row["action"] for row in audit_rows(app)] == ["topic.close", "topic.open", "topic.archive", "topic.unarchive"]
    with app.app_context():
        topic_row = db.session.get(Topic, place.topic)
        assert (topic_row.is_locked, topic_row.archived_at) == (False, None)


def test_a_globally_pinned_topic_heads_latest_and_a_category_pin_heads_its_category_only(app, client, auth, place, make):
    make.topic(place.aino, place.general, title="Newer talk in general", raw="General words.")
    newer = make.topic(place.aino, place.garden, title="Newer talk in the garden", raw="Garden words.")
    with app.app_context():  # the topic under test is older than both
        db.session.get(Topic, place.topic).bumped_at = utcnow() - timedelta(days=3)
        db.session.commit()
    auth.login("fiona")

    moderate(client, place.topic, "pin")
    assert first_title(client, "/latest") == "Newer talk in the garden"
    assert first_title(client, "/c/garden") == "Tomatoes in the shade"

    moderate(client, place.topic, "pin_globally")
    assert first_title(client, "/latest") == "Tomatoes in the shade"
    assert "Pinned globally" in page_text(client.get("/latest"))

    moderate(client, place.topic, "unpin")
    assert first_title(client, "/c/garden") == "Newer talk in the garden"
    assert newer


def first_title(client, url) -> str:
    html = client.get(url).get_data(as_text=True)
    start = html.index('<th scope="row" class="topic-title">')
    row = html[start: html.index("</th>", start)]
    return page_text_of(row.split("<a href=")[1].split(">", 1)[1].split("</a>")[0])


def page_text_of(fragment: str) -> str:
    return " ".join(fragment.split())


def test_an_unlisted_topic_is_in_no_list_search_or_digest_but_read_by_its_link(app, client, auth, place, make, search):
    make.topic(place.aino, place.garden, title="Listed neighbour", raw="Shade-loving tomatoes are rare.")
    make.user("wren")
    search.sync()
    auth.login("fiona")
    moderate(client, place.topic, "unlist")
    search.sync()
    auth.logout()

    auth.login("ben")
    assert "Tomatoes in the shade" not in page_text(client.get("/latest"))
    assert "Tomatoes in the shade" not in page_text(client.get("/c/garden"))
    assert "Listed neighbour" in page_text(client.get("/c/garden"))
    assert hit_titles(client.get("/search?q=tomatoes")) == ["Listed neighbour"]
    page = client.get(f"/t/tomatoes-in-the-shade/{place.topic}")
    assert page.status_code == 200 and "Unlisted" in page_text(page)
    with app.test_request_context():
        digest = preview_digest(user("wren"), utcnow() + timedelta(minutes=1))
        titles = [t.title for section in digest.sections for t in section.new_topics]
    assert "Listed neighbour" in titles and "Tomatoes in the shade" not in titles

    auth.logout()
    auth.login("fiona")
    moderate(client, place.topic, "list")
    search.sync()
    assert sorted(hit_titles(client.get("/search?q=tomatoes"))) == ["Listed neighbour", "Tomatoes in the shade"]


def test_moving_a_topic_is_logged_and_a_category_moderator_moves_only_into_categories_they_moderate(
    app, client, auth, place, make,
):
    auth.login("mona")
    response = client.post(f"/t/{place.topic}/moderate/move", data={"move-category_id": place.general})
    assert response.status_code == 400  # General is not among her choices
    auth.logout()
    with app.test_request_context(), pytest.raises(topics.NotAllowed):
        topics.move_topic(user("mona"), topic(place.topic), db.session.get(Category, place.general))

    auth.login("fiona")
    response = client.post(f"/t/{place.topic}/moderate/move", data={"move-category_id": place.general,
                                                                    "move-reason": "Not about gardening"})
    assert response.status_code == 302
    [row] = audit_rows(app, "topic.move")
    assert (row["before"], row["after"], row["reason"]) == (
        {"category_id": place.garden}, {"category_id": place.general}, "Not about gardening",
    )
    with app.app_context():
        assert (db.session.get(Category, place.general).topic_count, db.session.get(Category, place.garden).topic_count) == (1, 0)


def test_changing_the_owner_hands_over_the_topic_and_its_first_post(app, client, auth, place, make):
    reply = make.post(place.ben, place.topic, "Only with care.", reply_to=1)
    auth.login("fiona")
    response = client.post(f"/t/{place.topic}/moderate/owner", data={"owner-username": "nobody"})
    assert response.status_code == 400 and "No member has that username." in page_text(response)

    response = client.post(f"/t/{place.topic}/moderate/owner", data={"owner-username": "@Ben", "owner-reason": "Asked"})
    assert response.status_code == 302
    page = client.get(f"/t/tomatoes-in-the-shade/{place.topic}").get_data(as_text=True)
    assert "in reply to @ben #1" in page
    with app.app_context():
        topic_row = db.session.get(Topic, place.topic)
        assert topic_row.user_id == place.ben and topic_row.participant_count == 1
        from forum.board.models import Post
        assert db.session.get(Post, reply).reply_to_user_id == place.ben
    [row] = audit_rows(app, "topic.change_owner")
    assert (row["before"], row["after"]) == ({"user_id": place.aino}, {"user_id": place.ben})


def test_the_owner_must_be_able_to_read_the_topic(app, place, make):
    outsider = make.user("outsider")
    team = make.group("Team", [place.aino])
    from forum.board.models import Visibility
    private = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    secret = make.topic(place.aino, private, title="Team only", raw="For the team.")
    with app.test_request_context(), pytest.raises(topics.DomainError, match="cannot read"):
        topics.change_owner(user("fiona"), topic(secret), user("outsider"))
    assert outsider


def test_the_moderate_link_and_page_are_for_moderators_only(app, client, auth, place):
    url = f"/t/tomatoes-in-the-shade/{place.topic}"
    auth.login("ben")
    assert "Moderate" not in page_text(client.get(url))
    assert client.get(f"/t/{place.topic}/moderate").status_code == 403
    auth.logout()
    auth.login("mona")
    assert f'href="/t/{place.topic}/moderate"' in client.get(url).get_data(as_text=True)
    page = page_text(client.get(f"/t/{place.topic}/moderate"))
    for section in ("Status", "Timer", "Move to another category", "Split posts into a new topic",
                    "Merge into another topic", "Change the owner"):
        assert section in page


def test_the_moderate_page_takes_a_constant_number_of_queries(app, client, auth, place, make, count_queries):
    auth.login("fiona")
    client.get(f"/t/{place.topic}/moderate")
    with count_queries() as few:
        client.get(f"/t/{place.topic}/moderate")
    for n in range(12):
        make.post(place.ben if n % 2 else place.aino, place.topic, f"Reply {n}")
    with count_queries() as many:
        assert client.get(f"/t/{place.topic}/moderate").status_code == 200
    assert many.n == few.n <= 15


def test_private_messages_are_not_moderated_here(app, client, auth, place):
    from forum.messages.services import create_private_message

    message = as_member(app, "aino", lambda aino: create_private_message(aino, "Just us", "Hello", [user("fiona")])).id
    auth.login("fiona")
    assert client.get(f"/t/{message}/moderate").status_code == 403
