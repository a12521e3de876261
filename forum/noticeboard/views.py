"""The Noticeboard's pages: a member dismissing the banner, and the facilitators' page where they open the
Noticeboard and choose which notice is pinned (/admin/noticeboard)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.board.models import Topic
from forum.core.errors import NotFound
from forum.core.forms import Form, commit_or_show_error, safe_next_url
from forum.extensions import db
from forum.noticeboard import queries, services
from forum.policy import can

bp = Blueprint("noticeboard", __name__)


def _topic(topic_id: int) -> Topic:
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        abort(404)
    return topic


@bp.route("/noticeboard/<int:topic_id>/dismiss", methods=["POST"])
@login_required
def dismiss(topic_id: int):
    """The banner's Dismiss button: the notice counts as read, and the member goes back to the page they were on."""
    try:
        services.dismiss(current_user, _topic(topic_id))
    except NotFound:
        abort(404)
    db.session.commit()
    return redirect(safe_next_url(request.form.get("next"), url_for("board.latest")))


def _facilitators_only() -> None:
    if not can(current_user, "open_noticeboard"):
        abort(403)


@bp.route("/admin/noticeboard")
@login_required
def manage():
    _facilitators_only()
    category = queries.noticeboard()
    notices = queries.notices(category) if category is not None else []
    # Pinned notices come first, newest first: the first of them is the banner.
    current = notices[0].id if notices and notices[0].is_pinned else None
    return render_template(
        "noticeboard/manage.html", category=category, notices=notices, current=current, form=Form(),
    )


@bp.route("/admin/noticeboard/open", methods=["POST"])
@login_required
def open_noticeboard():
    _facilitators_only()
    form = Form()
    if form.validate_on_submit():
        done, category = commit_or_show_error(form, lambda: services.ensure_noticeboard(current_user))
        if done:
            return redirect(url_for("board.new_topic", slug=category.slug))
    return redirect(url_for("noticeboard.manage"))


@bp.route("/admin/noticeboard/<int:topic_id>/pin", methods=["POST"])
@login_required
def pin(topic_id: int):
    return _set_pinned(topic_id, pinned=True)


@bp.route("/admin/noticeboard/<int:topic_id>/unpin", methods=["POST"])
@login_required
def unpin(topic_id: int):
    return _set_pinned(topic_id, pinned=False)


def _set_pinned(topic_id: int, pinned: bool):
    _facilitators_only()
    topic = _topic(topic_id)
    form = Form()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(form, lambda: services.set_pinned(current_user, topic, pinned))
        if done and pinned:
            flash(_("“%(title)s” is pinned.", title=topic.title), "success")
        elif done:
            flash(_("“%(title)s” is no longer pinned.", title=topic.title), "success")
    return redirect(url_for("noticeboard.manage"))
