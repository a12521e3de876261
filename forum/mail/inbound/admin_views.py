"""Received mail, for administrators (/admin/mail/inbound): every inbound message newest first with what
became of it, one message's headers, what the forum kept of it and the raw message, and "Process again".
Beside them, "view the email as received" (/p/<post_id>/email) for a post's author and staff."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from forum.admin.views import requires
from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.core.forms import Form
from forum.core.jobs import enqueue_after_commit
from forum.core.pagination import Page, check_page_exists, requested_page
from forum.extensions import db
from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.intake import PROCESS_TASK
from forum.mail.inbound.models import InboundEmail, InboundStatus
from forum.mail.inbound.parse import parse_message
from forum.mail.inbound.trim import trim_reply
from forum.policy import Policy

bp = Blueprint("inbound_admin", __name__, url_prefix="/admin/mail/inbound")
author_bp = Blueprint("inbound_email", __name__)

PER_PAGE = 30
# The raw message shown in the page is cut here; the download has all of it.
SHOWN_RAW_CHARS = 100_000
_READ_AS_A_POST = (InboundStatus.POSTED, InboundStatus.HELD, InboundStatus.REJECTED)


class ProcessAgainForm(Form):
    """Only its CSRF token: the message is in the URL."""


def process_again(message: InboundEmail) -> None:
    """Put a message back in the queue: the receiver reads it again after the caller commits."""
    message.status = InboundStatus.RECEIVED
    message.reason = None
    message.detail = None
    db.session.flush()
    enqueue_after_commit(db.session, PROCESS_TASK, message.id)


@bp.route("/")
@requires("administer")
def index():
    page = requested_page()
    total = db.session.execute(select(func.count(InboundEmail.id))).scalar_one()
    check_page_exists(page, total, PER_PAGE)
    rows = db.session.execute(
        select(InboundEmail.id, InboundEmail.received_at, InboundEmail.source, InboundEmail.from_address,
               InboundEmail.envelope_from, InboundEmail.subject, InboundEmail.status, InboundEmail.reason,
               InboundEmail.user_id, InboundEmail.post_id, User)
        .outerjoin(User, User.id == InboundEmail.user_id)
        .order_by(InboundEmail.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template("inbound_admin/index.html", messages=Page(rows, page, PER_PAGE, total))


def _message(inbound_id: int) -> InboundEmail:
    message = db.session.get(InboundEmail, inbound_id)
    if message is None:
        abort(404)
    return message


def _kept_text(message: InboundEmail) -> str | None:
    """What the receiver keeps of a message it read as a post, as it would post it (None for the rest: not yet
    processed, a bounce, an auto-reply)."""
    if message.status not in _READ_AS_A_POST:
        return None
    try:
        parsed = parse_message(message.raw)
    except InboundMailError:
        return None
    return trim_reply(parsed.plain, parsed.html)


def _headers(raw: bytes) -> list[tuple[str, str]]:
    try:
        return list(parse_message(raw).headers)
    except InboundMailError:
        return []


def _raw_text(raw: bytes) -> tuple[str, bool]:
    text = raw.decode("utf-8", errors="replace")
    return text[:SHOWN_RAW_CHARS], len(text) > SHOWN_RAW_CHARS


@bp.route("/<int:inbound_id>")
@requires("administer")
def message(inbound_id: int):
    shown = _message(inbound_id)
    member = db.session.get(User, shown.user_id) if shown.user_id is not None else None
    raw_text, cut = _raw_text(shown.raw)
    return render_template(
        "inbound_admin/message.html", message=shown, member=member, headers=_headers(shown.raw),
        kept=_kept_text(shown), raw_text=raw_text, raw_cut=cut, form=ProcessAgainForm(),
    )


def _download(message: InboundEmail):
    response = current_app.response_class(message.raw, mimetype="message/rfc822")
    response.headers["Content-Disposition"] = f'attachment; filename="inbound-{message.id}.eml"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<int:inbound_id>/raw")
@requires("administer")
def raw(inbound_id: int):
    return _download(_message(inbound_id))


@bp.route("/<int:inbound_id>/process", methods=["POST"])
@requires("administer")
def process(inbound_id: int):
    shown = _message(inbound_id)
    if ProcessAgainForm().validate_on_submit():
        process_again(shown)
        db.session.commit()
        flash(_("The message will be processed again."), "success")
    return redirect(url_for("inbound_admin.message", inbound_id=shown.id))


# --- the author's "view the email as received" ----------------------------------------------------------

def _post_email(post_id: int) -> tuple[Post, InboundEmail]:
    """The post and the message it came from, for its author (who can still read the topic) and staff."""
    if not current_user.is_authenticated:
        abort(404)
    found = db.session.execute(
        select(Post, Topic, InboundEmail)
        .join(Topic, Topic.id == Post.topic_id)
        .join(InboundEmail, InboundEmail.post_id == Post.id)
        .where(Post.id == post_id)
        .order_by(InboundEmail.id.desc())
        .limit(1)
    ).first()
    if found is None:
        abort(404)
    post, topic, message = found
    policy = Policy(current_user)
    allowed = policy.is_staff or (policy.is_member and post.user_id == current_user.id and policy.can_view_topic(topic))
    if not allowed:
        abort(404)
    return post, message


@author_bp.route("/p/<int:post_id>/email")
def as_received(post_id: int):
    post, message = _post_email(post_id)
    raw_text, cut = _raw_text(message.raw)
    return render_template("inbound_admin/as_received.html", post=post, message=message, raw_text=raw_text,
                           raw_cut=cut)


@author_bp.route("/p/<int:post_id>/email.eml")
def as_received_download(post_id: int):
    _, message = _post_email(post_id)
    return _download(message)
