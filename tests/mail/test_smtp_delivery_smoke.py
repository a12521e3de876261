"""The outbox delivers to a real SMTP server with both parts and its headers."""

from forum.extensions import db
from forum.mail.compose import queue_email
from tests.mail.conftest import delivered


def test_an_invitation_reaches_a_real_smtp_server_with_text_html_and_a_stable_message_id(app, make, smtp_server):
    make.user("fiona")
    with app.test_request_context():
        queued = queue_email(
            "newcomer@example.org", "Hello", "password_reset", user=type("U", (), {"display_name": "New"})(),
            token="abc", minutes=30, headers={"X-Forum-Test": "yes"},
        )
        db.session.commit()
        message_id = queued.message_id
    # Tests run jobs as soon as they are enqueued: the commit delivered it; nothing is left for the sweep.
    assert delivered(app) == (0, 0)
    [message] = smtp_server.inbox.messages
    assert message["Message-ID"] == message_id
    assert message["X-Forum-Test"] == "yes"
    assert "/password/reset/abc" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "/password/reset/abc" in html and "<style" not in html
