"""The outbox: the one way mail leaves. A message is a row written in the same transaction as its cause and
delivered after commit, with retries, by the background worker (the `mail.deliver` job, enqueued once the
transaction commits and run every 30 seconds as a sweep). Nothing is lost if delivery fails or a process
dies: the row stays until the server has accepted it.

Each message gets its Message-ID when it is queued and keeps it on every attempt, so a message that was
accepted just before a worker died and is sent again is one message to the receiving side. Workers claim
rows (on PostgreSQL with FOR UPDATE SKIP LOCKED), so several of them never send the same row at once.
A permanent refusal (a 5xx answer) is not retried: it is recorded against the member for admins to see.

Without MAIL_SERVER, messages are written as .eml files to FORUM_OUTBOX_DIR (instance/outbox/).
"""

import email.policy
import json
import logging
import os
import secrets
import smtplib
from contextlib import suppress
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.mime.text import MIMEText
from email.utils import make_msgid
from pathlib import Path

from flask import Flask, current_app
from flask_mail import Connection, Message
from sqlalchemy import ForeignKey, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.jobs import enqueue_after_commit, register_periodic
from forum.core.models import UTCDateTime, utcnow
from forum.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_SECONDS = 300  # longer than a delivery can take: MAIL_TIMEOUT bounds each wait on the server
SWEEP_SECONDS = 30


class OutboxEmail(db.Model):
    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # The member it is for (None for an invitation to someone not yet a member) and what kind of mail it is.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str | None] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255))
    headers: Mapped[str | None] = mapped_column(Text)  # JSON: threading and List-Unsubscribe headers
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # refused for good, or out of attempts
    last_error: Mapped[str | None] = mapped_column(Text)

    @property
    def extra_headers(self) -> dict[str, str]:
        return json.loads(self.headers or "{}")


class PermanentFailure(Exception):
    """The server refused the message for good (a 5xx answer): retrying would not help."""


def queue_message(
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    *,
    user_id: int | None = None,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxEmail:
    """Queue one message in this transaction; it is delivered after the commit."""
    message = OutboxEmail(
        recipient=recipient, subject=subject[:255], body_text=body_text, body_html=body_html, user_id=user_id,
        kind=kind, message_id=make_msgid(domain=current_app.config["FORUM_MAIL_DOMAIN"]),
        headers=json.dumps(headers) if headers else None,
    )
    db.session.add(message)
    enqueue_after_commit(db.session, "mail.deliver")
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 24 * 60))


# SMTP allows lines of at most 998 bytes (RFC 5321 4.5.3.1.6), and Flask-Mail sends utf-8 parts as they are:
# a long paragraph of a post, or HTML that the inliner wrote on one line, would be refused with a 5xx.
MAX_LINE_BYTES = 998
_QUOTED_PRINTABLE = Charset("utf-8")
_QUOTED_PRINTABLE.body_encoding = QP


# Flask-Mail serialises with policy.SMTP, which folds header lines at 78 columns: a URL longer than that (our
# List-Unsubscribe) would become RFC 2047 encoded words, which mail clients do not decode there, and the
# one-click unsubscribe would not show. RFC 5322 allows header lines of up to 998 characters.
_HEADER_POLICY = email.policy.SMTP.clone(max_line_length=MAX_LINE_BYTES)


class _OutboxMessage(Message):
    """A part with a line too long for SMTP goes as quoted-printable (lines wrapped, content unchanged); header
    lines are folded only beyond SMTP's limit."""

    def _message(self):
        built = super()._message()
        built.policy = _HEADER_POLICY
        return built

    def _mimetext(self, text: str | None, subtype: str = "plain") -> MIMEText:
        lines = (text or "").encode("utf-8").splitlines()
        if any(len(line) > MAX_LINE_BYTES for line in lines):
            return MIMEText(text, _subtype=subtype, _charset=_QUOTED_PRINTABLE)
        return super()._mimetext(text, subtype)


def _build(message: OutboxEmail) -> Message:
    built = _OutboxMessage(
        subject=message.subject, recipients=[message.recipient], body=message.body_text, html=message.body_html,
        extra_headers=message.extra_headers or None,
    )
    if message.message_id:
        built.msgId = message.message_id
    return built


