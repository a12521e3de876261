"""Who may put people into groups through an invitation: the same rule as adding a member to a group."""

import pytest

from forum.auth import services as auth_services
from forum.auth.models import Group, Invite, Role, User
from forum.core.errors import NotAllowed
from forum.extensions import db
from tests.auth.test_invites import _clear_outbox, _link, _mails
from tests.conftest import page_text


def _accept(client, link, username="niamh"):
    return client.post(
        link,
        data={"display_name": "Niamh Newcomer", "username": username, "password": "a long enough secret",
              "confirm": "a long enough secret"},
    )


def test_a_facilitators_invitation_cannot_put_someone_into_the_facilitators_group(app, client, auth, make):
    facilitators = make.group("Facilitators")
    make.facilitator("fiona")
    auth.login("fiona")
    response = client.post("/admin/invites", data={"email": "x@example.org", "role": "member", "groups": [facilitators]})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.query(Invite).count() == 0


def test_the_invitation_service_refuses_groups_from_a_facilitator(app, make, ctx):
    group_id = make.group("Facilitators")
    fiona = db.session.get(User, make.facilitator("fiona"))
    with pytest.raises(NotAllowed):
        auth_services.invite_member(fiona, "x@example.org", groups=[db.session.get(Group, group_id)])


def test_facilitators_are_not_offered_groups_on_the_invitation_form(app, client, auth, make):
    make.group("Facilitators")
    make.facilitator("fiona")
    auth.login("fiona")
    page = client.get("/admin/invites").get_data(as_text=True)
    assert 'name="groups"' not in page


def test_an_administrators_invitation_puts_the_newcomer_into_its_groups(app, client, auth, make):
    _clear_outbox(app)
    group_id = make.group("Team Helsinki")
    make.admin("ada")
    auth.login("ada")
    page = client.get("/admin/invites").get_data(as_text=True)
    assert 'name="groups"' in page
    assert client.post("/admin/invites", data={"email": "n@example.org", "role": "member", "groups": [group_id]}).status_code == 302
    auth.logout()
    assert _accept(client, _link(_mails(app)[0], "/invite/")).status_code == 302
    with app.app_context():
        assert [g.id for g in db.session.query(User).filter_by(username="niamh").one().groups] == [group_id]


def test_an_invitation_whose_sender_may_no_longer_grant_it_cannot_be_accepted(app, client, auth, make):
    _clear_outbox(app)
    group_id = make.group("Facilitators")
    ada = make.admin("ada")
    auth.login("ada")
    client.post("/admin/invites", data={"email": "n@example.org", "role": "facilitator", "groups": [group_id]})
    auth.logout()
    with app.app_context():
        db.session.get(User, ada).role = Role.MEMBER
        db.session.commit()
    link = _link(_mails(app)[0], "/invite/")
    response = client.get(link)
    assert response.status_code == 410
    assert "no longer valid" in page_text(response)
    assert _accept(client, link).status_code == 410
    with app.app_context():
        assert db.session.query(User).filter_by(username="niamh").first() is None
