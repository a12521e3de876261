"""Why the receiver will not post a message (one exception class per reason, each with its own template under
templates/email/inbound/<reason>.{txt,html}), and the one answer the sender gets.

The parse errors of errors.py are reasons too. The answer says why in plain words and quotes back what the
sender wrote, so nothing is lost. It is never sent where it could start a loop or feed backscatter: not to a
missing or null sender, not to our own addresses or a mail daemon, and not more than REJECTIONS_PER_HOUR
times an hour to one address (a forged From would otherwise make the forum spam a stranger). Bounces,
auto-replies and duplicates never reach here: the receiver drops them first.
"""

import re
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.compose import queue_email
from forum.mail.inbound import errors
from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.parse import ParsedMail
from forum.mail.inbound.reply_keys import KEY_LIFETIME
from forum.mail.outbox import OutboxEmail

KIND = "inbound_rejection"
REJECTIONS_PER_HOUR = 5
MIN_REPLY_CHARS = 5
QUOTED_CHARS = 20_000
_DAEMON = re.compile(r"^(mailer[-_]?daemon|postmaster|no[-_]?reply|do[-_]?not[-_]?reply|bounces?)[@+]", re.I)
_HEAD_BYTES = 64 * 1024


class Rejection(InboundMailError):
    """A message the forum read but will not post; ``member`` is set once the sender is known to be one."""

    def __init__(self, message: str | None = None, member=None):
        super().__init__(message)
        self.member = member


class UnknownAddress(Rejection):
    reason = "unknown_address"
    default_message = "Sent to no reply or category address of the forum."


class UnknownKey(Rejection):
    reason = "unknown_key"
    default_message = "The reply address names no key the forum issued."


class ExpiredKey(Rejection):
    reason = "expired_key"
    default_message = "The reply address has expired."


class WrongSender(Rejection):
    reason = "wrong_sender"
    default_message = "The From address is not the address of the member the reply address was sent to."


class SenderNotAuthenticated(Rejection):
    reason = "not_authenticated"
    default_message = "Our mail server could not confirm the message came from the From address's domain."


class UnknownSender(Rejection):
    reason = "unknown_sender"
    default_message = "The From address belongs to no member."


class MemberSuspended(Rejection):
    reason = "suspended"
    default_message = "The member is suspended."


class MemberSilenced(Rejection):
    reason = "silenced"
    default_message = "The member is read only (silenced by a facilitator)."


class TopicClosed(Rejection):
    reason = "topic_closed"
    default_message = "The topic is closed."


class TopicDeleted(Rejection):
    reason = "topic_deleted"
    default_message = "The topic was deleted."


class NotAllowedHere(Rejection):
    reason = "not_allowed"
    default_message = "The member may not post there."


class EmptyReply(Rejection):
    reason = "empty"
    default_message = "Nothing was left once quoted text and the signature were removed."


class ReplyTooShort(Rejection):
    reason = "too_short"
    default_message = "The reply is shorter than the forum accepts by mail."


class PostTooLong(Rejection):
    reason = "too_long"
    default_message = "The post is longer than the forum accepts."


class BadTitle(Rejection):
    reason = "bad_title"
    default_message = "The subject cannot be a topic title."


class PostRefused(Rejection):
    reason = "refused"
    default_message = "The forum refused the post."


def reasons() -> dict[str, str]:
    """Every reason a message can be refused for, and its template (text and HTML)."""
    classes = [cls for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, InboundMailError)]
    classes += [cls for cls in globals().values() if isinstance(cls, type) and issubclass(cls, Rejection)]
    return {cls.reason: f"inbound/{cls.reason}" for cls in classes if cls is not Rejection}


def _sender_of_unparsed(raw: bytes) -> tuple[str | None, str, str | None]:
    """(From, Subject, Message-ID) from the header block alone, for a message the full parse refused."""
    head = raw[:_HEAD_BYTES].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(head)
        if headers.get("Auto-Submitted", "no").strip().lower() != "no" or headers.get("Precedence"):
            return None, "", None  # never answer a machine
        addresses = [a.lower() for _n, a in getaddresses(headers.get_all("From", [])) if "@" in a]
        return (addresses[0] if addresses else None), str(headers.get("Subject", ""))[:200], headers.get("Message-ID")
    except Exception:  # a header block too broken to read: nobody to answer
        return None, "", None


def why_not_answered(address: str | None, parsed: ParsedMail | None) -> str | None:
    """Why the sender gets no answer (None: they do)."""
    if not address or "@" not in address:
        return "no sender"
    domain = address.rpartition("@")[2].lower()
    config = current_app.config
    own = {(config.get("FORUM_INBOUND_DOMAIN") or "").lower(), config["FORUM_MAIL_DOMAIN"].lower()}
    if domain in own or _DAEMON.match(address):
        return "a machine or our own address"
    if parsed is not None and parsed.header("Return-Path") is not None and parsed.return_path is None:
        return "null sender"
    recent = db.session.execute(
        select(func.count(OutboxEmail.id)).where(
            OutboxEmail.kind == KIND, OutboxEmail.recipient == address,
            OutboxEmail.created_at >= utcnow() - timedelta(hours=1),
        )
    ).scalar_one()
    if recent >= REJECTIONS_PER_HOUR:
        return "rate limit"
    return None


def _threading(message_id: str | None) -> dict[str, str]:
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if message_id:
        reference = message_id if message_id.startswith("<") else f"<{message_id}>"
        headers.update({"In-Reply-To": reference, "References": reference})
    return headers


def quoted_lines(text: str) -> str:
    """What the sender wrote, quoted as mail quotes (cut at QUOTED_CHARS)."""
    text = (text or "").strip()
    if len(text) > QUOTED_CHARS:
        text = text[:QUOTED_CHARS] + "\n[…]"
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def send_rejection(raw: bytes, parsed: ParsedMail | None, error: InboundMailError, written: str = "") -> str | None:
    """Answer the sender of a refused message; returns why no answer was sent, or None when one was queued."""
    if parsed is not None:
        address, subject, message_id = parsed.from_address, parsed.subject, parsed.message_id
    else:
        address, subject, message_id = _sender_of_unparsed(raw)
    refusal = why_not_answered(address, parsed)
    if refusal:
        return refusal
    member = getattr(error, "member", None)
    queue_email(
        address, _l("Your email was not posted: %(subject)s", subject=subject or _l("(no subject)")),
        reasons()[error.reason], member=member, kind=KIND, headers=_threading(message_id),
        original_subject=subject, written=written.strip()[:QUOTED_CHARS], quoted=quoted_lines(written),
        message=str(error), limit=current_app.config["FORUM_MAX_POST_CHARS"], min_chars=MIN_REPLY_CHARS,
        key_days=KEY_LIFETIME.days,
    )
    return None


def send_note(parsed: ParsedMail, member, template: str, **context) -> None:
    """A note to a member about a message that was taken (held for approval, attachments left out)."""
    if why_not_answered(parsed.from_address, parsed) in ("no sender", "a machine or our own address"):
        return
    queue_email(
        parsed.from_address, _l("About your email: %(subject)s", subject=parsed.subject or _l("(no subject)")),
        f"inbound/{template}", member=member, kind="inbound_note", headers=_threading(parsed.message_id),
        original_subject=parsed.subject, **context,
    )
