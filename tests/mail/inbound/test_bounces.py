"""Bounces: a delivery report counts against the member it was for; repeated hard bounces mark their address."""

from email.utils import make_msgid

import pytest

from forum.extensions import db
from forum.mail.inbound.models import InboundStatus
from forum.mail.models import EmailPreferences
from tests.mail.inbound.mailbox import answers_to, first_post_id, key_for, receive

pytestmark = pytest.mark.usefixtures("clean_outbox")


def dsn(recipient: str, status: str = "5.1.1", returned_reply_to: str = "") -> bytes:
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: forum@fellowship.localhost
Subject: Undelivered Mail Returned to Sender
Message-ID: {make_msgid(domain="mx.example.org")}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail system could not deliver your message.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; {recipient}
Action: {"failed" if status.startswith("5") else "delayed"}
Status: {status}
Diagnostic-Code: smtp; 550 {status} mailbox unavailable

--B
Content-Type: text/rfc822-headers

From: Fellowship <forum@fellowship.localhost>
To: {recipient}
Reply-To: {returned_reply_to}
Subject: [Fellowship] Learning cycles

--B--
""".replace("\n", "\r\n").encode()


def preferences(app, user_id):
    with app.app_context():
        row = db.session.get(EmailPreferences, user_id)
        return (row.bounces, row.failed_at is not None) if row else (0, False)


def test_a_hard_bounce_counts_against_the_member_and_three_mark_the_address_failed(app, make):
    aino = make.user("aino")
    for number in (1, 2, 3):
        outcome = receive(app, dsn("aino@example.org", returned_reply_to="forum@fellowship.localhost"))
        assert (outcome.status, outcome.reason, outcome.user_id) == (InboundStatus.BOUNCE, "hard", aino)
        assert preferences(app, aino) == (number, number == 3)
    assert answers_to(app, "mailer-daemon@mx.example.org") == []


def test_a_delayed_delivery_report_is_recorded_but_not_counted(app, make):
    aino = make.user("aino")
    outcome = receive(app, dsn("aino@example.org", status="4.2.2"))
    assert (outcome.status, outcome.reason) == (InboundStatus.BOUNCE, "soft")
    assert preferences(app, aino) == (0, False)


def test_a_bounce_quoting_a_reply_key_counts_against_that_member_only_if_it_names_their_address(app, make):
    aino, bob = make.user("aino"), make.user("bob")
    topic = make.topic(bob, make.category(), title="Learning cycles")
    address = key_for(app, aino, first_post_id(app, topic))
    assert receive(app, dsn("aino@example.org", returned_reply_to=address)).user_id == aino
    forged = receive(app, dsn("someone@elsewhere.example", returned_reply_to=address))
    assert (forged.reason, forged.user_id) == ("unknown_recipient", None)
    assert preferences(app, aino) == (1, False)
