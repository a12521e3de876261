"""Read one raw RFC 5322 message into a ParsedMail, with limits checked before the real parse.

Python's ``email`` package is the parser, but it is not safe on hostile input by itself: it raises
LookupError on an unknown charset, RecursionError on deeply nested parts, and spends seconds on a message of
20,000 parts. So ``parse_message`` first measures the raw bytes cheaply (size, top-level header lines,
MIME boundaries and how deeply they nest), then parses with the lenient compat32 policy, reads every header
from its raw value itself, and decodes text with a charset fallback. Every refusal is one of the typed
errors in ``errors.py``; nothing else escapes.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.header import decode_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from flask import current_app, has_app_context

from forum.mail.inbound.errors import (
    EmptyMessage,
    InboundMailError,
    MessageTooLarge,
    TooDeeplyNested,
    TooManyHeaders,
    TooManyParts,
    UnreadableMessage,
)
from forum.mail.inbound.htmltext import html_to_markdown
from forum.mail.inbound.textcodec import decode_bytes

DEFAULT_LIMITS = {
    "FORUM_INBOUND_MAX_BYTES": 10 * 1024 * 1024,
    "FORUM_INBOUND_MAX_DEPTH": 10,
    "FORUM_INBOUND_MAX_PARTS": 100,
    "FORUM_INBOUND_MAX_HEADERS": 500,
    "FORUM_INBOUND_MAX_ATTACHMENT_BYTES": 8 * 1024 * 1024,
}

_BOUNDARY_PARAM = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))', re.IGNORECASE)
_DELIMITER_LINE = re.compile(rb"^--([^\r\n]*?)[ \t]*\r?$", re.MULTILINE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status")


def limit(name: str) -> int:
    """A parse limit from the app config when there is an app, else the module default."""
    if has_app_context():
        return int(current_app.config.get(name, DEFAULT_LIMITS[name]))
    return DEFAULT_LIMITS[name]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str | None = None


@dataclass(frozen=True)
class RefusedAttachment:
    filename: str
    content_type: str
    size: int
    reason: str


@dataclass(frozen=True)
class ParsedMail:
    """What the receiver needs from one message; ``text`` is the best body (Markdown when it came from HTML)."""

    message_id: str | None
    from_address: str | None
    from_name: str
    subject: str
    date: datetime | None
    text: str
    # Every distinct address in every From header: more than one is a spoofing sign the receiver refuses.
    from_addresses: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    delivered_to: tuple[str, ...] = ()
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    return_path: str | None = None
    auto_submitted: str | None = None
    precedence: str | None = None
    x_autoreply: str | None = None
    x_autorespond: str | None = None
    content_type: str = "text/plain"
    report_type: str | None = None
    plain: str | None = None
    html: str | None = None
    text_from_html: bool = False
    delivery_status: str | None = None
    attachments: tuple[Attachment, ...] = ()
    refused_attachments: tuple[RefusedAttachment, ...] = ()
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def header(self, name: str) -> str | None:
        """The first header of that name, decoded, or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def parse_message(raw: bytes) -> ParsedMail:
    """Parse one raw message, refusing it with a typed InboundMailError when it breaks a limit."""
    if not isinstance(raw, bytes | bytearray):
        raise UnreadableMessage()
    raw = bytes(raw)
    check_structure(raw)
    try:
        msg = message_from_bytes(raw, policy=compat32)
        return _read(msg)
    except InboundMailError:
        raise
    except RecursionError:
        raise TooDeeplyNested() from None
    except MemoryError:
        raise
    except Exception as exc:  # the email package's failure modes are not a closed set
        raise UnreadableMessage() from exc


