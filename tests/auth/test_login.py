"""Logging in and out, remember me, session fixation, rate limits, CSRF."""

import pytest

from forum import create_app
from forum.extensions import limiter
from tests.conftest import PASSWORD, page_text


def test_member_logs_in_with_username_or_email_and_logs_out(client, auth, make):
    make.user("aino", email="Aino.V@example.org")
    response = auth.login("AINO")
    assert response.status_code == 302
    assert "Aino" in page_text(client.get("/latest"))
    auth.logout()
    assert client.get("/my/preferences").status_code == 302
    assert auth.login("aino.v@example.org").status_code == 302


def test_wrong_password_gets_one_message_without_saying_which_part_was_wrong(client, auth, make):
    make.user("aino")
    for login in ("aino", "nobody"):
        response = auth.login(login, "not the password")
        assert response.status_code == 200
        assert "do not match an account" in page_text(response)


def test_login_follows_only_local_next_links(client, make):
    make.user("aino")
    for target, expected in [("/c/general", "/c/general"), ("https://evil.example/", "/latest"), ("//evil.example", "/latest")]:
        response = client.post(f"/login?next={target}", data={"login": "aino", "password": PASSWORD})
        assert response.headers["Location"] == expected
        client.post("/logout")


def test_remember_me_sets_a_lasting_httponly_cookie(client, auth, make):
    make.user("aino")
    response = auth.login("aino", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember and "Expires=" in remember
    session = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_login_starts_a_fresh_session(app, client, auth, make):
    """Against session fixation: whatever the visitor's session held before login is dropped."""
    make.user("aino")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("aino")
    with client.session_transaction() as session, app.app_context():
        assert "planted" not in session
        assert _session_is_open(session["_user_id"])


def _session_is_open(login_id: str) -> bool:
    from forum.auth.sessions import find_session

    return find_session(login_id) is not None


def test_password_change_logs_out_other_devices(app, auth, make):
    make.user("aino")
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/login", data={"login": "aino", "password": PASSWORD})
    phone.post("/login", data={"login": "aino", "password": PASSWORD})
    response = laptop.post(
        "/my/preferences",
        data={"action": "password", "pw-current_password": PASSWORD, "pw-password": "a brand new secret",
              "pw-confirm": "a brand new secret"},
    )
    assert response.status_code == 302
    assert laptop.get("/my/preferences").status_code == 200
    assert phone.get("/my/preferences").status_code == 302


def test_suspended_member_cannot_log_in(app, auth, make):
    from forum.auth.models import User
    from forum.extensions import db

    user_id = make.user("aino")
    with app.app_context():
        db.session.get(User, user_id).is_suspended = True
        db.session.commit()
    response = auth.login("aino")
    assert response.status_code == 403 and "Your account is suspended" in response.get_data(as_text=True)
    assert auth.client.get("/my/preferences").status_code == 302


def _csrf_token(response) -> str:
    return response.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


@pytest.fixture
def strict_app(app, tmp_path):
    """The same database, with CSRF and rate limits on as in production."""
    strict = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "strict",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "FORUM_LOGIN_LIMIT": "3 per minute",
            "FORUM_POST_LIMIT": "2 per minute",
        }
    )
    yield strict
    # Flask-Limiter keeps its state on the one shared extension object: hand it back switched off.
    limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def test_login_is_rate_limited(strict_app, make):
    make.user("aino")
    client = strict_app.test_client()
    responses = []
    for _ in range(4):
        token = _csrf_token(client.get("/login"))
        responses.append(client.post("/login", data={"login": "aino", "password": "wrong", "csrf_token": token}))
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "too often" in page_text(responses[-1])


def test_forms_without_a_csrf_token_are_refused(strict_app, make):
    make.user("aino")
    client = strict_app.test_client()
    response = client.post("/login", data={"login": "aino", "password": PASSWORD})
    assert response.status_code == 400
    assert "form expired" in page_text(response)


def test_posting_is_rate_limited_per_member(strict_app, make):
    from forum.board.models import Topic
    from forum.extensions import db

    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    client = strict_app.test_client()
    client.post("/login", data={"login": "aino", "password": PASSWORD, "csrf_token": _csrf_token(client.get("/login"))})
    with strict_app.app_context():
        slug = db.session.get(Topic, topic_id).slug
    url = f"/t/{slug}/{topic_id}/reply"
    statuses = []
    for n in range(3):
        token = _csrf_token(client.get(url))
        statuses.append(client.post(url, data={"raw": f"reply {n}", "csrf_token": token}).status_code)
    assert statuses[:2] == [302, 302]
    assert statuses[2] == 429
