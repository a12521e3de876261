"""Names that would pass for someone else's: invisible characters, look-alike letters, near-identical usernames."""

import pytest

from forum.auth import names
from forum.auth import services as auth_services
from forum.auth.models import Role, User
from forum.core.errors import DomainError
from forum.extensions import db
from tests.auth.test_invites import _clear_outbox, _invite, _link, _mails
from tests.conftest import PASSWORD, page_text


def _create(username, display_name, role=Role.MEMBER):
    return auth_services.create_user(
        username=username, email=f"{username}@example.org", display_name=display_name, password=PASSWORD, role=role
    )


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("Ruth\u200b Admin", "Ruth Admin"),  # zero-width space
        ("\u202eRuth", "Ruth"),  # right-to-left override
        ("Ru\u2066th\u2069", "Ruth"),  # isolates
        ("\ufeffRuth\u00ad", "Ruth"),  # byte order mark, soft hyphen
        ("Ｒｕｔｈ", "Ruth"),  # full-width forms
        ("Ruth\x07  \t A", "Ruth A"),  # control characters, runs of spaces
    ],
)
def test_display_names_are_kept_without_invisible_characters(typed, kept):
    assert names.clean_name(typed) == kept


@pytest.mark.parametrize(
    "lookalike",
    ["Ruth Admin", "ruth admin", "Ruth  Admin.", "Ｒｕｔｈ Ａｄｍｉｎ", "R\u200buth Admin", "\u202eRuth Admin",
     "Rúth Admin", "Ruth Аdmin", "Ruth Adrnin", "Ruth Admln", "ruth_a"],
)
def test_a_member_cannot_take_a_name_that_passes_for_a_staff_members(ctx, lookalike):
    _create("ruth_a", "Ruth Admin", role=Role.ADMIN)
    with pytest.raises(DomainError) as refused:
        _create("newcomer", lookalike)
    assert refused.value.field == "display_name"


def test_ordinary_names_like_a_members_are_allowed(ctx):
    _create("ruth_a", "Ruth Admin", role=Role.ADMIN)
    _create("maria", "Maria")
    assert _create("maria2", "Maria").display_name == "Maria"
    assert _create("ruthie", "Ruth Adams").display_name == "Ruth Adams"


@pytest.mark.parametrize("near", ["aino.", "aino_", "Aino-", "AINO", "aino._"])
def test_usernames_that_differ_only_by_trailing_punctuation_or_case_are_taken(ctx, near):
    _create("aino", "Aino")
    with pytest.raises(DomainError) as refused:
        _create(near, "Another Aino")
    assert refused.value.field == "username"


def test_a_username_near_an_existing_one_with_trailing_punctuation_is_taken(ctx):
    _create("aino_", "Aino")
    with pytest.raises(DomainError):
        _create("aino", "Another Aino")


def test_reserved_usernames_cannot_be_taken_with_trailing_punctuation(ctx):
    for near in ("admin_", "staff.", "support-"):
        with pytest.raises(DomainError):
            _create(near, "Someone")


def test_full_width_usernames_are_read_as_their_plain_letters(ctx):
    assert _create("ａｉｎｏ", "Aino").username == "aino"


def test_invitee_cannot_take_a_facilitators_name(app, client, auth, make):
    _clear_outbox(app)
    _invite(client, auth, make)
    link = _link(_mails(app)[0], "/invite/")
    response = client.post(
        link,
        data={"display_name": "Ｆｉｏｎａ\u200b", "username": "newcomer", "password": "a long enough secret",
              "confirm": "a long enough secret"},
    )
    assert response.status_code == 200
    assert "too close to the name of a facilitator" in response.get_data(as_text=True)
    response = client.post(
        link,
        data={"display_name": "Niamh", "username": "fiona_", "password": "a long enough secret",
              "confirm": "a long enough secret"},
    )
    assert "too close to another member" in page_text(response)
    with app.app_context():
        assert db.session.query(User).filter_by(email="newcomer@example.org").first() is None


def test_create_admin_refuses_a_username_near_an_existing_one(app, make):
    make.user("ruth")
    result = app.test_cli_runner().invoke(
        args=["forum", "create-admin", "--username", "ruth.", "--email", "r2@example.org",
              "--display-name", "Ruth Two", "--password", "a long admin password"]
    )
    assert result.exit_code != 0
    assert "too close" in result.output
