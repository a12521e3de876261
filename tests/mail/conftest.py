"""Mail tests: a real SMTP server on loopback (aiosmtpd) and helpers to read what the forum sent."""

import email
import email.policy
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from forum.mail.outbox import deliver_due


class Inbox:
    """An aiosmtpd handler that keeps what it accepts; `refuse` makes it answer with that reply instead."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []  # as the server received them, before any decoding
        self.refuse: str | None = None

    async def handle_DATA(self, server, session, envelope: Envelope):
        if self.refuse:
            return self.refuse
        self.raw.append(envelope.original_content)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A loopback SMTP server the app delivers to; `.inbox.messages` holds what it accepted."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    mail = app.extensions["mail"]
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port, "MAIL_TIMEOUT": 5}.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setattr(mail, "server", "127.0.0.1")
    monkeypatch.setattr(mail, "port", controller.port)
    monkeypatch.setattr(mail, "suppress", False)  # TESTING would skip the connection
    controller.inbox = inbox
    yield controller
    controller.stop()


def delivered(app) -> tuple[int, int]:
    """Run the delivery sweep now, as the worker would (tests also deliver at each commit: FORUM_JOBS_IMMEDIATE)."""
    with app.app_context():
        return deliver_due()


def outbox_files(app) -> list[email.message.EmailMessage]:
    """The .eml files of the embedded default (no MAIL_SERVER), oldest first."""
    folder = Path(app.config["FORUM_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]


@pytest.fixture
def clean_outbox(app):
    for leftover in Path(app.config["FORUM_OUTBOX_DIR"]).glob("*.eml"):
        leftover.unlink()
    yield
