"""Login limits: per address (behind a trusted proxy, the client's address) and a back-off per account."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import create_app
from forum.auth import throttle
from forum.auth.models import LoginFailure
from forum.core.models import utcnow
from forum.extensions import db, limiter
from tests.conftest import PASSWORD, page_text


@pytest.fixture
def limited_app(app, tmp_path):
    """The test database, with rate limits on; `limited_app(**config)` builds one."""

    def build(**config):
        return create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(tmp_path),
                "SECRET_KEY": "limited",
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": "memory://",
                "FORUM_JOBS_IMMEDIATE": True,
                **config,
            }
        )

    yield build
    # Flask-Limiter keeps its state on the one shared extension object: hand it back switched off.
    limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def _login(client, login, password="wrong password", address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/login", data={"login": login, "password": password}, headers=headers)


def test_eleven_failed_logins_from_one_address_for_different_accounts_are_limited(limited_app, make):
    for n in range(11):
        make.user(f"member{n}")
    client = limited_app().test_client()
    statuses = [_login(client, f"member{n}").status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]


def test_successful_logins_do_not_use_up_the_address_limit(limited_app, make):
    """A class logging in together from one school network is not locked out."""
    make.user("aino")
    app = limited_app(FORUM_LOGIN_LIMIT="3 per minute")
    for _ in range(5):
        client = app.test_client()
        assert _login(client, "aino", PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_forwarded_address_is_limited_on_its_own(limited_app):
    client = limited_app(FORUM_PROXY_HOPS=1, FORUM_LOGIN_LIMIT="3 per minute").test_client()
    first = [_login(client, f"name{n}", address="203.0.113.1").status_code for n in range(4)]
    assert first == [200, 200, 200, 429]
    assert _login(client, "other", address="203.0.113.2").status_code == 200


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(limited_app):
    client = limited_app(FORUM_LOGIN_LIMIT="3 per minute").test_client()
    statuses = [_login(client, f"name{n}", address=f"203.0.113.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def _expire_back_off(app):
    with app.app_context():
        for row in db.session.execute(select(LoginFailure)).scalars():
            row.blocked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()


def test_an_account_attacked_from_many_addresses_backs_off_even_for_the_right_password(limited_app, make):
    make.user("aino")
    app = limited_app(FORUM_PROXY_HOPS=1)
    client = app.test_client()
    for n in range(5):
        assert _login(client, "aino", address=f"198.51.100.{n}").status_code == 200
    refused = _login(client, "AINO ", PASSWORD, address="198.51.100.99")
    assert refused.status_code == 429
    assert "Too many failed attempts" in page_text(refused)
    assert client.get("/my/preferences").status_code == 302
    _expire_back_off(app)
    assert _login(client, "aino", PASSWORD, address="198.51.100.99").status_code == 302
    with app.app_context():
        assert db.session.execute(select(LoginFailure)).first() is None


def test_back_off_counts_the_username_and_the_email_of_an_account_together(limited_app, make):
    make.user("aino", email="aino@example.org")
    client = limited_app(FORUM_PROXY_HOPS=1).test_client()
    for n, login in enumerate(["aino", "aino@example.org"] * 2 + ["aino"]):
        _login(client, login, address=f"198.51.100.{n}")
    assert _login(client, "aino@example.org", PASSWORD, address="198.51.100.50").status_code == 429


def test_back_off_for_an_unknown_name_reads_the_same_as_for_a_member(limited_app, make):
    make.user("aino")
    client = limited_app(FORUM_PROXY_HOPS=1).test_client()
    texts = []
    for name in ("aino", "nobody-here"):
        for n in range(5):
            _login(client, name, address=f"192.0.2.{n}")
        response = _login(client, name, address="192.0.2.200")
        assert response.status_code == 429
        texts.append(page_text(response).replace(name, "NAME"))
    assert texts[0] == texts[1]


def test_back_off_doubles_from_one_minute_and_stops_at_fifteen(app, make):
    with app.test_request_context():
        delays = [throttle.delay_after(failures) for failures in range(1, 12)]
    minutes = [d.total_seconds() / 60 if d else 0 for d in delays]
    assert minutes == [0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15]


def test_failed_logins_are_forgotten_after_a_day(app, ctx):
    key = throttle.key_for(None, "someone")
    for _ in range(5):
        throttle.record_failure(key)
    assert throttle.blocked_for(key) is not None
    row = db.session.get(LoginFailure, key)
    row.last_failed_at = row.blocked_until = utcnow() - timedelta(days=2)
    db.session.flush()
    throttle.record_failure(key)
    assert db.session.get(LoginFailure, key).failures == 1
    assert throttle.blocked_for(key) is None
