"""A visitor who is not logged in: a script gets a JSON 401 it can act on, a browser the login page."""

import pytest

from forum.board.models import Visibility

JSON = {"Accept": "application/json"}


@pytest.fixture
def topic(make):
    author = make.user("aino")
    return make.topic(author, make.category("Members only", visibility=Visibility.MEMBERS))


@pytest.fixture
def post(app, make, topic):
    """The id of a reply in the topic."""
    return make.post(make.user("bruno"), topic)


def _assert_login_required(response):
    assert response.status_code == 401
    assert response.is_json
    assert response.get_json()["error"] == "login_required"
    assert "log in" in response.get_json()["message"].lower()


@pytest.mark.parametrize("method, path", [
    ("post", "/p/{post}/like"),
    ("post", "/p/{post}/bookmark"),
    ("post", "/t/{topic}/level"),
    ("get", "/notifications/menu"),
    ("get", "/composer/names?q=ai"),
])
def test_a_logged_out_script_asking_for_json_gets_a_json_401(client, topic, post, method, path):
    url = path.format(topic=topic, post=post)
    _assert_login_required(getattr(client, method)(url, headers=JSON))


def test_a_logged_out_script_sending_a_json_body_gets_a_json_401(client, topic):
    _assert_login_required(client.post(f"/t/{topic}/read", json={"post_number": 1}))


def test_a_logged_out_script_reading_a_members_only_topic_gets_a_json_401(client, topic):
    _assert_login_required(client.get(f"/t/a-topic-about-learning/{topic}", headers=JSON))


def test_a_logged_out_browser_is_still_sent_to_the_login_page_and_back(client, post):
    response = client.post(f"/p/{post}/like", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert f"%2Fp%2F{post}%2Flike" in response.headers["Location"]
    login_page = client.get(response.headers["Location"])
    assert "Please log in to see this page." in login_page.get_data(as_text=True)


def test_a_logged_out_browser_opening_a_members_only_topic_is_sent_to_the_login_page(client, topic):
    response = client.get(f"/t/a-topic-about-learning/{topic}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")

