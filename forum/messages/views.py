"""The inbox and writing a new private message."""

import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.auth.models import Group, User
from forum.board import queries as board_queries
from forum.board.gate import Held
from forum.composer import forms as composer_forms
from forum.composer import services as composer
from forum.core import links
from forum.core.errors import DomainError
from forum.core.forms import commit_or_show_error
from forum.core.pagination import check_page_exists, requested_page
from forum.extensions import db, limiter
from forum.messages import services as message_services
from forum.messages.forms import MessageForm
from forum.tracking import queries as tracking_queries

bp = Blueprint("messages", __name__)


@bp.route("/messages")
@login_required
def inbox():
    page = requested_page()
    topics = board_queries.topic_list(current_user, page, current_app.config["FORUM_TOPICS_PER_PAGE"], private=True)
    check_page_exists(page, topics.total, topics.per_page)
    states = tracking_queries.topic_states(current_user, [row.topic for row in topics.items])
    return render_template("messages/inbox.html", topics=topics, states=states)


def _recipients(text: str) -> tuple[list[User], list[Group]]:
    """Members and groups named in the To field; an unknown name is an error that says which."""
    names = [n.lstrip("@").lower() for n in re.split(r"[,\s]+", text) if n.strip("@ ")]
    users = {u.username_key: u for u in db.session.execute(select(User).where(User.username_key.in_(names))).scalars()}
    groups = {g.slug: g for g in db.session.execute(select(Group).where(Group.slug.in_(names))).scalars()}
    unknown = [n for n in names if n not in users and n not in groups]
    if unknown:
        raise DomainError(_("No member or group is called %(names)s.", names=", ".join(unknown)), field="recipients")
    return list(users.values()), list(groups.values())


def _send(form: MessageForm):
    """Send the message (or hand it to the gate), and drop its draft in the same transaction."""
    users, groups = _recipients(form.recipients.data)
    sent = message_services.create_private_message(current_user, form.title.data, form.raw.data, users, groups)
    composer.discard_draft(current_user, composer.MESSAGE_KEY)
    return sent


@bp.route("/messages/new", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["FORUM_MESSAGE_LIMIT"], key_func=lambda: f"member:{current_user.get_id()}", methods=["POST"])
def new():
    form = MessageForm()
    if request.method == "GET":
        # A message left unfinished comes back (with a notice that says so) before a profile's "Message" link
        # names someone: the draft is never overwritten by a fresh page.
        if composer_forms.restore_draft(form, current_user, composer.MESSAGE_KEY) is None and request.args.get("to"):
            form.recipients.data = request.args["to"][:200]
    if form.validate_on_submit():
        ok, topic = commit_or_show_error(form, lambda: _send(form))
        if ok and isinstance(topic, Held):
            flash(topic.message, "info")
            return redirect(url_for("messages.inbox"))
        if ok:
            return redirect(links.topic_url(topic))
    return render_template("messages/new.html", form=form, draft_key=composer.MESSAGE_KEY)
