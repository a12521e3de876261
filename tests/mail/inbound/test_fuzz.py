"""Malformed MIME never crashes the parser or the trimmer: a ParsedMail or a typed refusal, quickly."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.parse import ParsedMail, parse_message
from forum.mail.inbound.trim import trim_reply

_NAMES = st.sampled_from(
    ["From", "To", "Subject", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Date",
     "Message-ID", "References", "In-Reply-To", "Return-Path", "Auto-Submitted", "X-Autoreply", "X-Spam"]
)
_VALUES = st.one_of(
    st.sampled_from(
        ['multipart/mixed; boundary="b"', "multipart/alternative; boundary=b", "multipart/report; boundary=",
         "message/rfc822", 'text/plain; charset="x-unknown-9"', "text/html; charset=utf-7", "text/plain; charset=zlib",
         "base64", "quoted-printable", "x-uuencode", "attachment; filename*=bogus''%FF%FE", "=?utf-8?b?!!!?=",
         "=?x-nope?q?caf=E9?=", "<a@b> <<c@d>", "Mon, 99 Foo 99999 99:99:99 +9999", "\"unterminated <x@y",
         "inline; filename=\"=?utf-8?q?=FF?=\""]
    ),
    st.text(max_size=60).map(lambda s: s.replace("\n", " ").replace("\r", " ")),
)
_BODY_LINES = st.one_of(
    st.sampled_from(
        [b"--b", b"--b--", b"--", b"Content-Type: multipart/mixed; boundary=b", b"Content-Type: text/html",
         b"", b"> quoted", b"On Tue, 1 Dec 2026, X <x@y.z> wrote:", b"-- ", b"=C3=28=", b"////", b"begin 644 f",
         b"<div class=\"gmail_quote\"><blockquote>", b"From: a\nSent: b\nTo: c", b"\xff\xfe\x00garbage"]
    ),
    st.binary(max_size=40),
)


@st.composite
def malformed_messages(draw) -> bytes:
    headers = draw(st.lists(st.tuples(_NAMES, _VALUES), max_size=12))
    lines = draw(st.lists(_BODY_LINES, max_size=40))
    head = b"".join(f"{name}: {value}".encode("utf-8", "surrogatepass") + b"\r\n" for name, value in headers)
    newline = draw(st.sampled_from([b"\r\n", b"\n", b"\r"]))
    return head + newline + newline.join(lines)


def _parse_and_trim(raw: bytes) -> None:
    started = time.perf_counter()
    try:
        parsed = parse_message(raw)
    except InboundMailError:
        pass
    else:
        assert isinstance(parsed, ParsedMail)
        assert isinstance(trim_reply(parsed.plain, parsed.html), str)
    assert time.perf_counter() - started < 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed_messages())
def test_malformed_mime_gives_a_parsed_mail_or_a_typed_refusal_never_a_crash(raw):
    _parse_and_trim(raw)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_parsed_mail_or_a_typed_refusal_never_a_crash(raw):
    _parse_and_trim(raw)