def _write_eml(message: OutboxEmail) -> None:
    folder = Path(current_app.config["FORUM_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{message.created_at:%Y%m%dT%H%M%S}-{message.id:06d}.eml"
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(_build(message).as_bytes())
    os.replace(temporary, target)


class _TimedConnection(Connection):
    """Flask-Mail's connection with a socket timeout (MAIL_TIMEOUT): Flask-Mail opens smtplib without one, and
    a server that accepts and never answers would hold a worker for ever."""

    def configure_host(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp(self.mail.server, self.mail.port, timeout=current_app.config["MAIL_TIMEOUT"])
        host.set_debuglevel(int(self.mail.debug))
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def _refused_for_good(error: Exception) -> bool:
    """A 5xx answer to the recipient or to the message itself. A 5xx to our sender or login says nothing about
    the member's address (a misconfigured server would otherwise mark every member as undeliverable): those
    are retried like any other failure, and logged."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600


class _SMTPSession:
    """One connection for a delivery run's messages, opened when first needed and dropped after any error, so
    that the next message starts on a fresh one."""

    def __init__(self):
        self._connection: _TimedConnection | None = None

    def send(self, built: Message) -> None:
        if self._connection is None:
            self._connection = _TimedConnection(current_app.extensions["mail"]).__enter__()
        try:
            self._connection.send(built)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(smtplib.SMTPException, OSError):  # the server may already have gone
                connection.__exit__(None, None, None)


def _send_smtp(message: OutboxEmail, smtp: _SMTPSession) -> None:
    try:
        smtp.send(_build(message))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        if _refused_for_good(error):
            raise PermanentFailure(str(error)) from error
        raise


def _send(message: OutboxEmail, smtp: _SMTPSession) -> None:
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(message, smtp)
    else:
        _write_eml(message)


def _due_ids(now: datetime, limit: int):
    due = (
        select(OutboxEmail.id)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.failed_at.is_(None), OutboxEmail.next_attempt_at <= now)
        .where(or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now))
        .order_by(OutboxEmail.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return due.scalar_subquery()


def _claim_due(limit: int) -> tuple[str, list[int]]:
    """Take up to `limit` due messages for this run, in one statement (rows another worker holds are skipped
    on PostgreSQL; SQLite runs one writer at a time); returns the run's token and the ids it took."""
    now = utcnow()
    token = secrets.token_hex(16)
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(_due_ids(now, limit)))
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), claimed_by=token),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    ids = db.session.execute(
        select(OutboxEmail.id).where(OutboxEmail.claimed_by == token).order_by(OutboxEmail.id)
    ).scalars().all()
    return token, list(ids)


def _take(message_id: int, token: str) -> OutboxEmail | None:
    """Renew this run's claim on one message just before sending it, and count the attempt (committed, so that
    a message that kills its worker every time still runs out of attempts). None if the claim lapsed while
    earlier messages were sent and another worker has taken the message since."""
    taken = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == message_id, OutboxEmail.claimed_by == token,
            OutboxEmail.sent_at.is_(None), OutboxEmail.failed_at.is_(None),
        )
        .values(claimed_until=utcnow() + timedelta(seconds=CLAIM_SECONDS), attempts=OutboxEmail.attempts + 1),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxEmail, message_id) if taken else None


def _record_permanent_failure(message: OutboxEmail, error: Exception) -> None:
    from forum.mail.preferences import record_delivery_failure

    message.failed_at = utcnow()
    if message.user_id is not None:
        record_delivery_failure(message.user_id, str(error))


def _deliver_one(message: OutboxEmail, smtp: _SMTPSession) -> bool:
    """One attempt (counted by _take); commits its outcome. True if the server accepted the message."""
    try:
        _send(message, smtp)
    except PermanentFailure as error:
        log.warning("outbox: %s to %s refused for good: %s", message.id, message.recipient, error)
        message.last_error = str(error)[:2000]
        _record_permanent_failure(message, error)
        accepted = False
    except Exception as error:  # any transport failure is retried later
        log.warning("outbox: delivery of %s to %s failed: %s", message.id, message.recipient, error)
        message.last_error = str(error)[:2000]
        message.next_attempt_at = utcnow() + _backoff(message.attempts)
        if message.attempts >= MAX_ATTEMPTS:
            message.failed_at = utcnow()
        accepted = False
    else:
        message.sent_at = utcnow()
        message.last_error = None
        accepted = True
    message.claimed_until = None
    message.claimed_by = None
    db.session.commit()
    return accepted


def deliver_due(limit: int = 50) -> tuple[int, int]:
    """Send messages that are due, over one SMTP connection; returns (sent, failed). Commits after each."""
    sent = failed = 0
    token, ids = _claim_due(limit)
    smtp = _SMTPSession()
    try:
        for message_id in ids:
            message = _take(message_id, token)
            if message is None:
                continue
            if _deliver_one(message, smtp):
                sent += 1
            else:
                failed += 1
    finally:
        smtp.close()
    return sent, failed


def register_jobs(app: Flask) -> None:
    """Mail leaves through one job: enqueued when a transaction that queued mail commits, and run as a sweep
    (messages whose enqueue was lost, and retries whose back-off has passed)."""
    register_periodic(app, "mail.deliver", deliver_due, SWEEP_SECONDS)
