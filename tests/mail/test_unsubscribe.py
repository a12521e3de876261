"""The unsubscribe link in every email: signed per member and kind, usable without logging in, one click from
a mail client (RFC 8058), and harmless when used twice."""

import base64
import json
import re

import pytest

from forum.extensions import db
from forum.mail.models import DigestFrequency, EmailPreferences, MailingListSubscription
from forum.mail.unsubscribe import make_token
from tests.conftest import page_text

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _token(app, user_id, kind):
    with app.app_context():
        return make_token(user_id, kind)


def _preferences(app, user_id) -> EmailPreferences | None:
    with app.app_context():
        row = db.session.get(EmailPreferences, user_id)
        if row is not None:
            db.session.expunge(row)
        return row


def _lists(app, user_id) -> set[int]:
    with app.app_context():
        rows = db.session.query(MailingListSubscription).filter_by(user_id=user_id).all()
        return {row.category_id for row in rows}


def _csrf_token(response) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.fixture
def csrf_on(app, monkeypatch):
    """CSRF checked, as in production (the test app leaves it off)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_the_unsubscribe_page_names_the_member_and_the_mail_without_a_login(app, client, make):
    aino = make.user("aino", display_name="Aino Aalto", email="aino.private@example.org")
    response = client.get(f"/email/unsubscribe/{_token(app, aino, 'mentions')}")
    text = page_text(response)
    assert response.status_code == 200
    assert "Stop emails when someone mentions you for Aino Aalto?" in text
    assert "aino.private@example.org" not in text
    assert _preferences(app, aino) is None  # looking changes nothing


def test_the_unsubscribe_button_turns_the_kind_off_without_a_login(app, client, make, csrf_on):
    aino = make.user("aino", display_name="Aino Aalto")
    url = f"/email/unsubscribe/{_token(app, aino, 'replies')}"
    response = client.post(url, data={"csrf_token": _csrf_token(client.get(url))})
    assert response.status_code == 200
    assert "Done: no more emails when someone replies to your post for Aino Aalto." in page_text(response)
    assert 'href="/my/email"' in response.get_data(as_text=True)
    preferences = _preferences(app, aino)
    assert preferences.replies is False and preferences.mentions is True


def test_a_mail_clients_one_click_post_unsubscribes_without_csrf_token_or_cookies(app, make, csrf_on):
    aino = make.user("aino")
    client = app.test_client(use_cookies=False)
    response = client.post(f"/email/unsubscribe/{_token(app, aino, 'digest')}", data=ONE_CLICK)
    assert response.status_code == 200
    assert _preferences(app, aino).digest == DigestFrequency.OFF


def test_a_one_click_post_sent_as_multipart_form_data_is_accepted_too(app, make, csrf_on):
    aino = make.user("aino")
    client = app.test_client(use_cookies=False)
    response = client.post(
        f"/email/unsubscribe/{_token(app, aino, 'watching')}", data=ONE_CLICK, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert _preferences(app, aino).watching is False


@pytest.mark.parametrize("body", [{}, {"List-Unsubscribe": "Something-Else"}, {**ONE_CLICK, "extra": "1"}])
def test_a_post_with_neither_a_csrf_token_nor_the_one_click_body_is_refused(app, client, make, csrf_on, body):
    aino = make.user("aino")
    response = client.post(f"/email/unsubscribe/{_token(app, aino, 'mentions')}", data=body)
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    assert _preferences(app, aino) is None


def test_a_token_for_one_member_cannot_be_altered_to_unsubscribe_another(app, client, make):
    aino = make.user("aino")
    bruno = make.user("bruno")
    payload, signature = _token(app, aino, "mentions").split(".")
    forged_payload = base64.urlsafe_b64encode(json.dumps([bruno, "mentions"]).encode()).decode().rstrip("=")
    forged = f"{forged_payload}.{signature}"
    for method in (client.get, client.post):
        response = method(f"/email/unsubscribe/{forged}", data=ONE_CLICK)
        assert response.status_code == 404
        assert "There is nothing here" in page_text(response)
    assert _preferences(app, bruno) is None


def test_a_made_up_token_shows_a_page_not_found_rather_than_an_error(client):
    response = client.get("/email/unsubscribe/not-a-token")
    assert response.status_code == 404
    assert "There is nothing here" in page_text(response)


def test_a_token_turns_off_only_its_own_members_mail(app, client, make):
    aino = make.user("aino")
    bruno = make.user("bruno")
    client.post(f"/email/unsubscribe/{_token(app, aino, 'messages')}", data=ONE_CLICK)
    assert _preferences(app, aino).messages is False
    assert _preferences(app, bruno) is None


def test_unsubscribing_twice_is_harmless(app, client, make):
    aino = make.user("aino")
    url = f"/email/unsubscribe/{_token(app, aino, 'quotes')}"
    assert client.post(url, data=ONE_CLICK).status_code == 200
    assert client.post(url, data=ONE_CLICK).status_code == 200
    assert _preferences(app, aino).quotes is False


def test_a_mailing_list_link_ends_mail_from_that_category_only(app, client, make):
    aino = make.user("aino")
    studio = make.category("Studio")
    garden = make.category("Garden")
    with app.app_context():
        db.session.add_all([
            MailingListSubscription(user_id=aino, category_id=studio),
            MailingListSubscription(user_id=aino, category_id=garden),
        ])
        db.session.commit()
    url = f"/email/unsubscribe/{_token(app, aino, f'list:{studio}')}"
    assert "Stop every new post in Studio for Aino?" in page_text(client.get(url))
    client.post(url, data=ONE_CLICK)
    client.post(url, data=ONE_CLICK)
    assert _lists(app, aino) == {garden}
