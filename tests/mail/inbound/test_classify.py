"""Auto-replies are dropped and bounces counted: how a parsed message is recognised as either."""

import pytest

from forum.mail.inbound.classify import bounce_report, is_auto_reply, is_bounce
from forum.mail.inbound.parse import parse_message

ORDINARY = b"From: ada@example.org\r\nSubject: Re: Plan\r\n"


def _parsed(headers: bytes, body: bytes = b"text\r\n") -> object:
    return parse_message(headers + b"\r\n" + body)


@pytest.mark.parametrize(
    "header",
    [b"Auto-Submitted: auto-replied", b"Precedence: bulk", b"Precedence: list", b"Precedence: junk",
     b"X-Autoreply: yes", b"X-Autorespond: on holiday"],
)
def test_a_message_marked_as_machine_sent_is_an_auto_reply(header):
    assert is_auto_reply(_parsed(ORDINARY + header + b"\r\n"))


@pytest.mark.parametrize("subject", [b"Out of Office: Plan", b"Automatic reply: Plan", b"Abwesenheitsnotiz"])
def test_an_out_of_office_subject_is_an_auto_reply(subject):
    assert is_auto_reply(_parsed(b"From: ada@example.org\r\nSubject: " + subject + b"\r\n"))


def test_an_ordinary_reply_and_auto_submitted_no_are_not_auto_replies():
    assert not is_auto_reply(_parsed(ORDINARY))
    assert not is_auto_reply(_parsed(ORDINARY + b"Auto-Submitted: no\r\n"))


DSN = (
    b"From: MAILER-DAEMON@mx.example.net\r\nTo: bounces@fellowship.example\r\nSubject: Undelivered Mail\r\n"
    b"Auto-Submitted: auto-replied\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
    b"--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
    b"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
    b"Final-Recipient: rfc822; Gone@Example.COM\r\nAction: %s\r\nStatus: %s\r\n"
    b"Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
    b"--r\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: New reply\r\n--r--\r\n"
)


def test_a_delivery_status_notification_names_the_failed_recipient_and_its_status():
    report = bounce_report(parse_message(DSN % (b"failed", b"5.1.1")))

    assert (report.recipient, report.status, report.action, report.hard) == ("gone@example.com", "5.1.1", "failed", True)
    assert report.diagnostic == "smtp; 550 5.1.1 user unknown"


def test_a_delayed_delivery_is_a_soft_bounce():
    report = bounce_report(parse_message(DSN % (b"delayed", b"4.4.1")))

    assert report.status == "4.4.1" and not report.hard


def test_a_successful_delivery_report_is_not_a_bounce():
    assert not is_bounce(parse_message(DSN % (b"delivered", b"2.0.0")))


def test_a_free_text_bounce_from_the_mailer_daemon_is_a_bounce():
    parsed = _parsed(
        b"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\nReturn-Path: <>\r\n"
        b"Subject: Delivery Status Notification (Failure)\r\n",
        b"Delivery to the following recipient failed permanently:\r\n\r\n     gone@example.com\r\n\r\n"
        b"550 5.1.1 The email account that you tried to reach does not exist.\r\n",
    )

    report = bounce_report(parsed)

    assert (report.recipient, report.status, report.hard) == ("gone@example.com", "5.1.1", True)


def test_an_ordinary_reply_is_not_a_bounce():
    assert not is_bounce(_parsed(ORDINARY))
