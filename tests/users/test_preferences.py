"""A member's preferences: the display name is cleaned and may not pass for a facilitator's."""

from forum.auth.models import User
from forum.extensions import db


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
