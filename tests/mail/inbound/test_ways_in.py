"""`flask forum mail-receive`: an MTA's pipe hands over one message on stdin; the exit status tells it whether
the message is safe (0), refused for good (65) or to be retried (75)."""

import pytest
from sqlalchemy import create_engine, select

from forum.extensions import db
from forum.mail.inbound.intake import MAX_STORED_BYTES
from forum.mail.inbound.models import InboundEmail

RAW = (
    b"From: Ann <ann@example.org>\n"
    b"To: reply+0123456789abcdef@fellowship.localhost\n"
    b"Subject: Re: plans\n"
    b"Message-ID: <pipe-1@example.org>\n"
    b"\n"
    b"See you at nine.\n"
)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def stored(app) -> list[InboundEmail]:
    with app.app_context():
        return list(db.session.execute(select(InboundEmail)).scalars())


def test_a_piped_message_is_stored_as_received_and_the_mta_told_so(app, runner):
    result = runner.invoke(
        args=["forum", "mail-receive", "--sender", "ann@example.org", "--recipient",
              "reply+0123456789abcdef@fellowship.localhost"],
        input=RAW,
    )
    assert result.exit_code == 0, result.output
    [message] = stored(app)
    assert message.raw == RAW and message.source == "pipe"
    assert (message.envelope_from, message.envelope_to) == (
        "ann@example.org", "reply+0123456789abcdef@fellowship.localhost"
    )
    assert f"stored as inbound message {message.id}" in result.output


def test_a_message_too_large_to_store_is_refused_with_ex_dataerr(app, runner):
    result = runner.invoke(args=["forum", "mail-receive"], input=RAW + b"x" * MAX_STORED_BYTES)
    assert result.exit_code == 65
    assert stored(app) == []


def test_an_unreachable_database_exits_with_ex_tempfail_so_the_mta_retries(app, runner, monkeypatch, tmp_path):
    with app.app_context():
        monkeypatch.setitem(db.engines, None, create_engine(f"sqlite:///{tmp_path / 'missing' / 'forum.sqlite'}"))
    result = runner.invoke(args=["forum", "mail-receive", "--recipient", "reply+abc@fellowship.localhost"], input=RAW)
    assert result.exit_code == 75
    monkeypatch.undo()
    assert stored(app) == []


def test_a_fault_while_storing_is_a_temporary_failure_not_a_bounce(app, runner, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("forum.mail.inbound.listener.accept_raw", broken)
    result = runner.invoke(args=["forum", "mail-receive"], input=RAW)
    assert result.exit_code == 75
    assert stored(app) == []
