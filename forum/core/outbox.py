"""The outbox: side effects (for now, email) are rows written in the same transaction as their cause
and delivered after commit, with retries, by the background worker (the `mail.deliver` job, enqueued once
the transaction commits, and run every 30 seconds as a sweep). Nothing is lost if delivery fails or a
process dies: the row stays until it is sent. `flask forum outbox-deliver` delivers by hand.

Without MAIL_SERVER, messages are written as .eml files to FORUM_OUTBOX_DIR (instance/outbox/).
"""

import logging
import os
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_mail import Connection, Message
from sqlalchemy import String, Text, or_, select, update
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
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)


def queue_email(recipient: str, subject: str, template: str, **context) -> OutboxEmail:
    """Render `template`.txt and .html (under templates/email/) and queue the message in this transaction."""
    context.setdefault("forum_name", current_app.config["FORUM_NAME"])
    message = OutboxEmail(
        recipient=recipient,
        subject=subject,
        body_text=render_template(f"email/{template}.txt", **context),
        body_html=render_template(f"email/{template}.html", **context),
    )
    db.session.add(message)
    enqueue_after_commit(db.session, "mail.deliver")
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 24 * 60))


def _write_eml(message: OutboxEmail) -> None:
    folder = Path(current_app.config["FORUM_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    eml = EmailMessage()
    eml["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    eml["To"] = message.recipient
    eml["Subject"] = message.subject
    eml["Date"] = formatdate(localtime=False)
    eml["Message-ID"] = make_msgid(domain="fellowship.local")
    eml.set_content(message.body_text)
    if message.body_html:
        eml.add_alternative(message.body_html, subtype="html")
    target = folder / f"{message.created_at:%Y%m%dT%H%M%S}-{message.id:06d}.eml"
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(bytes(eml))
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


def _send_smtp(message: OutboxEmail) -> None:
    with _TimedConnection(current_app.extensions["mail"]) as connection:
        connection.send(
            Message(
                subject=message.subject,
                recipients=[message.recipient],
                body=message.body_text,
                html=message.body_html,
            )
        )


def _send(message: OutboxEmail) -> None:
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(message)
    else:
        _write_eml(message)


def _claim(message_id: int) -> bool:
    """Take the message for this worker; False if another worker holds it."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == message_id, OutboxEmail.sent_at.is_(None))
        .where(or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def deliver_due(limit: int = 50) -> tuple[int, int]:
    """Send messages that are due; returns (sent, failed). Commits after each message."""
    now = utcnow()
    due_ids = db.session.execute(
        select(OutboxEmail.id)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < MAX_ATTEMPTS)
        .where(OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).scalars().all()
    sent = failed = 0
    for message_id in due_ids:
        if not _claim(message_id):
            continue
        message = db.session.get(OutboxEmail, message_id)
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:  # any transport failure is retried later
            log.warning("outbox: delivery of %s to %s failed: %s", message.id, message.recipient, error)
            message.last_error = str(error)[:2000]
            message.next_attempt_at = utcnow() + _backoff(message.attempts)
            failed += 1
        else:
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        message.claimed_until = None
        db.session.commit()
    return sent, failed


def register_jobs(app: Flask) -> None:
    """Mail leaves through one job: enqueued when a transaction that queued mail commits, and run as a sweep
    (messages whose enqueue was lost, and retries whose back-off has passed)."""
    register_periodic(app, "mail.deliver", deliver_due, SWEEP_SECONDS)
