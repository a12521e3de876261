"""Splitting posts off into a new topic and merging topics keep every link working: the old topic's address and
its posts' old addresses redirect to where they went, permalinks follow the posts, and counts stay right."""

import pytest
from sqlalchemy import select

from forum.board.models import Category, Post, Topic
from forum.extensions import db
from forum.moderation import topic_moves
from forum.moderation.models import PostMove
from forum.tracking.models import NotificationLevel, TopicUser
from tests.conftest import page_text
from tests.moderation.topic_setup import audit_rows, build, posts_of, topic, user
from tests.search.test_search_page import hit_titles


@pytest.fixture
def place(app, make):
    """The Garden topic with six posts: 3 answers 2, 4 and 5 answer 3, 6 answers 1."""
    place = build(app, make)
    make.post(place.ben, place.topic, "Two: only cherry tomatoes.")
    make.post(place.aino, place.topic, "Three: which cherry varieties?", reply_to=2)
    make.post(place.ben, place.topic, "Four: Sungold, say.", reply_to=3)
    make.post(place.fiona, place.topic, "Five: let us talk varieties elsewhere.", reply_to=3)
    make.post(place.ben, place.topic, "Six: back to shade.", reply_to=1)
    return place


def post_id(app, topic_id, number):
    with app.app_context():
        return db.session.execute(
            select(Post.id).where(Post.topic_id == topic_id, Post.post_number == number)
        ).scalar_one()


def split(client, topic_id, numbers, title="Cherry tomato varieties", category_id=None):
    data = {"split-post_numbers": numbers, "split-title": title}
    if category_id is not None:
        data["split-category_id"] = category_id
    return client.post(f"/t/{topic_id}/moderate/split", data=data)


def test_split_posts_keep_their_order_and_their_old_links_lead_to_them(app, client, auth, place, search):
    three, five = post_id(app, place.topic, 3), post_id(app, place.topic, 5)
    auth.login("fiona")
    response = split(client, place.topic, [3, 5], category_id=place.general)
    assert response.status_code == 302
    with app.app_context():
        new = db.session.execute(select(Topic).where(Topic.title == "Cherry tomato varieties")).scalar_one()
        new_id, new_url = new.id, f"/t/{new.slug}/{new.id}"
    assert response.headers["Location"] == new_url

    assert posts_of(app, new_id) == [(1, "Three: which cherry varieties?"), (2, "Five: let us talk varieties elsewhere.")]
    assert [n for n, _raw in posts_of(app, place.topic)] == [1, 2, 4, 6]
    auth.logout()
    auth.login("ben")
    old = client.get(f"/t/tomatoes-in-the-shade/{place.topic}/3")
    assert old.status_code == 301 and old.headers["Location"] == f"{new_url}/1"
    assert client.get(f"/t/tomatoes-in-the-shade/{place.topic}/5").headers["Location"] == f"{new_url}/2"
    assert client.get(f"/t/tomatoes-in-the-shade/{place.topic}/5", follow_redirects=True).request.path == new_url
    assert client.get(f"/p/{five}").headers["Location"] == f"{new_url}?page=1#post-2"
    assert client.get(f"/p/{three}").headers["Location"] == f"{new_url}?page=1#post-1"
    # A post that stayed still leads to its own place.
    assert client.get(f"/t/tomatoes-in-the-shade/{place.topic}/4").headers["Location"].endswith(f"/{place.topic}?page=1#post-4")
    page = page_text(client.get(new_url))
    assert "Cherry tomato varieties" in page and "Five: let us talk varieties elsewhere." in page

    search.sync()
    assert "Cherry tomato varieties" in hit_titles(client.get("/search?q=varieties"))