def check_structure(raw: bytes) -> None:
    """Refuse a message by its size, header lines and MIME structure, reading the bytes once with regexes."""
    if len(raw) > limit("FORUM_INBOUND_MAX_BYTES"):
        raise MessageTooLarge()
    if not raw.strip():
        raise EmptyMessage()
    end = _HEADER_END.search(raw)
    header_block = raw[: end.start()] if end else raw
    header_lines = sum(1 for line in header_block.splitlines() if line and line[:1] not in b" \t")
    if header_lines > limit("FORUM_INBOUND_MAX_HEADERS"):
        raise TooManyHeaders()
    boundaries = {m.group(1) if m.group(1) is not None else m.group(2) for m in _BOUNDARY_PARAM.finditer(raw)}
    if not boundaries:
        return
    max_parts, max_depth = limit("FORUM_INBOUND_MAX_PARTS"), limit("FORUM_INBOUND_MAX_DEPTH")
    parts, open_boundaries = 0, []
    for match in _DELIMITER_LINE.finditer(raw):
        token = match.group(1)
        closing = token.endswith(b"--") and token[:-2] in boundaries
        boundary = token[:-2] if closing else token
        if not closing and boundary not in boundaries:
            continue
        if boundary in open_boundaries:
            # A delimiter of an outer boundary ends every part opened inside it.
            del open_boundaries[open_boundaries.index(boundary) + (1 if not closing else 0) :]
        elif not closing:
            open_boundaries.append(boundary)
            if len(open_boundaries) > max_depth:
                raise TooDeeplyNested()
        if not closing:
            parts += 1
            if parts > max_parts:
                raise TooManyParts()


def _walk(msg: Message):
    """Every part with its depth, iteratively (the email package's walk() recurses), within the limits."""
    max_parts, max_depth = limit("FORUM_INBOUND_MAX_PARTS"), limit("FORUM_INBOUND_MAX_DEPTH")
    max_headers = limit("FORUM_INBOUND_MAX_HEADERS")
    stack, seen, headers = [(msg, 0, False)], 0, 0
    while stack:
        part, depth, in_message = stack.pop()
        seen += 1
        headers += len(part.keys())
        if seen > max_parts + 1:
            raise TooManyParts()
        if depth > max_depth:
            raise TooDeeplyNested()
        if headers > max_headers:
            raise TooManyHeaders()
        yield part, depth, in_message
        if part.is_multipart() and part.get_content_type() not in _REPORT_TYPES:
            children = part.get_payload()
            inside = in_message or part.get_content_type() == "message/rfc822"
            stack.extend((child, depth + 1, inside) for child in reversed(children) if isinstance(child, Message))


def _raw_headers(msg: Message) -> list[tuple[str, str]]:
    return [(name, _decode_header_value(value)) for name, value in msg.raw_items()]


def _decode_header_value(value) -> str:
    text = _FOLD.sub("", str(value))
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        # Raw 8-bit bytes in a header (no encoded-words): the email package kept them as surrogates.
        text = decode_bytes(text.encode("ascii", "surrogateescape"), None)
    if "=?" not in text:
        return text.strip()
    try:
        chunks = decode_header(text)
    except Exception:  # a malformed encoded-word: show it as it came
        return text.strip()
    return "".join(
        chunk if isinstance(chunk, str) else decode_bytes(chunk, charset) for chunk, charset in chunks
    ).strip()


def _addresses(values: list[str]) -> tuple[str, ...]:
    found = []
    for _, address in getaddresses(values):
        address = address.strip().lower()
        if address.find("@") > 0 and address not in found:
            found.append(address)
    return tuple(found)


