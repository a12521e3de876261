"""Each logged-in device is a session the server can end: logout, log out everywhere, password change and reset."""

from datetime import timedelta

from sqlalchemy import func, select

from forum.auth.models import UserSession
from forum.core.models import utcnow
from forum.extensions import db
from tests.conftest import PASSWORD


def _login(app, username="aino", remember=False):
    client = app.test_client()
    data = {"login": username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def _cookie(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, name
    return cookie.value


def _is_logged_in(client) -> bool:
    return client.get("/my/preferences").status_code == 200


def _replay(app, **cookies):
    """A fresh browser that presents only the given cookies."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def test_copied_session_and_remember_cookies_stop_working_after_logout(app, make):
    make.user("aino")
    client = _login(app, remember=True)
    session_cookie, remember_cookie = _cookie(client, "session"), _cookie(client, "remember_token")
    assert _is_logged_in(_replay(app, session=session_cookie))
    assert _is_logged_in(_replay(app, remember_token=remember_cookie))
    assert client.post("/logout").status_code == 302
    assert not _is_logged_in(_replay(app, session=session_cookie))
    assert not _is_logged_in(_replay(app, remember_token=remember_cookie))
    assert not _is_logged_in(_replay(app, session=session_cookie, remember_token=remember_cookie))


def test_logout_ends_only_this_devices_session(app, make):
    make.user("aino")
    laptop, phone = _login(app), _login(app)
    laptop.post("/logout")
    assert not _is_logged_in(laptop)
    assert _is_logged_in(phone)


def test_logout_tells_the_browser_to_forget_the_remember_cookie(app, make):
    make.user("aino")
    client = _login(app, remember=True)
    response = client.post("/logout")
    cleared = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cleared and ("Max-Age=0" in cleared[0] or "1970" in cleared[0])


def test_log_out_everywhere_ends_every_session_of_the_member(app, make):
    make.user("aino")
    make.user("bruno")
    laptop, phone, other_member = _login(app), _login(app, remember=True), _login(app, "bruno")
    phone_remember = _cookie(phone, "remember_token")
    response = laptop.post("/logout/everywhere")
    assert response.status_code == 302
    assert not _is_logged_in(laptop)
    assert not _is_logged_in(phone)
    assert not _is_logged_in(_replay(app, remember_token=phone_remember))
    assert _is_logged_in(other_member)


def test_preferences_offer_log_out_everywhere_as_a_form(app, make):
    make.user("aino")
    page = _login(app).get("/my/preferences").get_data(as_text=True)
    assert 'action="/logout/everywhere"' in page
    assert "Log out everywhere" in page


def test_password_change_keeps_this_device_and_ends_the_others_remember_cookies(app, make):
    make.user("aino")
    laptop, phone = _login(app), _login(app, remember=True)
    phone_remember = _cookie(phone, "remember_token")
    response = laptop.post(
        "/my/preferences",
        data={"action": "password", "pw-current_password": PASSWORD, "pw-password": "a brand new secret",
              "pw-confirm": "a brand new secret"},
    )
    assert response.status_code == 302
    assert _is_logged_in(laptop)
    assert not _is_logged_in(phone)
    assert not _is_logged_in(_replay(app, remember_token=phone_remember))


def test_a_session_idle_longer_than_the_remember_period_is_over(app, make):
    make.user("aino")
    client = _login(app)
    with app.app_context():
        db.session.execute(
            UserSession.__table__.update().values(last_seen_at=utcnow() - timedelta(days=31))
        )
        db.session.commit()
    assert not _is_logged_in(client)


def test_reading_pages_notes_the_session_as_seen_at_most_every_few_minutes(app, make, count_queries):
    make.user("aino")
    client = _login(app)
    client.get("/latest")
    with count_queries() as quiet:
        client.get("/latest")
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in quiet.statements)
    long_ago = utcnow() - timedelta(hours=1)
    with app.app_context():
        db.session.execute(UserSession.__table__.update().values(last_seen_at=long_ago))
        db.session.commit()
    client.get("/latest")
    with app.app_context():
        seen = db.session.execute(select(func.max(UserSession.last_seen_at))).scalar_one()
    assert seen > long_ago + timedelta(minutes=50)


def test_the_cookie_names_a_session_whose_token_is_stored_only_as_a_hash(app, make):
    make.user("aino")
    client = _login(app)
    with client.session_transaction() as session:
        session_id, token = session["_user_id"].split(":")
    with app.app_context():
        row = db.session.get(UserSession, int(session_id))
        assert row is not None and token not in row.token_hash and len(row.token_hash) == 64


def test_log_out_everywhere_needs_the_forms_csrf_token(app, make, tmp_path):
    from forum import create_app

    make.user("aino")
    strict = create_app(
        {"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "strict", "RATELIMIT_ENABLED": False,
         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "FORUM_JOBS_IMMEDIATE": True}
    )
    client = strict.test_client()
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"login": "aino", "password": PASSWORD, "csrf_token": token})
    assert client.post("/logout/everywhere").status_code == 400
    assert _is_logged_in(client)
