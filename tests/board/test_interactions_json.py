"""Like and the notification level in place: JSON answers for the script, errors as JSON with a code and a
message (permissions, a missing CSRF token), and the plain forms still redirect without JavaScript."""

import pytest
from sqlalchemy import select

from forum import create_app
from forum.board.models import Post, Topic, Visibility
from forum.extensions import db
from forum.tracking.models import NotificationLevel, TopicUser
from tests.conftest import PASSWORD

JSON = {"Accept": "application/json"}


def _first_post(app, topic_id) -> Post:
    with app.app_context():
        return db.session.execute(select(Post).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def test_liking_in_place_says_what_changed_for_the_live_region(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    post = _first_post(app, make.topic(aino, make.category()))
    auth.login("mikko")
    liked = client.post(f"/p/{post.id}/like", headers=JSON).get_json()
    assert liked == {"liked": True, "like_count": 1, "like_count_label": "1 like", "message": "You liked post #1."}
    undone = client.post(f"/p/{post.id}/like", headers=JSON).get_json()
    assert undone == {"liked": False, "like_count": 0, "like_count_label": "", "message": "You took back your like of post #1."}


def test_liking_ones_own_post_is_refused_as_json(app, client, auth, make):
    aino = make.user("aino")
    post = _first_post(app, make.topic(aino, make.category()))
    auth.login("aino")
    response = client.post(f"/p/{post.id}/like", headers=JSON)
    assert response.status_code == 403
    assert response.get_json() == {"error": "not_allowed", "message": "You cannot like this post."}


def test_liking_a_post_the_member_cannot_read_is_not_found_as_json(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    team = make.group("Team", [aino])
    post = _first_post(app, make.topic(aino, make.category("Room", visibility=Visibility.GROUPS, group_ids=[team])))
    auth.login("mikko")
    response = client.post(f"/p/{post.id}/like", headers=JSON)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert _first_post(app, post.topic_id).like_count == 0


def test_the_like_button_without_javascript_still_goes_back_to_the_post(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category())
    post = _first_post(app, topic_id)
    auth.login("mikko")
    response = client.post(f"/p/{post.id}/like")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{topic_id}/1")


def test_the_notification_level_changes_in_place(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    response = client.post(f"/t/{topic_id}/level", data={"level": "watching"}, headers=JSON)
    assert response.get_json() == {"level": "watching", "message": "You are now watching this topic: every new post notifies you."}
    with app.app_context():
        assert db.session.get(TopicUser, (aino, topic_id)).notification_level == NotificationLevel.WATCHING
    refused = client.post(f"/t/{topic_id}/level", data={"level": "loud"}, headers=JSON)
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_level"
    assert client.post(f"/t/{topic_id}/level", data={"level": "muted"}).status_code == 302


def test_a_categorys_notification_level_changes_in_place(app, client, auth, make):
    make.user("aino")
    make.category("General")
    auth.login("aino")
    response = client.post("/c/general/level", data={"level": "tracking"}, headers=JSON)
    assert response.get_json()["level"] == "tracking"
    assert response.get_json()["message"].startswith("You are now tracking this category")


@pytest.mark.parametrize(("level", "said"), [
    ("watching", "You are now watching this topic"), ("tracking", "You are now tracking this topic"),
    ("normal", "This topic is back to normal"), ("muted", "You have muted this topic"),
])
def test_the_saved_level_is_named_in_the_answer_and_the_flash(client, auth, make, level, said):
    """The live region (JSON) and the flash (no script) say which level was chosen, not only that one was."""
    topic_id = make.topic(make.user("aino"), make.category())
    auth.login("aino")
    assert client.post(f"/t/{topic_id}/level", data={"level": level}, headers=JSON).get_json()["message"].startswith(said)
    page = client.post(f"/t/{topic_id}/level", data={"level": level}, follow_redirects=True)
    assert said in page.get_data(as_text=True)


@pytest.fixture
def csrf_app(app, tmp_path):
    """The same database with CSRF protection on, as in production."""
    return create_app(
        {
            "TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "csrf-on",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "RATELIMIT_ENABLED": False,
        }
    )


def _logged_in(csrf_app, username):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"login": username, "password": PASSWORD, "csrf_token": token})
    # Logging in starts a new session: the token the pages carry from now on.
    page = client.get("/latest").get_data(as_text=True)
    return client, page.split('<meta name="csrf-token" content="')[1].split('"')[0]


def test_in_place_actions_without_the_csrf_token_are_refused_as_json(app, csrf_app, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category())
    post = _first_post(app, topic_id)
    client, token = _logged_in(csrf_app, "mikko")
    for url, data in [(f"/p/{post.id}/like", {}), (f"/p/{post.id}/bookmark", {"preset": "tomorrow"}),
                      (f"/p/{post.id}/bookmark/remove", {}), (f"/t/{topic_id}/level", {"level": "watching"})]:
        response = client.post(url, data=data, headers=JSON)
        assert response.status_code == 400, url
        assert response.get_json()["error"] == "csrf_failed" and "expired" in response.get_json()["message"], url
    assert _first_post(app, topic_id).like_count == 0
    # The script's header carries the token: then the like goes through.
    response = client.post(f"/p/{post.id}/like", headers={**JSON, "X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["liked"] is True


def _topic_of_twelve_posts(app, make) -> str:
    """Aino's topic of twelve posts, and its address."""
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    for n in range(2, 13):
        make.post(aino, topic_id, f"Reply {n}")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic_id}"


def test_jump_to_a_post_number_leads_to_that_post(app, client, auth, make):
    base = _topic_of_twelve_posts(app, make)
    auth.login("aino")
    assert client.get(f"{base}/jump?n=7").headers["Location"].endswith(f"{base}/7")
    # Out of range, or not a number: the nearest end of the topic.
    assert client.get(f"{base}/jump?n=999").headers["Location"].endswith(f"{base}/12")
    assert client.get(f"{base}/jump?n=0").headers["Location"].endswith(f"{base}/1")
    assert client.get(f"{base}/jump?n=seven").headers["Location"].endswith(f"{base}/1")
    assert client.get(f"{base}/jump?n=9&view=threaded").headers["Location"].endswith(f"{base}/9?view=threaded")
    landed = client.get(f"{base}/jump?n=7", follow_redirects=True)
    assert landed.request.path == base and landed.request.args.get("page") == "2"


def test_jumping_in_a_topic_the_member_cannot_read_is_not_found(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    team = make.group("Team", [aino])
    topic_id = make.topic(aino, make.category("Room", visibility=Visibility.GROUPS, group_ids=[team]))
    auth.login("mikko")
    assert client.get(f"/t/x/{topic_id}/jump?n=1").status_code == 404


def test_the_topic_page_shows_where_the_reader_is_and_a_go_to_post_form(app, client, auth, make):
    base = _topic_of_twelve_posts(app, make)
    auth.login("aino")
    html = client.get(f"{base}?page=2").get_data(as_text=True)
    assert '<span class="position-now">6 of 12</span>' in html
    assert f'action="{base}/jump"' in html and 'name="n" min="1" max="12" value="6"' in html
