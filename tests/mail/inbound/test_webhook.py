"""POST /mail/inbound: a mail provider's inbound webhook hands over the raw message with a secret token."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.mail.inbound.intake import MAX_STORED_BYTES
from forum.mail.inbound.models import InboundEmail

TOKEN = "s3cret-webhook-token-0123456789"
RAW = (
    b"From: Ann <ann@example.org>\r\n"
    b"To: reply+0123456789abcdef@fellowship.localhost\r\n"
    b"Subject: Re: plans\r\n"
    b"Message-ID: <hook-1@example.org>\r\n"
    b"\r\n"
    b"See you at nine.\r\n"
)
# A delivery report as a forger would write it: "the member's address does not exist".
FORGED_DSN = (
    b"From: Mail Delivery System <MAILER-DAEMON@example.org>\r\n"
    b"To: forum@fellowship.localhost\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
    b"\r\n"
    b"--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
    b"--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
    b"Final-Recipient: rfc822; victim@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    b"--b1--\r\n"
)


@pytest.fixture
def webhook(app, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_INBOUND_WEBHOOK_TOKEN", TOKEN)


def post(client, body=RAW, token=TOKEN, content_type="message/rfc822", **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/mail/inbound", data=body, content_type=content_type, headers=headers, **kwargs)


def stored(app) -> list[InboundEmail]:
    with app.app_context():
        return list(db.session.execute(select(InboundEmail)).scalars())


def test_the_provider_posts_a_message_and_it_is_stored_raw(app, client, webhook):
    response = post(client, query_string={"sender": "ann@example.org",
                                          "recipient": "reply+0123456789abcdef@fellowship.localhost"})
    assert response.status_code == 202
    [message] = stored(app)
    assert response.get_json() == {"id": message.id, "status": "received"}
    assert message.raw == RAW and message.source == "webhook"
    assert message.envelope_from == "ann@example.org"


def test_octet_stream_bodies_are_accepted_too(app, client, webhook):
    assert post(client, content_type="application/octet-stream").status_code == 202
    assert len(stored(app)) == 1


def test_without_a_configured_token_the_endpoint_does_not_exist(app, client):
    assert app.config["FORUM_INBOUND_WEBHOOK_TOKEN"] is None
    assert post(client).status_code == 404
    assert post(client, token=None).status_code == 404
    assert stored(app) == []


@pytest.mark.parametrize("token", [None, "wrong-token", TOKEN[:-1], TOKEN + "x"])
def test_a_missing_or_wrong_token_is_refused_with_401(app, client, webhook, token):
    response = post(client, token=token)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert stored(app) == []


def test_the_token_is_only_taken_as_a_bearer_token(app, client, webhook):
    response = client.post("/mail/inbound", data=RAW, content_type="message/rfc822",
                           headers={"Authorization": f"Basic {TOKEN}"}, query_string={"token": TOKEN})
    assert response.status_code == 401


def test_a_forged_bounce_cannot_mark_a_member_as_bouncing(app, client, webhook, make):
    make.user("victim", email="victim@example.org")
    response = post(client, body=FORGED_DSN, token="guessed")
    assert response.status_code == 401
    assert stored(app) == []  # nothing reaches the receiver, so nothing is counted against the member


def test_a_message_over_the_limit_is_refused_before_it_is_read(app, client, webhook):
    response = post(client, body=RAW + b"x" * MAX_STORED_BYTES)
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"
    assert stored(app) == []


def test_an_empty_body_is_refused_with_400(app, client, webhook):
    response = post(client, body=b"\r\n")
    assert response.status_code == 400
    assert response.get_json()["error"] == "empty"


def test_a_form_post_is_not_taken_for_a_message(app, client, webhook):
    response = post(client, body="a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert stored(app) == []


def test_the_webhook_needs_no_csrf_token_but_forms_still_do(app, client, webhook, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert post(client).status_code == 202
    assert client.post("/login", data={"login": "x", "password": "y"}).status_code == 400
