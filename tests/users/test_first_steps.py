"""A newcomer's welcome on Latest: three first steps, shown until put away, never to members of long standing."""

from datetime import timedelta

from sqlalchemy import update

from forum.auth.models import User
from forum.board.models import Visibility
from forum.core.models import utcnow
from forum.extensions import db
from tests.conftest import page_text

WELCOME = "Welcome to Fellowship, Niamh"


def _newcomer(client, auth, make):
    user_id = make.user("niamh", display_name="Niamh")
    auth.login("niamh")
    return user_id


def test_a_newcomer_is_welcomed_with_three_first_steps(client, auth, make):
    _newcomer(client, auth, make)
    response = client.get("/latest")
    text = page_text(response)
    assert WELCOME in text
    html = response.get_data(as_text=True)
    for link in ('href="/my/welcome/introduce">Introduce yourself', 'href="/experiments">See the experiments',
                 'href="/my/preferences">Set your preferences'):
        assert link in html


def test_the_welcome_put_away_is_not_shown_again(app, client, auth, make):
    user_id = _newcomer(client, auth, make)
    response = client.post("/my/welcome/dismiss")
    assert response.status_code == 302 and response.headers["Location"] == "/latest"
    latest = client.get("/latest")
    assert WELCOME not in page_text(latest) and "You will not see the welcome again" in page_text(latest)
    assert WELCOME not in page_text(client.get("/latest"))
    with app.app_context():
        assert db.session.get(User, user_id).welcome_dismissed_at is not None


def test_the_script_puts_the_welcome_away_with_a_json_answer(client, auth, make):
    _newcomer(client, auth, make)
    response = client.post("/my/welcome/dismiss", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json() == {"dismissed": True}
    assert WELCOME not in page_text(client.get("/latest"))


def test_members_of_long_standing_and_visitors_see_no_welcome(app, client, auth, make):
    user_id = _newcomer(client, auth, make)
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(created_at=utcnow() - timedelta(days=15)))
        db.session.commit()
    assert WELCOME not in page_text(client.get("/latest"))
    auth.logout()
    assert "Welcome to Fellowship" not in page_text(client.get("/latest"))


def test_putting_the_welcome_away_needs_a_login(client):
    response = client.post("/my/welcome/dismiss")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_introduce_yourself_opens_a_new_topic_in_introductions(client, auth, make):
    make.category("General", position=1)
    make.category("Introductions", slug="introductions", position=5)
    _newcomer(client, auth, make)
    response = client.get("/my/welcome/introduce")
    assert response.headers["Location"] == "/c/introductions/new-topic"


def test_without_introductions_it_opens_a_new_topic_where_the_newcomer_may_start_one(client, auth, make):
    make.category("Noticeboard", slug="noticeboard", position=1, staff_only_topics=True)
    team = make.group("Team", [make.user("teammate")])
    make.category("Team room", slug="team-room", position=2, visibility=Visibility.GROUPS, group_ids=[team])
    make.category("General", slug="general", position=3)
    _newcomer(client, auth, make)
    assert client.get("/my/welcome/introduce").headers["Location"] == "/c/general/new-topic"


def test_with_no_category_open_to_new_topics_it_lists_the_categories(client, auth, make):
    make.category("Noticeboard", slug="noticeboard", staff_only_topics=True)
    _newcomer(client, auth, make)
    assert client.get("/my/welcome/introduce").headers["Location"] == "/categories"
