"""Helpers for receiver tests: raw messages built like a mail client's, received through intake (the job runs
at commit, FORUM_JOBS_IMMEDIATE), and what came of them."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import SimpleNamespace

from sqlalchemy import select

from forum.board.models import Post
from forum.extensions import db
from forum.mail.inbound.intake import accept_raw
from forum.mail.inbound.models import InboundEmail
from forum.mail.inbound.reply_keys import issue_key, reply_address
from tests.mail.conftest import outbox_files

DOMAIN = "fellowship.localhost"


def raw_mail(to, body="", *, sender="aino@example.org", subject="Re: [Fellowship] Learning cycles",
             message_id=None, headers=None, html=None, attachments=()) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def receive(app, raw: bytes, envelope_to=()) -> SimpleNamespace:
    """Store the message as a way in would; its job runs at the commit. The row as it ended."""
    with app.app_context():
        inbound_id = accept_raw(raw, source="pipe", envelope_to=list(envelope_to)).id
        db.session.commit()
    return row(app, inbound_id)


def row(app, inbound_id) -> SimpleNamespace:
    with app.app_context():
        message = db.session.get(InboundEmail, inbound_id)
        fields = ("id", "status", "reason", "detail", "user_id", "post_id", "from_address", "subject",
                  "message_id", "attempts", "processed_at")
        return SimpleNamespace(**{name: getattr(message, name) for name in fields})


def key_for(app, user_id, post_id) -> str:
    """The Reply-To address a notification email about the post would give the member."""
    with app.app_context():
        address = reply_address(issue_key(user_id, post_id))
        db.session.commit()
    return address


def first_post_id(app, topic_id) -> int:
    with app.app_context():
        return db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def posts_in(app, topic_id) -> list[SimpleNamespace]:
    with app.app_context():
        posts = db.session.execute(select(Post).where(Post.topic_id == topic_id).order_by(Post.post_number)).scalars()
        return [SimpleNamespace(id=p.id, number=p.post_number, user_id=p.user_id, raw=p.raw,
                                reply_to=p.reply_to_post_number) for p in posts]


def answers_to(app, address) -> list:
    return [m for m in outbox_files(app) if m["To"] == address]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()
