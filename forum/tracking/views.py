"""/new and /unread, dismissing, read positions sent by the browser, and notification levels."""

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.board import queries as board_queries
from forum.board.models import Topic
from forum.core.errors_views import wants_json
from forum.core.pagination import check_page_exists, requested_page
from forum.core.requests import whole_number
from forum.extensions import db
from forum.policy import can
from forum.tracking import queries, services
from forum.tracking.models import NotificationLevel

bp = Blueprint("tracking", __name__)

LISTS = {
    "new": (queries.new_topics_filter, "tracking/new.html"),
    "unread": (queries.unread_topics_filter, "tracking/unread.html"),
}


def _topic_list(kind: str):
    page = requested_page()
    where, template = LISTS[kind]
    topics = board_queries.topic_list(current_user, page, current_app.config["FORUM_TOPICS_PER_PAGE"], where=where(current_user))
    check_page_exists(page, topics.total, topics.per_page)
    states = queries.topic_states(current_user, [row.topic for row in topics.items])
    return render_template(template, topics=topics, states=states)


@bp.route("/new")
@login_required
def new():
    return _topic_list("new")


@bp.route("/unread")
@login_required
def unread():
    return _topic_list("unread")


@bp.route("/dismiss", methods=["POST"])
@login_required
def dismiss():
    """Mark everything (or one category) as read; the no-JS form posts here."""
    category = None
    slug = request.form.get("category")
    if slug:
        category = board_queries.category_by_slug(slug)
        if category is None or not can(current_user, "view_category", category):
            abort(404)
    services.dismiss(current_user, category)
    db.session.commit()
    flash(_("Marked as read."), "success")
    return redirect(url_for("board.category", slug=category.slug) if category else url_for("board.latest"))


def _readable_topic(topic_id: int) -> Topic:
    topic = board_queries.topic_for_view(topic_id)
    if topic is None or not can(current_user, "view_topic", topic):
        abort(404)
    return topic


@bp.route("/t/<int:topic_id>/read", methods=["POST"])
@login_required
def read(topic_id: int):
    """The browser reports the highest post number that has scrolled into view (JSON)."""
    topic = _readable_topic(topic_id)
    payload = request.get_json(silent=True)
    number = payload.get("post_number") if isinstance(payload, dict) else None
    if not isinstance(number, int) or whole_number(number) is None:
        return jsonify(error="invalid_post_number", message=_("post_number must be a whole number.")), 400
    services.mark_read(current_user, topic, number)
    db.session.commit()
    return jsonify(ok=True)


# What the member hears (live region) or reads (flash) once a level is saved: the level itself, in a sentence.
TOPIC_LEVEL_SAVED = {
    NotificationLevel.WATCHING: _l("You are now watching this topic: every new post notifies you."),
    NotificationLevel.TRACKING: _l("You are now tracking this topic: it shows an unread count, and replies and mentions notify you."),
    NotificationLevel.NORMAL: _l("This topic is back to normal: replies and mentions notify you."),
    NotificationLevel.MUTED: _l("You have muted this topic: nothing in it notifies you."),
}
CATEGORY_LEVEL_SAVED = {
    NotificationLevel.WATCHING: _l("You are now watching this category: every new post in it notifies you."),
    NotificationLevel.TRACKING: _l("You are now tracking this category: its topics show unread counts, and replies and mentions notify you."),
    NotificationLevel.NORMAL: _l("This category is back to normal: replies and mentions notify you."),
    NotificationLevel.MUTED: _l("You have muted this category: nothing in it notifies you, and its topics leave New and Unread."),
}


def _level_saved(level: NotificationLevel, message: str, back: str):
    """JSON for the script (which announces the message), or the message flashed on the way back."""
    if wants_json():
        return jsonify(level=level.value, message=message)
    flash(message, "success")
    return redirect(back)


def _level_from_form() -> NotificationLevel:
    try:
        return NotificationLevel(request.form.get("level", ""))
    except ValueError:
        if wants_json():
            refusal = jsonify(error="invalid_level", message=_("Choose watching, tracking, normal or muted."))
            refusal.status_code = 400
            abort(refusal)
        abort(400)


@bp.route("/t/<int:topic_id>/level", methods=["POST"])
@login_required
def topic_level(topic_id: int):
    """Choose watching, tracking, normal or muted for a topic: back to the topic, or JSON for the script."""
    topic = _readable_topic(topic_id)
    level = _level_from_form()
    services.set_topic_level(current_user, topic, level)
    db.session.commit()
    back = url_for("board.topic", slug=topic.slug, topic_id=topic.id, page=1)
    return _level_saved(level, str(TOPIC_LEVEL_SAVED[level]), back)


@bp.route("/c/<slug>/level", methods=["POST"])
@login_required
def category_level(slug: str):
    category = board_queries.category_by_slug(slug)
    if category is None or not can(current_user, "view_category", category):
        abort(404)
    level = _level_from_form()
    services.set_category_level(current_user, category, level)
    db.session.commit()
    return _level_saved(level, str(CATEGORY_LEVEL_SAVED[level]), url_for("board.category", slug=category.slug))