def test_split_mends_reply_links_and_counts(app, client, auth, place):
    auth.login("fiona")
    split(client, place.topic, [3, 5], category_id=place.general)
    with app.app_context():
        new = db.session.execute(select(Topic).where(Topic.title == "Cherry tomato varieties")).scalar_one()
        old = db.session.get(Topic, place.topic)
        by_number = {p.post_number: p for p in db.session.execute(select(Post).where(Post.topic_id == new.id)).scalars()}
        stayed = {p.post_number: p for p in db.session.execute(select(Post).where(Post.topic_id == old.id)).scalars()}
        # Five answered three, and still does under their new numbers; three answered two, which stayed behind.
        assert by_number[2].reply_to_post_number == 1 and by_number[1].reply_to_post_number is None
        assert by_number[1].reply_count == 1 and stayed[2].reply_count == 0
        # Four stayed, and keeps its number of three, whose old address leads to it.
        assert stayed[4].reply_to_post_number == 3
        assert (new.post_count, new.highest_post_number, new.user_id, new.category_id) == (2, 2, place.aino, place.general)
        assert (old.post_count, old.highest_post_number) == (4, 6)
        assert old.last_post_at == stayed[6].created_at and new.last_post_at == by_number[2].created_at
        assert new.participant_count == 2 and old.participant_count == 2  # aino and ben stay; fiona's post left
        garden, general = db.session.get(Category, place.garden), db.session.get(Category, place.general)
        assert (garden.topic_count, garden.post_count, general.topic_count, general.post_count) == (1, 4, 1, 2)
        moves = db.session.execute(select(PostMove.old_post_number).where(PostMove.old_topic_id == old.id)).scalars()
        assert sorted(moves) == [3, 5]
    [row] = audit_rows(app, "topic.split")
    assert row["before"] == {"post_numbers": [3, 5]} and row["after"]["category_id"] == place.general


def test_a_split_is_refused_without_posts_with_the_first_post_or_by_a_member(app, client, auth, place):
    auth.login("fiona")
    response = split(client, place.topic, [])
    assert response.status_code == 400 and "Choose the posts to move." in page_text(response)
    with app.test_request_context(), pytest.raises(topic_moves.DomainError, match="first post stays"):
        topic_moves.split_topic(user("fiona"), topic(place.topic), [1, 2], "Everything", topic(place.topic).category)
    auth.logout()
    auth.login("ben")
    assert split(client, place.topic, [3], category_id=place.garden).status_code == 403
    assert posts_of(app, place.topic)[2] == (3, "Three: which cherry varieties?")


def test_a_category_moderator_splits_into_their_own_category_only(app, client, auth, place):
    auth.login("mona")
    assert split(client, place.topic, [3], category_id=place.general).status_code == 400
    assert split(client, place.topic, [3], category_id=place.garden).status_code == 302
    assert len(posts_of(app, place.topic)) == 5


@pytest.fixture
def target(app, make, place):
    """A Garden topic with two posts that the first is merged into."""
    target = make.topic(place.ben, place.garden, title="Shade gardening", raw="What grows in shade?")
    make.post(place.aino, target, "Ferns and hostas.")
    return target


