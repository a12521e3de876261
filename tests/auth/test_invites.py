"""Invitations by email, and password reset by email: the links in the mail, their expiry and reuse."""

import email
import re
from datetime import timedelta
from pathlib import Path

from forum.auth.models import Invite, User
from forum.core.models import utcnow
from forum.extensions import db
from tests.conftest import page_text


def _mails(app) -> list[email.message.EmailMessage]:
    folder = Path(app.config["FORUM_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]


def _link(message, path_prefix: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://[^/\s]+({path_prefix}[^\s]+)", text).group(1)


def _clear_outbox(app):
    for f in Path(app.config["FORUM_OUTBOX_DIR"]).glob("*.eml"):
        f.unlink()


def _invite(client, auth, make, email_address="newcomer@example.org"):
    make.facilitator("fiona")
    auth.login("fiona")
    response = client.post("/admin/invites", data={"email": email_address, "role": "member", "message": "Welcome aboard!"})
    assert response.status_code == 302
    auth.logout()


def test_invitee_follows_the_emailed_link_and_becomes_a_member(app, client, auth, make):
    _clear_outbox(app)
    _invite(client, auth, make)
    [message] = _mails(app)
    assert message["To"] == "newcomer@example.org"
    assert "Welcome aboard!" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None
    link = _link(message, "/invite/")
    form = client.get(link)
    assert "Join Fellowship" in page_text(form)
    response = client.post(
        link,
        data={"display_name": "Niamh Newcomer", "username": "niamh", "password": "a long enough secret",
              "confirm": "a long enough secret", "timezone": "Europe/London"},
    )
    assert response.status_code == 302
    assert "Welcome, Niamh Newcomer" in page_text(client.get("/latest"))
    with app.app_context():
        user = db.session.query(User).filter_by(username="niamh").one()
        assert user.email == "newcomer@example.org" and user.timezone == "Europe/London"
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in page_text(again)


def test_invitee_may_give_an_organisation_and_a_one_line_bio_shown_on_their_profile(app, client, auth, make):
    _clear_outbox(app)
    _invite(client, auth, make)
    link = _link(_mails(app)[0], "/invite/")
    form = page_text(client.get(link))
    assert "Organisation (optional)" in form and "About you, in one line (optional)" in form
    response = client.post(
        link,
        data={"display_name": "Niamh Newcomer", "username": "niamh", "password": "a long enough secret",
              "confirm": "a long enough secret", "organisation": "Plymouth City Council\u200b",
              "bio": "  Family hubs, and what makes front-line teams trust each other.  "},
    )
    assert response.status_code == 302
    profile = page_text(client.get("/u/niamh"))
    assert "@niamh · Plymouth City Council" in profile
    assert "Family hubs, and what makes front-line teams trust each other." in profile


def test_invitee_may_leave_organisation_and_bio_empty(app, client, auth, make):
    _clear_outbox(app)
    _invite(client, auth, make)
    link = _link(_mails(app)[0], "/invite/")
    response = client.post(
        link,
        data={"display_name": "Niamh Newcomer", "username": "niamh", "password": "a long enough secret",
              "confirm": "a long enough secret", "organisation": "", "bio": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.query(User).filter_by(username="niamh").one()
        assert (user.organisation, user.bio) == (None, None)


def test_invitation_link_expires(app, client, auth, make):
    _clear_outbox(app)
    _invite(client, auth, make)
    link = _link(_mails(app)[0], "/invite/")
    with app.app_context():
        invite = db.session.query(Invite).one()
        invite.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in page_text(response)


def test_tampered_or_revoked_invitation_is_refused(app, client, auth, make):
    _clear_outbox(app)
    _invite(client, auth, make)
    link = _link(_mails(app)[0], "/invite/")
    assert client.get(link[:-3] + "abc").status_code == 410
    auth.login("fiona")
    with app.app_context():
        invite_id = db.session.query(Invite).one().id
    client.post(f"/admin/invites/{invite_id}/revoke")
    auth.logout()
    assert "not valid" in page_text(client.get(link))


def test_accepting_with_a_taken_username_or_bad_zone_explains_and_keeps_input(app, client, auth, make):
    _clear_outbox(app)
    make.user("aino")
    _invite(client, auth, make)
    link = _link(_mails(app)[0], "/invite/")
    response = client.post(
        link,
        data={"display_name": "Second Aino", "username": "Aino", "password": "a long enough secret",
              "confirm": "a long enough secret"},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "That username is taken" in text
    assert 'value="Second Aino"' in response.get_data(as_text=True)
    response = client.post(
        link,
        data={"display_name": "Second Aino", "username": "aino2", "password": "a long enough secret",
              "confirm": "a long enough secret", "timezone": "Mars/Olympus_Mons"},
    )
    assert response.status_code == 200
    assert "Not a valid choice" in page_text(response)


def test_inviting_an_existing_member_is_refused(app, client, auth, make):
    make.user("aino", email="aino@example.org")
    make.facilitator("fiona")
    auth.login("fiona")
    response = client.post("/admin/invites", data={"email": "AINO@example.org", "role": "member"})
    assert "already a member" in page_text(response)


def test_facilitators_cannot_invite_admins(app, client, auth, make):
    make.facilitator("fiona")
    auth.login("fiona")
    response = client.post("/admin/invites", data={"email": "x@example.org", "role": "admin"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.query(Invite).count() == 0


def test_password_reset_by_email_works_once(app, client, make):
    _clear_outbox(app)
    make.user("aino", email="aino@example.org")
    response = client.post("/password/forgot", data={"email": "aino@example.org"}, buffered=True)
    assert "If an account uses that address" in page_text(client.get(response.headers["Location"]))
    link = _link(_mails(app)[0], "/password/reset/")
    response = client.post(link, data={"password": "my new long password", "confirm": "my new long password"})
    assert response.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"login": "aino", "password": "my new long password"}).status_code == 302
    client.post("/logout")
    assert client.get(link).status_code == 410


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(app, client, make):
    _clear_outbox(app)
    response = client.post("/password/forgot", data={"email": "stranger@example.org"}, buffered=True)
    assert response.status_code == 302
    assert _mails(app) == []


def test_an_invitation_accepted_meanwhile_elsewhere_cannot_be_accepted_again(app, client, auth, make):
    """Two tabs (or two people with the link) sending the form at once: only the first makes an account."""
    from sqlalchemy import update

    from forum.auth import services
    from forum.core.errors import DomainError

    _clear_outbox(app)
    _invite(client, auth, make)
    token = _link(_mails(app)[0], "/invite/").rsplit("/", 1)[1]
    with app.test_request_context():
        pending = services.invite_from_token(token)  # this request has read the invitation as pending
        with db.engine.begin() as other_request:
            other_request.execute(update(Invite).values(accepted_at=utcnow()))
        try:
            services.accept_invite(token, username="niamh", display_name="Niamh", password="a long enough secret")
        except DomainError as error:
            assert "already been used" in str(error.message)
        else:
            raise AssertionError("accepted twice")
        finally:
            db.session.rollback()
        assert pending.id
