"""Reading one raw message: the fields the receiver uses, and every limit refused with its own error."""

import time
from datetime import UTC, datetime

import pytest

from forum.mail.inbound.errors import (
    EmptyMessage,
    InboundMailError,
    MessageTooLarge,
    TooDeeplyNested,
    TooManyHeaders,
    TooManyParts,
    UnreadableMessage,
)
from forum.mail.inbound.parse import parse_message
from tests.mail.inbound.own_fixtures import fixture


def _message(body: bytes, content_type: bytes = b"text/plain; charset=utf-8", headers: bytes = b"") -> bytes:
    return (
        b"From: Ada <ada@example.org>\r\nTo: reply+k@mail.example\r\nSubject: Re: hi\r\n" + headers
        + b"Content-Type: " + content_type + b"\r\n\r\n" + body
    )


def test_a_reply_gives_its_sender_threading_headers_and_date_in_utc():
    parsed = parse_message(fixture("outlook_web_reply.eml"))

    assert parsed.from_address == "ada@example.org"
    assert parsed.from_name == "Ada Lovelace"
    assert parsed.subject == "RE: [Fellowship] New reply in “Plymouth experiment”"
    assert parsed.message_id == "AM0PR07MB1234ABCD@AM0PR07MB1234.eurprd07.prod.outlook.com"
    assert parsed.in_reply_to == ("post-42.7f3a@fellowship.localhost",)
    assert parsed.references == ("topic-7@fellowship.localhost", "post-42.7f3a@fellowship.localhost")
    assert parsed.delivered_to == ("reply+4f1c0a9e2b7d4c3e8a6f5b0d1e2c3a4b@mail.fellowship.localhost",)
    assert parsed.date == datetime(2026, 12, 3, 9, 12, 44, tzinfo=UTC)
    assert parsed.return_path == "ada@example.org"
    assert "Grace replied" in parsed.plain and "divRplyFwdMsg" in parsed.html


def test_a_message_with_two_from_addresses_shows_both_so_the_receiver_can_refuse_it():
    raw = b"From: member@example.org\r\nFrom: attacker@example.net\r\nSubject: x\r\n\r\nhello\r\n"

    assert parse_message(raw).from_addresses == ("member@example.org", "attacker@example.net")


def test_an_html_only_message_gets_its_text_as_markdown():
    parsed = parse_message(_message(b"<p>Hello <b>there</b></p><ul><li>one</li></ul>", b"text/html"))

    assert parsed.text_from_html
    assert parsed.text == "Hello **there**\n\n- one"


def test_an_unknown_charset_falls_back_instead_of_failing():
    raw = _message("Grüße aus Plymouth".encode(), b"text/plain; charset=x-no-such-charset",
                   headers=b"X-Note: =?x-bogus?q?caf=C3=A9?=\r\n")

    parsed = parse_message(raw)

    assert parsed.text == "Grüße aus Plymouth"
    assert parsed.header("X-Note") == "café"


def test_a_windows_1252_text_labelled_latin_1_keeps_its_curly_quotes():
    parsed = parse_message(_message("“quoted” €5".encode("cp1252"), b"text/plain; charset=iso-8859-1"))

    assert parsed.text == "“quoted” €5"


def test_attachments_and_inline_images_come_with_name_type_and_bytes_and_oversized_ones_are_listed():
    boundary = b"b1"
    raw = _message(
        b"--b1\r\nContent-Type: text/plain\r\n\r\nSee the photo.\r\n"
        b"--b1\r\nContent-Type: image/png\r\nContent-ID: <img1@x>\r\nContent-Disposition: inline; filename=\"a.png\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
        b"--b1\r\nContent-Type: application/pdf; name=\"big.pdf\"\r\nContent-Disposition: attachment; filename=\"big.pdf\"\r\n\r\n"
        + b"x" * 2000 + b"\r\n--b1--\r\n",
        b'multipart/mixed; boundary="' + boundary + b'"',
    )
    with _limits(FORUM_INBOUND_MAX_ATTACHMENT_BYTES=1000):
        parsed = parse_message(raw)

    assert parsed.text == "See the photo."
    [image] = parsed.attachments
    assert (image.filename, image.content_type, image.data, image.inline, image.content_id) == (
        "a.png", "image/png", b"\x89PNG\r\n\x1a\n", True, "img1@x")
    [refused] = parsed.refused_attachments
    assert (refused.filename, refused.reason) == ("big.pdf", "too_large")


def test_a_20000_part_message_is_refused_in_well_under_a_second():
    parts = b"".join(b"--x\r\nContent-Type: text/plain\r\n\r\npart\r\n" for _ in range(20_000))
    raw = _message(parts + b"--x--\r\n", b'multipart/mixed; boundary="x"')

    started = time.perf_counter()
    with pytest.raises(TooManyParts):
        parse_message(raw)
    assert time.perf_counter() - started < 0.5


def test_a_2000_deep_nesting_is_refused_without_a_recursion_error():
    depth = 2000
    opening = b"".join(b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i, i + 1) for i in range(depth))
    closing = b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth + 1)))
    raw = _message(opening + b"--b%d\r\nContent-Type: text/plain\r\n\r\ndeep\r\n" % depth + closing,
                   b'multipart/mixed; boundary="b0"')

    started = time.perf_counter()
    with pytest.raises(TooDeeplyNested):
        parse_message(raw)
    assert time.perf_counter() - started < 0.5


def test_a_2000_deep_chain_of_forwarded_messages_is_refused_without_a_recursion_error():
    raw = b"From: a@example.org\r\nSubject: x\r\n" + b"Content-Type: message/rfc822\r\n\r\n" * 2000 + b"hello\r\n"

    with pytest.raises((TooDeeplyNested, UnreadableMessage)):
        parse_message(raw)


def test_a_message_over_the_size_limit_is_refused_before_it_is_parsed():
    with _limits(FORUM_INBOUND_MAX_BYTES=1000), pytest.raises(MessageTooLarge):
        parse_message(_message(b"x" * 1001))


def test_the_default_size_limit_is_ten_megabytes():
    with pytest.raises(MessageTooLarge):
        parse_message(_message(b"x" * (10 * 1024 * 1024)))


def test_a_message_with_too_many_headers_is_refused():
    with pytest.raises(TooManyHeaders):
        parse_message(_message(b"hi", headers=b"X-Spam: 1\r\n" * 600))


def test_an_empty_message_is_refused_as_empty():
    with pytest.raises(EmptyMessage):
        parse_message(b" \r\n\r\n")


def test_every_refusal_says_why_in_plain_words():
    with pytest.raises(InboundMailError) as refused:
        parse_message(b"")

    assert refused.value.reason == "empty"
    assert str(refused.value) == "The message was empty."


class _limits:
    """Parse limits from a Flask app's config, as the receiver will run them."""

    def __init__(self, **config):
        from flask import Flask

        self.app = Flask(__name__)
        self.app.config.update(config)

    def __enter__(self):
        self.ctx = self.app.app_context()
        self.ctx.push()

    def __exit__(self, *exc):
        self.ctx.pop()
