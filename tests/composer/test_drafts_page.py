"""The Drafts page lists what a member has left unfinished, where it belongs and when it was saved; names for
completion include the groups the member may write to."""

import re

from sqlalchemy import select

from forum.auth.models import Group, MentionPolicy, User
from forum.board.models import Topic, Visibility
from forum.composer.models import Draft
from forum.extensions import db
from forum.users import avatars
from tests.conftest import page_text
from tests.users.test_avatars import _photo, _upload


def test_drafts_page_lists_each_draft_with_its_place_and_opens_and_discards_it(app, client, auth, make):
    aino = make.user("aino")
    category_id = make.category("Study circles")
    topic_id = make.topic(aino, category_id, title="Reading lists")
    auth.login("aino")
    client.put(f"/drafts/reply:{topic_id}", json={"raw": "My list so far"})
    client.put(f"/drafts/topic:{category_id}", json={"raw": "Agenda", "title": "Spring meeting"})
    response = client.get("/drafts")
    text = page_text(response)
    assert "Reply in “Reading lists”" in text and "My list so far" in text
    assert "New topic in Study circles" in text and "Spring meeting" in text
    html = response.get_data(as_text=True)
    assert f'href="/t/reading-lists/{topic_id}/reply"' in html
    assert 'href="/c/study-circles/new-topic"' in html
    assert html.count("<time datetime=") == 2
    client.post(f"/drafts/reply:{topic_id}/discard", data={"next": "/drafts"})
    text = page_text(client.get("/drafts"))
    assert "Reading lists" not in text and "Spring meeting" in text


def test_drafts_page_is_newest_first_and_empty_says_so(app, client, auth, make):
    aino = make.user("aino")
    category_id = make.category("General")
    first = make.topic(aino, category_id, title="First topic")
    second = make.topic(aino, category_id, title="Second topic")
    auth.login("aino")
    assert "No drafts." in page_text(client.get("/drafts"))
    client.put(f"/drafts/reply:{first}", json={"raw": "older"})
    client.put(f"/drafts/reply:{second}", json={"raw": "newer"})
    text = page_text(client.get("/drafts"))
    assert text.index("Second topic") < text.index("First topic")


def test_a_draft_for_a_topic_the_member_can_no_longer_see_shows_no_title_but_can_be_discarded(app, client, auth, make):
    aino = make.user("aino")
    staff_room = make.category("Staff room", visibility=Visibility.GROUPS, group_ids=[make.group("staff-team")])
    secret = make.topic(make.admin(), staff_room, title="Budget secrets")
    auth.login("aino")
    with app.app_context():
        db.session.add(Draft(user_id=aino, key=f"reply:{secret}", raw="I heard"))
        db.session.commit()
    response = client.get("/drafts")
    text = page_text(response)
    assert "Budget secrets" not in text and "Staff room" not in text
    assert "A draft for a topic you can no longer open" in text
    assert f"/drafts/reply:{secret}/discard" in response.get_data(as_text=True)


def test_drafts_page_takes_a_constant_number_of_queries(app, client, auth, make, count_queries):
    aino = make.user("aino")
    category_id = make.category("General")
    auth.login("aino")
    client.put(f"/drafts/topic:{category_id}", json={"raw": "x", "title": "y"})
    client.put(f"/drafts/reply:{make.topic(aino, category_id)}", json={"raw": "z"})
    client.get("/drafts")
    with count_queries() as few:
        client.get("/drafts")
    for n in range(5):
        topic_id = make.topic(aino, make.category(f"Area {n}"), title=f"Topic {n}")
        client.put(f"/drafts/reply:{topic_id}", json={"raw": f"reply {n}"})
    with count_queries() as many:
        client.get("/drafts")
    assert many.n == few.n


def test_drafts_are_in_the_account_menu(app, client, auth, make):
    make.user("aino")
    auth.login("aino")
    html = client.get("/drafts").get_data(as_text=True)
    nav = html.split('class="account-nav"')[1].split("</nav>")[0]
    assert re.search(r'<a href="/drafts"[^>]*aria-current="page"[^>]*>Drafts</a>', nav)


def test_visitors_are_asked_to_log_in_for_drafts(client):
    assert client.get("/drafts").status_code == 302


def test_names_complete_members_and_the_groups_one_may_write_to(app, client, auth, make):
    aino = make.user("aino", display_name="Aino Virtanen")
    make.user("aila", display_name="Aila Mäki")
    make.group("aino-team", member_ids=[aino])
    closed = make.group("ainola-staff")
    with app.app_context():
        db.session.get(Group, closed).mention_policy = MentionPolicy.NOBODY
        db.session.commit()
    auth.login("aila")
    data = client.get("/composer/names?q=ain").get_json()
    assert [m["username"] for m in data["members"]] == ["aino"]
    assert data["groups"] == [], "a group of which aila is not a member, nor open to all"
    auth.logout()
    auth.login("aino")
    data = client.get("/composer/names?q=@ain").get_json()
    assert [g["slug"] for g in data["groups"]] == ["aino-team"]
    assert client.get("/composer/names?q=").get_json()["error"] == "invalid_query"


def test_names_give_members_their_picture_or_initials_and_groups_none_in_a_fixed_number_of_queries(
    app, client, auth, make, count_queries
):
    aino = make.user("aino", display_name="Aino Virtanen")
    make.group("aino-team", member_ids=[aino])
    auth.login("aino")
    _upload(client, _photo())
    client.get("/composer/names?q=ai")
    with count_queries() as few:
        data = client.get("/composer/names?q=ai").get_json()
    with app.app_context():
        picture = f"/avatars/{aino}/48/{db.session.get(User, aino).avatar}"
    assert data["members"][0]["avatar"] == {"url": picture, "initials": "AV", "colour": avatars.colour_index("aino")}
    assert "avatar" not in data["groups"][0]
    for n in range(4):
        make.user(f"aila{n}", display_name=f"Aila Mäki {n}")
    with count_queries() as many:
        data = client.get("/composer/names?q=ai").get_json()
    assert len(data["members"]) == 5 and many.n == few.n, many.statements
    by_username = {member["username"]: member["avatar"] for member in data["members"]}
    assert by_username["aila0"] == {"url": None, "initials": "A0", "colour": avatars.colour_index("aila0")}


def test_unknown_draft_keys_lead_nowhere(app, client, auth, make):
    make.user("aino")
    auth.login("aino")
    assert client.post("/drafts/nonsense/discard", data={"next": "/latest"}).headers["Location"].endswith("/latest")
    with app.app_context():
        assert db.session.execute(select(Topic)).first() is None
