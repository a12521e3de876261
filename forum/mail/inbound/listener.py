"""Two of the three ways in for inbound mail (the third is webhook.py): an MTA's pipe (`flask forum
mail-receive`) and an SMTP or LMTP listener on aiosmtpd (`flask forum mail-serve`). Both store the message
raw through intake.accept_raw and say yes only after the commit, so a message the MTA was told is accepted is
never lost; a database that cannot be reached is a temporary failure the MTA retries.
"""

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Iterable

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.mail.inbound.intake import MAX_STORED_BYTES, accept_raw

log = logging.getLogger(__name__)

# sysexits.h, as Postfix's pipe and .forward read a command's exit status.
EX_OK = 0
EX_DATAERR = 65
EX_TEMPFAIL = 75


class Refused(Exception):
    """A message the forum will not store: too large."""


class TemporaryFailure(Exception):
    """The database could not take the message now; the sender should try again later."""


def store(raw: bytes, *, source: str, envelope_from: str | None, envelope_to: Iterable[str]) -> int:
    """Store one received message and commit, in the current app context; returns its id."""
    if len(raw) > MAX_STORED_BYTES:
        raise Refused("message too large to store")
    try:
        message = accept_raw(raw, source=source, envelope_from=envelope_from, envelope_to=list(envelope_to))
        db.session.commit()
        return message.id
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("inbound mail: could not store a message (%s); the sender will retry", error.__class__.__name__)
        raise TemporaryFailure(str(error)) from error
    finally:
        db.session.remove()


def receive_piped(raw: bytes, *, sender: str | None, recipients: Iterable[str]) -> tuple[int, str]:
    """What `flask forum mail-receive` does: an exit status for the MTA and a line for its log."""
    try:
        inbound_id = store(raw, source="pipe", envelope_from=sender, envelope_to=recipients)
    except Refused as error:
        return EX_DATAERR, str(error)
    except TemporaryFailure:
        return EX_TEMPFAIL, "the forum's database is unavailable; try again later"
    except Exception:  # a fault of ours: the MTA keeps the message and retries rather than bouncing it
        log.exception("inbound mail: storing a piped message failed")
        return EX_TEMPFAIL, "the forum could not store the message; try again later"
    return EX_OK, f"stored as inbound message {inbound_id}"


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().rstrip(".").lower()


class InboundHandler:
    """aiosmtpd hooks: recipients only at our incoming domain, DATA stored and committed before 250."""

    def __init__(self, app: Flask, *, lmtp: bool = False):
        self.app = app
        self.lmtp = lmtp
        self.domain = app.config["FORUM_INBOUND_DOMAIN"].strip().rstrip(".").lower()

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options):
        # Only the domain is judged here: which key or category address it names is the receiver's business,
        # and it answers the sender in plain words rather than with a bounce.
        if "@" not in address or _domain(address) != self.domain:
            return "550 5.1.1 Recipient address rejected: this server only receives mail for " + self.domain
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope):
        # The database is blocking: it runs in a thread so that other connections go on meanwhile.
        loop = asyncio.get_running_loop()
        status = await loop.run_in_executor(None, self._store, envelope)
        # LMTP answers DATA once per accepted recipient (RFC 2033); the one stored message serves them all.
        return "\r\n".join([status] * len(envelope.rcpt_tos)) if self.lmtp else status

    def _store(self, envelope: Envelope) -> str:
        with self.app.app_context():
            try:
                inbound_id = store(
                    envelope.original_content or b"", source="lmtp" if self.lmtp else "smtp",
                    envelope_from=envelope.mail_from or None, envelope_to=envelope.rcpt_tos,
                )
            except Refused:
                return "552 5.3.4 Message too big for the forum"
            except TemporaryFailure:
                return "451 4.3.0 The forum cannot store mail right now; try again later"
            except Exception:  # anything else is ours to fix; the sender keeps the message and retries
                log.exception("inbound mail: storing a message failed")
                return "451 4.3.0 The forum cannot store mail right now; try again later"
        return f"250 2.0.0 OK: stored as {inbound_id}"


class InboundController(Controller):
    """The listener on host:port, in a thread of its own (`start()`/`stop()`), SMTP or LMTP."""

    def __init__(self, app: Flask, *, hostname: str = "127.0.0.1", port: int = 2525, lmtp: bool = False,
                 data_size_limit: int = MAX_STORED_BYTES):
        self.lmtp = lmtp
        self.data_size_limit = data_size_limit
        super().__init__(InboundHandler(app, lmtp=lmtp), hostname=hostname, port=port)

    def factory(self):
        server_class = LMTP if self.lmtp else SMTP
        return server_class(
            self.handler, data_size_limit=self.data_size_limit, enable_SMTPUTF8=True, decode_data=False,
            ident="Fellowship inbound mail",
        )


def serve_forever(host: str, port: int, lmtp: bool) -> None:
    """Run the listener in the foreground until SIGTERM or Ctrl-C (a long-running service, like the worker)."""
    controller = InboundController(current_app._get_current_object(), hostname=host, port=port, lmtp=lmtp)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    controller.start()
    log.info("inbound mail: %s listener on %s:%d (pid %d)", "LMTP" if lmtp else "SMTP", host, port, os.getpid())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
