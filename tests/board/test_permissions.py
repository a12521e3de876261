"""Who reads and writes what: per role and per category visibility."""

import pytest

from forum.auth.models import Role
from forum.board.models import Topic, Visibility
from forum.extensions import db
from tests.conftest import page_text


@pytest.fixture
def community(make):
    """A public, a members-only and a team-only category, each with one topic."""
    author = make.facilitator("fiona")
    team_member = make.user("aino")
    make.user("outsider")
    make.admin("ada")
    team = make.group("Team: Learning cycles", [team_member])
    ids = {}
    for name, visibility, groups in [
        ("About the group", Visibility.PUBLIC, ()),
        ("Members lounge", Visibility.MEMBERS, ()),
        ("Team room", Visibility.GROUPS, (team,)),
    ]:
        category = make.category(name, visibility=visibility, group_ids=groups)
        ids[name] = make.topic(author, category, title=f"Topic in {name}")
    return ids


def _topic_url(app, topic_id):
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


@pytest.mark.parametrize(
    "who, readable",
    [
        (None, {"About the group"}),
        ("outsider", {"About the group", "Members lounge"}),
        ("aino", {"About the group", "Members lounge", "Team room"}),
        ("fiona", {"About the group", "Members lounge", "Team room"}),
        ("ada", {"About the group", "Members lounge", "Team room"}),
    ],
)
def test_each_role_reads_exactly_the_categories_it_may(app, client, auth, community, who, readable):
    if who:
        auth.login(who)
    latest = page_text(client.get("/latest"))
    categories = page_text(client.get("/categories"))
    for name, topic_id in community.items():
        response = client.get(_topic_url(app, topic_id))
        if name in readable:
            assert response.status_code == 200, name
            assert f"Topic in {name}" in latest
            assert name in categories
        else:
            assert response.status_code in (302, 404), name
            assert f"Topic in {name}" not in latest
            assert name not in categories


def test_visitors_are_sent_to_log_in_for_members_only_topics(app, client, community):
    response = client.get(_topic_url(app, community["Members lounge"]))
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_members_outside_a_group_get_404_not_a_hint(app, client, auth, community):
    auth.login("outsider")
    response = client.get(_topic_url(app, community["Team room"]))
    assert response.status_code == 404
    assert client.get("/c/team-room").status_code == 404
    assert client.post("/c/team-room/new-topic", data={"title": "Sneaky", "raw": "hi"}).status_code == 404


def test_outsider_cannot_reply_to_a_restricted_topic(app, client, auth, community):
    auth.login("outsider")
    url = _topic_url(app, community["Team room"])
    assert client.post(f"{url}/reply", data={"raw": "let me in"}).status_code == 404


def test_subcategory_of_a_restricted_parent_stays_hidden(app, client, auth, make):
    team = make.group("Team", [make.user("aino")])
    make.user("outsider")
    make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    with app.test_request_context():
        from forum.board.models import Category
        from forum.board.services import save_category
        from tests.conftest import Factory

        admin = Factory(app)._system_admin()
        parent = db.session.query(Category).filter_by(slug="team-room").one()
        save_category(admin, None, name="Drafts", parent=parent, visibility=Visibility.MEMBERS)
        db.session.commit()
    auth.login("outsider")
    assert client.get("/c/drafts").status_code == 404
    auth.logout()
    auth.login("aino")
    assert client.get("/c/drafts").status_code == 200


def test_only_staff_start_topics_in_a_noticeboard(app, client, auth, make):
    make.user("aino")
    make.facilitator("fiona")
    make.category("Noticeboard", staff_only_topics=True)
    auth.login("aino")
    assert "New topic" not in page_text(client.get("/c/noticeboard"))
    assert client.post("/c/noticeboard/new-topic", data={"title": "Hello all", "raw": "x"}).status_code == 403
    auth.logout()
    auth.login("fiona")
    assert client.post("/c/noticeboard/new-topic", data={"title": "Hello all", "raw": "x"}).status_code == 302


def test_members_edit_only_their_own_posts(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category())
    auth.login("mikko")
    post_id = _first_post_id(app, topic_id)
    assert client.get(f"/p/{post_id}/edit").status_code == 403
    assert client.post(f"/p/{post_id}/edit", data={"raw": "hijacked"}).status_code == 403
    assert client.post(f"/p/{post_id}/delete").status_code == 403


def test_facilitators_may_edit_others_posts(app, client, auth, make):
    aino = make.user("aino")
    make.facilitator("fiona")
    topic_id = make.topic(aino, make.category())
    auth.login("fiona")
    post_id = _first_post_id(app, topic_id)
    assert client.post(f"/p/{post_id}/edit", data={"raw": "Tidied by a facilitator", "title": "A topic about learning"}).status_code == 302


def test_admin_pages_are_for_staff_only(app, client, auth, make):
    make.user("aino")
    make.facilitator("fiona")
    auth.login("aino")
    for url in ["/admin/", "/admin/invites", "/admin/categories", "/admin/groups", "/admin/users"]:
        assert client.get(url).status_code == 403, url
    auth.logout()
    auth.login("fiona")
    assert client.get("/admin/invites").status_code == 200
    assert client.get("/admin/categories").status_code == 403


def test_admin_makes_a_category_restricted_to_a_group(app, client, auth, make):
    make.admin("ada")
    make.user("outsider")
    team = make.group("Plymouth team", [make.user("pat")])
    auth.login("ada")
    response = client.post(
        "/admin/categories/new",
        data={"name": "Family hubs room", "colour": "#aa3300", "parent_id": "0", "position": "3",
              "visibility": "groups", "groups": [str(team)]},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("outsider")
    assert client.get("/c/family-hubs-room").status_code == 404
    auth.logout()
    auth.login("pat")
    assert client.get("/c/family-hubs-room").status_code == 200


def test_restricted_category_without_groups_is_refused(app, client, auth, make):
    make.admin("ada")
    auth.login("ada")
    response = client.post(
        "/admin/categories/new",
        data={"name": "Secret", "colour": "#aa3300", "parent_id": "0", "position": "0", "visibility": "groups"},
    )
    assert response.status_code == 200
    assert "Choose at least one group" in page_text(response)


def test_admin_changes_a_role(app, client, auth, make):
    make.admin("ada")
    member = make.user("aino")
    auth.login("ada")
    client.post(f"/admin/users/{member}/role", data={"role": "facilitator"})
    with app.app_context():
        from forum.auth.models import User

        assert db.session.get(User, member).role == Role.FACILITATOR


def _first_post_id(app, topic_id):
    from sqlalchemy import select

    from forum.board.models import Post

    with app.app_context():
        return db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()
