"""A member's preferences: the display name is cleaned and may not pass for a facilitator's."""

from forum.auth.models import User
from forum.extensions import db
from tests.conftest import PASSWORD


def _save(client, display_name, organisation=""):
    return client.post(
        "/my/preferences",
        data={"action": "preferences", "display_name": display_name, "organisation": organisation, "bio": "", "timezone": ""},
    )


def test_display_name_change_to_a_facilitators_lookalike_is_refused(app, client, auth, make):
    make.facilitator("fiona")
    aino = make.user("aino")
    auth.login("aino")
    response = _save(client, "F\u0456ona")  # Cyrillic і
    assert response.status_code == 200
    assert "too close to the name of a facilitator" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, aino).display_name == "Aino"


def test_display_name_and_organisation_are_saved_without_bidi_or_zero_width_characters(app, client, auth, make):
    aino = make.user("aino")
    auth.login("aino")
    assert _save(client, "\u202eAino\u200b Virtanen", "Jyväskylä\u2066 University").status_code == 302
    with app.app_context():
        user = db.session.get(User, aino)
        assert (user.display_name, user.organisation) == ("Aino Virtanen", "Jyväskylä University")


def test_a_facilitator_keeps_their_own_name_when_saving_preferences(app, client, auth, make):
    fiona = make.facilitator("fiona")
    auth.login("fiona")
    assert _save(client, "Fiona").status_code == 302
    with app.app_context():
        assert db.session.get(User, fiona).display_name == "Fiona"


def test_guessing_the_current_password_on_the_preferences_page_is_limited(app, tmp_path, make):
    """Someone holding a stolen session cannot try passwords there without end."""
    from forum import create_app
    from forum.extensions import limiter

    make.user("aino")
    strict = create_app(
        {
            "TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "strict",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "FORUM_JOBS_IMMEDIATE": True,
        }
    )
    try:
        client = strict.test_client()
        client.post("/login", data={"login": "aino", "password": PASSWORD})
        statuses = [
            client.post(
                "/my/preferences",
                data={"action": "password", "pw-current_password": f"guess {n}", "pw-password": "a brand new secret",
                      "pw-confirm": "a brand new secret"},
            ).status_code
            for n in range(6)
        ]
        assert statuses == [200] * 5 + [429]
        assert _save(client, "Aino V").status_code == 302  # other preferences are not held up
    finally:
        limiter.reset()
        limiter.enabled = app.config["RATELIMIT_ENABLED"]
