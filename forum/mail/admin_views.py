"""Sent mail, for administrators (/admin/mail): the outbox with each message's delivery state, members whose
address refused mail for good, and the digest runs."""

from flask import Blueprint, abort, current_app, render_template
from sqlalchemy import func, select

from forum.admin.views import requires
from forum.auth.models import User
from forum.core.pagination import Page, check_page_exists, requested_page
from forum.extensions import db
from forum.mail.models import DigestRun, EmailPreferences
from forum.mail.outbox import OutboxEmail

bp = Blueprint("mail_admin", __name__, url_prefix="/admin/mail")

PER_PAGE = 30
LATEST = 20

# The HTML part of a message is shown in a sandboxed frame, on a response of its own: nothing in it may run,
# load from elsewhere (remote images would tell the sender it was read) or be framed by another site.
HTML_PART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _member_names(user_ids) -> dict[int, User]:
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}


@bp.route("/")
@requires("administer")
def index():
    page = requested_page()
    total = db.session.execute(select(func.count(OutboxEmail.id))).scalar_one()
    check_page_exists(page, total, PER_PAGE)
    messages = list(
        db.session.execute(
            select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        ).scalars()
    )
    failures = db.session.execute(
        select(EmailPreferences, User)
        .join(User, User.id == EmailPreferences.user_id)
        .where(EmailPreferences.failed_at.is_not(None))
        .order_by(EmailPreferences.failed_at.desc())
        .limit(LATEST)
    ).all()
    runs = db.session.execute(select(DigestRun).order_by(DigestRun.hour.desc()).limit(LATEST)).scalars()
    return render_template(
        "mail_admin/index.html",
        messages=Page(messages, page, PER_PAGE, total),
        members=_member_names(message.user_id for message in messages),
        failures=failures,
        runs=list(runs),
    )


def _message(message_id: int) -> OutboxEmail:
    message = db.session.get(OutboxEmail, message_id)
    if message is None:
        abort(404)
    return message


@bp.route("/<int:message_id>")
@requires("administer")
def message(message_id: int):
    shown = _message(message_id)
    headers = {
        "From": current_app.config["MAIL_DEFAULT_SENDER"],
        "To": shown.recipient,
        "Subject": shown.subject,
        "Message-ID": shown.message_id or "",
        **shown.extra_headers,
    }
    member = db.session.get(User, shown.user_id) if shown.user_id is not None else None
    return render_template("mail_admin/message.html", message=shown, headers=headers, member=member)


@bp.route("/<int:message_id>/html")
@requires("administer")
def html_part(message_id: int):
    shown = _message(message_id)
    if not shown.body_html:
        abort(404)
    response = current_app.response_class(shown.body_html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_PART_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
