"""`flask forum mail-serve`: an SMTP/LMTP listener that takes mail for the incoming domain only and says yes
only once the message is stored."""

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from forum.extensions import db
from forum.mail.inbound.intake import MAX_STORED_BYTES
from forum.mail.inbound.listener import InboundController
from forum.mail.inbound.models import InboundEmail, InboundStatus

RAW = (
    b"From: Ann <ann@example.org>\r\n"
    b"To: reply+0123456789abcdef@fellowship.localhost\r\n"
    b"Subject: Re: =?utf-8?q?Caf=C3=A9?= plans\r\n"
    b"Message-ID: <listener-1@example.org>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Caf\xc3\xa9 at nine.\r\n"
    b".a line that starts with a dot\r\n"
    b"\r\n"
    b"> On Tue, Bob wrote:\r\n"
    b"> earlier text\r\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def listener(app):
    controllers = []

    def start(**options):
        controller = InboundController(app, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        controllers.append(controller)
        return controller

    yield start
    for controller in controllers:
        controller.stop()


def stored(app) -> list[InboundEmail]:
    with app.app_context():
        return list(db.session.execute(select(InboundEmail).order_by(InboundEmail.id)).scalars())


def test_an_accepted_message_is_stored_byte_for_byte_before_the_250(app, listener):
    server = listener()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        refused = client.sendmail("ann@example.org", ["reply+0123456789abcdef@Fellowship.Localhost"], RAW)
    assert refused == {}
    [message] = stored(app)
    assert message.raw == RAW
    assert (message.source, message.size) == ("smtp", len(RAW))
    assert message.envelope_from == "ann@example.org"
    assert message.envelope_to == "reply+0123456789abcdef@Fellowship.Localhost"


def test_a_category_address_at_the_incoming_domain_is_accepted_too(app, listener):
    server = listener()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        client.sendmail("ann@example.org", ["plymouth-experiment@fellowship.localhost"], RAW)
    assert [message.envelope_to for message in stored(app)] == ["plymouth-experiment@fellowship.localhost"]


def test_a_recipient_at_another_domain_is_refused_at_rcpt(app, listener):
    server = listener()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        client.ehlo()
        client.mail("ann@example.org")
        code, reply = client.rcpt("someone@elsewhere.example")
        assert code == 550 and reply.startswith(b"5.1.1")
        client.rset()
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("ann@example.org", ["reply+abc@fellowship.localhost.evil.example"], RAW)
    assert stored(app) == []


def test_a_message_over_the_limit_is_refused_with_552_and_not_stored(app, listener):
    server = listener(data_size_limit=len(RAW) + 100)
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as refused:
            client.sendmail("ann@example.org", ["reply+abc@fellowship.localhost"], RAW + b"x" * 200 + b"\r\n")
    assert refused.value.smtp_code == 552
    assert stored(app) == []


def test_the_listener_announces_the_store_limit(listener):
    server = listener()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        client.ehlo()
        assert client.esmtp_features["size"] == str(MAX_STORED_BYTES)


def test_an_unreachable_database_answers_451_so_the_sender_retries(app, listener, monkeypatch, tmp_path):
    unreachable = create_engine(f"sqlite:///{tmp_path / 'missing' / 'forum.sqlite'}")
    with app.app_context():
        monkeypatch.setitem(db.engines, None, unreachable)
    server = listener()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail("ann@example.org", ["reply+abc@fellowship.localhost"], RAW)
    assert refused.value.smtp_code == 451
    monkeypatch.undo()
    assert stored(app) == []


def test_lmtp_mode_stores_the_message_and_answers_each_recipient(app, listener):
    server = listener(lmtp=True)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        reader = sock.makefile("rb")

        def say(line: bytes) -> list[bytes]:
            if line:
                sock.sendall(line + b"\r\n")
            replies = [reader.readline()]
            while replies[-1][3:4] == b"-":
                replies.append(reader.readline())
            return replies

        assert say(b"")[0].startswith(b"220")
        assert say(b"EHLO mx.example.org")[0].startswith(b"500")  # LMTP speaks LHLO
        assert say(b"LHLO mx.example.org")[-1].startswith(b"250")
        assert say(b"MAIL FROM:<ann@example.org>")[0].startswith(b"250")
        assert say(b"RCPT TO:<reply+abc@fellowship.localhost>")[0].startswith(b"250")
        assert say(b"RCPT TO:<plymouth-experiment@fellowship.localhost>")[0].startswith(b"250")
        assert say(b"DATA")[0].startswith(b"354")
        sock.sendall(RAW.replace(b"\r\n.", b"\r\n..") + b".\r\n")
        assert reader.readline().startswith(b"250 2.0.0")
        assert reader.readline().startswith(b"250 2.0.0")
        say(b"QUIT")
    [message] = stored(app)
    assert message.raw == RAW and message.source == "lmtp"
    assert message.envelope_to.splitlines() == ["reply+abc@fellowship.localhost", "plymouth-experiment@fellowship.localhost"]


def test_lmtp_works_with_pythons_lmtp_client(app, listener):
    server = listener(lmtp=True)
    with smtplib.LMTP("127.0.0.1", server.port, timeout=10) as client:
        assert client.sendmail("ann@example.org", ["reply+abc@fellowship.localhost"], RAW) == {}
    # Stored, then processed by the receiver's job at once (FORUM_JOBS_IMMEDIATE): no such reply key.
    assert [message.status for message in stored(app)] == [InboundStatus.REJECTED]


# --- the command itself: `flask forum mail-serve` as the service runs it -------------------------------

ROOT = Path(__file__).resolve().parents[3]


def start_mail_serve(app, folder: Path, *options: str, **env: str) -> tuple[subprocess.Popen, int]:
    """Run `flask forum mail-serve` in a process of its own on the test database; returns it and its port
    once it greets."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "FORUM_OUTBOX_DIR": app.config["FORUM_OUTBOX_DIR"],
        "FORUM_UPLOADS_DIR": app.config["FORUM_UPLOADS_DIR"],
        "FORUM_SEARCH_INDEX_DIR": app.config["FORUM_SEARCH_INDEX_DIR"],
        "FORUM_BASE_URL": app.config["FORUM_BASE_URL"],
        "FORUM_JOBS_IMMEDIATE": "1",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", str(ROOT / "wsgi.py"), "forum", "mail-serve", "--port", str(port),
         *options],
        cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                if probe.recv(100).startswith(b"220"):
                    return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise AssertionError(process.communicate()[0].decode())


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    return output.decode()


def test_flask_forum_mail_serve_receives_until_it_is_stopped(app, tmp_path):
    process, port = start_mail_serve(app, tmp_path)
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail("ann@example.org", ["reply+0123456789abcdef@fellowship.localhost"], RAW)
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert "Receiving mail for fellowship.localhost over SMTP" in output
    assert [message.raw for message in stored(app)] == [RAW]
