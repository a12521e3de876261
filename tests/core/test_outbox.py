"""Mail is queued with its cause and retried until delivered."""

import smtplib
from pathlib import Path

from sqlalchemy import select

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.outbox import OutboxEmail, deliver_due


def test_failed_delivery_is_kept_and_retried_later(app, client, make, monkeypatch):
    make.user("aino", email="aino@example.org")
    outbox = Path(app.config["FORUM_OUTBOX_DIR"])
    earlier = set(outbox.glob("*.eml"))  # other tests' mail stays there; ids start again after a clean-up
    app.config["MAIL_SERVER"] = "127.0.0.1"
    app.config["MAIL_PORT"] = 9  # nothing listens on the discard port here: the send fails

    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "try again later")

    monkeypatch.setattr("forum.mail.outbox._send_smtp", refuse)
    try:
        # Buffered: the reset mail is built and sent once the response is closed.
        response = client.post("/password/forgot", data={"email": "aino@example.org"}, buffered=True)
        assert response.status_code == 302
        with app.app_context():
            message = db.session.execute(select(OutboxEmail)).scalar_one()
            assert message.sent_at is None and message.attempts == 1
            assert "try again later" in message.last_error
            assert message.next_attempt_at > utcnow()
            message.next_attempt_at = utcnow()
            db.session.commit()
    finally:
        app.config["MAIL_SERVER"] = None
    with app.app_context():
        assert deliver_due() == (1, 0)
        message = db.session.execute(select(OutboxEmail)).scalar_one()
        assert message.sent_at is not None and message.attempts == 2
    files = [path for path in outbox.glob(f"*-{message.id:06d}.eml") if path not in earlier]
    assert len(files) == 1 and "Reset your password" in files[0].read_text()


def test_message_held_by_another_worker_is_not_sent_twice(app):
    with app.test_request_context():
        message = OutboxEmail(recipient="a@example.org", subject="Hi", body_text="Hi", claimed_until=None)
        db.session.add(message)
        db.session.commit()
        from datetime import timedelta

        message.claimed_until = utcnow() + timedelta(minutes=5)
        db.session.commit()
        assert deliver_due() == (0, 0)
