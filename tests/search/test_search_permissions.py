"""Nobody sees a hit, a snippet or a count from a post they could not open, whatever their role."""

import pytest
from sqlalchemy.orm import joinedload, selectinload

from forum.auth.models import Group, User
from forum.board import services as board_services
from forum.board.models import Category, Post, Topic, Visibility
from forum.extensions import db
from forum.messages import services as message_services
from forum.search import services as search_services
from tests.conftest import page_text
from tests.search.test_search_page import hit_titles


@pytest.fixture
def community(make, search):
    """One 'harvest' post in each kind of place, by a facilitator."""
    fiona = make.facilitator("fiona")
    aino = make.user("aino")
    make.user("outsider")
    make.admin("ada")
    team = make.group("Team", [aino])
    places = {}
    for name, visibility, groups in [
        ("Public", Visibility.PUBLIC, ()),
        ("Members", Visibility.MEMBERS, ()),
        ("Team room", Visibility.GROUPS, (team,)),
    ]:
        category = make.category(name, visibility=visibility, group_ids=groups)
        places[name] = make.topic(fiona, category, title=f"Harvest in {name}", raw=f"Harvest notes for {name}.")
    deleted = make.topic(fiona, make.category("Archive"), title="Harvest deleted", raw="Harvest deleted topic.")
    kept = make.topic(fiona, make.category("Lounge"), title="Harvest kept", raw="Harvest kept topic.")
    gone_reply = make.post(fiona, kept, "Harvest reply that was deleted.")
    with make.app.test_request_context():
        fiona_user = db.session.get(User, fiona)
        first = db.session.execute(db.select(Post).where(Post.topic_id == deleted).options(joinedload(Post.topic))).scalar_one()
        board_services.delete_post(fiona_user, first)
        board_services.delete_post(fiona_user, db.session.get(Post, gone_reply, options=[joinedload(Post.topic)]))
        message = message_services.create_private_message(
            fiona_user, "Harvest in private", "Harvest private message.", [db.session.get(User, aino)]
        )
        group_message = message_services.create_private_message(
            fiona_user, "Harvest for the team", "Harvest group message.", [], [db.session.get(Group, team)]
        )
        db.session.commit()
        places["pm"], places["group pm"] = message.id, group_message.id
    search.sync()
    return places


def titles(client, q="harvest"):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    return response, sorted(hit_titles(response))


@pytest.mark.parametrize(
    "who, expected",
    [
        (None, ["Harvest in Public"]),
        ("outsider", ["Harvest in Members", "Harvest in Public", "Harvest kept"]),
        ("aino", ["Harvest for the team", "Harvest in Members", "Harvest in Public", "Harvest in Team room",
                  "Harvest in private", "Harvest kept"]),
        # Facilitators read every category, but private messages only where they take part.
        ("ada", ["Harvest in Members", "Harvest in Public", "Harvest in Team room", "Harvest kept"]),
        ("fiona", ["Harvest for the team", "Harvest in Members", "Harvest in Public", "Harvest in Team room",
                   "Harvest in private", "Harvest kept"]),
    ],
)
def test_each_role_finds_exactly_what_it_may_open(client, auth, community, who, expected):
    if who:
        auth.login(who)
    response, found = titles(client)
    assert found == expected
    n = len(expected)
    assert f"{n} post{'s' if n != 1 else ''} found" in page_text(response)
    text = page_text(response)
    assert "deleted" not in text  # neither the deleted topic nor the deleted reply, even for staff


def test_type_ahead_respects_the_same_rules(client, auth, community):
    auth.login("outsider")
    found = client.get("/search/quick?q=harv").get_json()
    assert sorted(t["title"] for t in found["topics"]) == ["Harvest in Members", "Harvest in Public", "Harvest kept"]
    auth.logout()
    found = client.get("/search/quick?q=harv").get_json()
    assert [t["title"] for t in found["topics"]] == ["Harvest in Public"]
    assert found["members"] == []  # visitors do not see who the members are


def test_a_category_made_private_disappears_from_results_at_once(app, client, auth, make, community):
    auth.login("outsider")
    assert "Harvest in Members" in titles(client)[1]
    with app.test_request_context():
        category = db.session.execute(
            db.select(Category).where(Category.slug == "members").options(selectinload(Category.groups))
        ).scalar_one()
        category.visibility = Visibility.GROUPS
        category.groups = [db.session.execute(db.select(Group)).scalars().first()]
        db.session.commit()
    response, found = titles(client)
    assert "Harvest in Members" not in found
    assert "2 posts found" in page_text(response)


def test_a_hit_the_index_has_not_caught_up_with_is_never_shown(app, community):
    """Even if the index lags behind (a queued change not yet drained), the database decides."""
    with app.test_request_context():
        topic = db.session.get(Topic, community["Members"])
        topic.category_id = db.session.execute(
            db.select(Category.id).where(Category.slug == "team-room")
        ).scalar_one()
        db.session.commit()
        outsider = db.session.execute(db.select(User).where(User.username_key == "outsider")).scalar_one()
        results = search_services.search(outsider, "harvest")
        assert "Harvest in Members" not in [hit.topic.title for hit in results.hits]
        assert results.total == 2


def test_a_hidden_category_answers_as_if_it_did_not_exist(client, auth, community):
    auth.login("outsider")
    hidden = page_text(client.get("/search?q=harvest category:team-room"))
    missing = page_text(client.get("/search?q=harvest category:no-such-room"))
    assert "There is no category “team-room”." in hidden
    assert hidden.replace("team-room", "X") == missing.replace("no-such-room", "X")
