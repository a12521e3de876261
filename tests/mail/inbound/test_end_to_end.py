"""Reply-by-mail from end to end: a notification email leaves through the outbox to an SMTP server, the member
hits Reply, the reply reaches `flask forum mail-serve`, and the post is in the topic and in search."""

import email.utils
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail import notify
from forum.mail.inbound.models import InboundEmail, InboundStatus
from tests.conftest import page_text
from tests.mail.inbound.test_listener import start_mail_serve, stop
from tests.search.test_search_page import hit_links

pytestmark = pytest.mark.usefixtures("clean_outbox")


def notification_for(app, smtp_server, address: str):
    """Run the notification sweep past its delay, as the worker would; the commit sends the mail."""
    with app.app_context():
        notify.sweep(now=utcnow() + timedelta(minutes=5))
        db.session.commit()
    [message] = [m for m in smtp_server.inbox.messages if m["To"] == address]
    return message


def reply_to(notification, body: str) -> EmailMessage:
    """What a mail client writes when the member hits Reply: quoted history under the answer."""
    quoted = "\n".join(f"> {line}" for line in notification.get_body(("plain",)).get_content().splitlines())
    reply = EmailMessage()
    reply["From"] = "Aino <aino@example.org>"
    reply["To"] = notification["Reply-To"]
    reply["Subject"] = f"Re: {notification['Subject']}"
    reply["Message-ID"] = email.utils.make_msgid(domain="example.org")
    reply["In-Reply-To"] = notification["Message-ID"]
    reply["References"] = notification["Message-ID"]
    reply["Date"] = email.utils.formatdate()
    reply.set_content(f"{body}\n\nOn {notification['Date']}, Fellowship <forum@localhost> wrote:\n{quoted}\n")
    return reply


def test_a_reply_to_a_notification_email_is_posted_in_the_topic_and_found_in_search(
    app, make, auth, client, search, smtp_server, tmp_path
):
    aino, bob = make.user("aino", display_name="Aino"), make.user("bob", display_name="Bob")
    topic = make.topic(aino, make.category("Workshops"), title="Learning cycles", raw="How do we run cycles?")
    make.post(bob, topic, raw="We start with a question on Mondays.", reply_to=1)
    notification = notification_for(app, smtp_server, "aino@example.org")
    address = email.utils.parseaddr(notification["Reply-To"])[1]
    assert address.startswith("reply+") and address.endswith("@fellowship.localhost")

    process, port = start_mail_serve(app, tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp_server.port))
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as server:
            refused = server.send_message(
                reply_to(notification, "Tuesdays suit me better: bring the allotment map."),
                from_addr="aino@example.org", to_addrs=[address],
            )
    finally:
        output = stop(process)
    assert refused == {}, output

    with app.app_context():
        inbound = db.session.execute(select(InboundEmail)).scalar_one()
        assert (inbound.status, inbound.user_id) == (InboundStatus.POSTED, aino), (inbound.reason, inbound.detail)
    auth.login("bob")
    page = page_text(client.get(f"/t/learning-cycles/{topic}", follow_redirects=True))
    assert "Tuesdays suit me better: bring the allotment map." in page
    assert "We start with a question on Mondays." in page
    assert page.count("We start with a question on Mondays.") == 1  # the quoted history was not posted
    search.sync()
    assert hit_links(client.get("/search?q=allotment")) == [f"/t/learning-cycles/{topic}/3"]