def test_a_merged_topic_s_posts_are_appended_and_its_addresses_redirect(app, client, auth, place, target, search):
    first, six = post_id(app, place.topic, 1), post_id(app, place.topic, 6)
    auth.login("fiona")
    response = client.post(f"/t/{place.topic}/moderate/merge", data={"merge-target": f"http://localhost/t/shade-gardening/{target}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/t/shade-gardening/{target}"
    auth.logout()

    numbers = [n for n, _raw in posts_of(app, target)]
    assert numbers == list(range(1, 9))
    assert posts_of(app, target)[2] == (3, "Do tomatoes grow in the shade?")
    assert posts_of(app, target)[7] == (8, "Six: back to shade.")

    auth.login("ben")
    for url in (f"/t/tomatoes-in-the-shade/{place.topic}", f"/t/{place.topic}", f"/t/old-slug/{place.topic}"):
        moved = client.get(url)
        assert (moved.status_code, moved.headers["Location"]) == (301, f"/t/shade-gardening/{target}")
    moved = client.get(f"/t/tomatoes-in-the-shade/{place.topic}/6")
    assert (moved.status_code, moved.headers["Location"]) == (301, f"/t/shade-gardening/{target}/8")
    assert client.get(f"/p/{six}").headers["Location"] == f"/t/shade-gardening/{target}?page=2#post-8"
    assert client.get(f"/p/{first}").headers["Location"] == f"/t/shade-gardening/{target}?page=1#post-3"
    # Reply links moved with the posts: six answered one, now three.
    page = client.get(f"/t/shade-gardening/{target}?page=2").get_data(as_text=True)
    assert "in reply to @aino #3" in page

    with app.app_context():
        merged, kept = db.session.get(Topic, place.topic), db.session.get(Topic, target)
        assert merged.deleted_at is not None and merged.is_locked and merged.post_count == 0
        assert (kept.post_count, kept.highest_post_number, kept.participant_count) == (8, 8, 3)
        garden = db.session.get(Category, place.garden)
        assert (garden.topic_count, garden.post_count) == (1, 8)
    [row] = audit_rows(app, "topic.merge")
    assert row["target_id"] == place.topic and row["after"] == {"topic_id": target}

    search.sync()
    assert set(hit_titles(client.get("/search?q=tomatoes"))) == {"Shade gardening"}  # two posts, both moved


def test_a_topic_merged_twice_leads_straight_to_the_last(app, client, auth, place, target, make):
    last = make.topic(place.fiona, place.garden, title="All about shade", raw="Shade, collected.")
    auth.login("fiona")
    client.post(f"/t/{place.topic}/moderate/merge", data={"merge-target": str(target)})
    client.post(f"/t/{target}/moderate/merge", data={"merge-target": f"/t/all-about-shade/{last}/1"})
    assert client.get(f"/t/x/{place.topic}").headers["Location"] == f"/t/all-about-shade/{last}"
    assert client.get(f"/t/x/{place.topic}/6").headers["Location"] == f"/t/all-about-shade/{last}/9"
    assert [n for n, _raw in posts_of(app, last)] == list(range(1, 10))


def test_merging_is_refused_into_itself_into_nothing_and_by_a_member(app, client, auth, place, target):
    auth.login("fiona")
    response = client.post(f"/t/{place.topic}/moderate/merge", data={"merge-target": str(place.topic)})
    assert response.status_code == 400 and "cannot be merged into itself" in page_text(response)
    response = client.post(f"/t/{place.topic}/moderate/merge", data={"merge-target": "https://elsewhere.example/x"})
    assert response.status_code == 400 and "There is no such topic." in page_text(response)
    auth.logout()
    auth.login("ben")
    assert client.post(f"/t/{place.topic}/moderate/merge", data={"merge-target": str(target)}).status_code == 403
    assert len(posts_of(app, target)) == 2


def test_the_old_address_does_not_reveal_a_topic_the_reader_cannot_open(app, client, auth, place, make):
    from forum.board.models import Visibility

    team = make.group("Team", [place.fiona])
    closed = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    hidden = make.topic(place.fiona, closed, title="Team shade notes", raw="Private notes.")
    auth.login("fiona")
    client.post(f"/t/{place.topic}/moderate/merge", data={"merge-target": str(hidden)})
    auth.logout()
    auth.login("ben")
    assert client.get(f"/t/tomatoes-in-the-shade/{place.topic}").status_code == 404
    assert client.get(f"/t/tomatoes-in-the-shade/{place.topic}/2").status_code == 404


def test_members_watching_a_merged_topic_watch_where_its_conversation_went(app, client, auth, place, target):
    auth.login("ben")
    assert client.post(f"/t/{place.topic}/level", data={"level": "watching"}).status_code == 302
    auth.logout()
    auth.login("fiona")
    client.post(f"/t/{place.topic}/moderate/merge", data={"merge-target": f"/t/shade-gardening/{target}"})
    auth.logout()
    with app.app_context():
        state = db.session.get(TopicUser, (user("ben").id, target))
        assert state is not None and state.notification_level == NotificationLevel.WATCHING