def _message_ids(value: str | None) -> tuple[str, ...]:
    return tuple(_MESSAGE_ID.findall(value or ""))


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _read(msg: Message) -> ParsedMail:
    headers = _raw_headers(msg)

    def first(name: str) -> str | None:
        return next((value for key, value in headers if key.lower() == name), None)

    def every(*names: str) -> list[str]:
        return [value for key, value in headers if key.lower() in names]

    from_values = [value for key, value in msg.raw_items() if key.lower() == "from"]
    from_pairs = [(n, a.lower()) for n, a in getaddresses([_FOLD.sub("", str(v)) for v in from_values]) if a.find("@") > 0]
    body = _Body.collect(msg)
    return ParsedMail(
        message_id=next(iter(_message_ids(first("message-id"))), None) or (first("message-id") or None),
        from_address=from_pairs[0][1] if from_pairs else None,
        from_name=_decode_header_value(from_pairs[0][0]) if from_pairs else "",
        from_addresses=tuple(dict.fromkeys(address for _, address in from_pairs)),
        subject=first("subject") or "",
        date=_date(first("date")),
        to=_addresses(every("to")),
        cc=_addresses(every("cc")),
        delivered_to=_addresses(every("delivered-to", "x-original-to")),
        in_reply_to=_message_ids(first("in-reply-to")),
        references=_message_ids(" ".join(every("references"))),
        return_path=(_addresses(every("return-path")) or (None,))[0],
        auto_submitted=first("auto-submitted"),
        precedence=first("precedence"),
        x_autoreply=first("x-autoreply"),
        x_autorespond=first("x-autorespond"),
        content_type=msg.get_content_type(),
        report_type=(str(msg.get_param("report-type") or "").lower() or None)
        if msg.get_content_type() == "multipart/report"
        else None,
        plain=body.plain,
        html=body.html,
        text=body.plain if body.plain is not None else html_to_markdown(body.html or ""),
        text_from_html=body.plain is None and body.html is not None,
        delivery_status=body.delivery_status,
        attachments=tuple(body.attachments),
        refused_attachments=tuple(body.refused),
        headers=tuple(headers),
    )


class _Body:
    """The text, HTML, report and attachments of one message, gathered in one walk."""

    def __init__(self):
        self.plain_parts: list[str] = []
        self.html: str | None = None
        self.delivery_status: str | None = None
        self.attachments: list[Attachment] = []
        self.refused: list[RefusedAttachment] = []

    @property
    def plain(self) -> str | None:
        return "\n\n".join(self.plain_parts) if self.plain_parts else None

    @classmethod
    def collect(cls, msg: Message) -> "_Body":
        body = cls()
        for part, _depth, in_message in _walk(msg):
            if part.get_content_type() in _REPORT_TYPES:
                body.delivery_status = body.delivery_status or _report_text(part)
            elif not part.is_multipart() and not in_message:
                body._take(part)
        return body

    def _take(self, part: Message) -> None:
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if ctype == "text/plain" and disposition != "attachment" and not filename:
            self.plain_parts.append(_text(part))
        elif ctype == "text/html" and disposition != "attachment" and not filename:
            self.html = self.html if self.html is not None else _text(part)
        elif ctype in ("text/rfc822-headers", "message/feedback-report", "message/disposition-notification"):
            return
        else:
            self._attach(part, ctype, disposition, filename)

    def _attach(self, part: Message, ctype: str, disposition: str, filename: str | None) -> None:
        data = part.get_payload(decode=True) or b""
        content_id = (part.get("Content-ID") or "").strip().strip("<>") or None
        name = filename or (content_id or "attachment")
        if len(data) > limit("FORUM_INBOUND_MAX_ATTACHMENT_BYTES"):
            self.refused.append(RefusedAttachment(name, ctype, len(data), "too_large"))
            return
        inline = disposition == "inline" or (disposition != "attachment" and content_id is not None)
        self.attachments.append(Attachment(name, ctype, data, inline, content_id))


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # a malformed RFC 2231 parameter
        return None
    return _decode_header_value(name) if name else None


def _report_text(part: Message) -> str:
    """A delivery-status part as text; the email package splits its field blocks into sub-messages."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = ("\n".join(f"{k}: {_decode_header_value(v)}" for k, v in block.raw_items()) for block in payload)
        return "\n\n".join(blocks)
    return _text(part)


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        payload = b""
    try:
        charset = part.get_content_charset()
    except Exception:  # an undecodable RFC 2231 charset parameter
        charset = None
    return decode_bytes(payload, charset)
