"""The notification centre."""

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.board import queries as board_queries
from forum.core import links
from forum.core.pagination import Page, check_page_exists, requested_page
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Notification
from forum.notifications.outcomes import outcome_sentence
from forum.policy import can, is_member
from forum.tracking import queries as tracking_queries

bp = Blueprint("notifications", __name__)
bp.add_app_template_global(outcome_sentence, "moderation_outcome")

# How many notifications or conversations the header's menus show; the full pages list the rest.
MENU_SIZE = 8


@bp.app_context_processor
def bell():
    """The unread count for the header: one cheap indexed count per page, members only (none in mail that a
    job renders, outside any request)."""
    if not has_request_context() or not is_member(current_user):
        return {"unread_notifications": 0, "unread_messages": 0}
    # Once per request: a page made of several templates (fragments that other packages render) asks again.
    if "unread_notifications" not in g:
        g.unread_notifications, g.unread_message_notifications = services.unread_counts(current_user)
    return {"unread_notifications": g.unread_notifications, "unread_messages": g.unread_message_notifications}


@bp.route("/notifications")
@login_required
def index():
    page = requested_page()
    per_page = current_app.config["FORUM_TOPICS_PER_PAGE"]
    mine = Notification.user_id == current_user.id
    total = db.session.execute(select(func.count(Notification.id)).where(mine)).scalar_one()
    check_page_exists(page, total, per_page)
    items = db.session.execute(
        select(Notification)
        .where(mine)
        .options(joinedload(Notification.topic), joinedload(Notification.actor))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).scalars()
    # A notification about a topic the member can no longer read (moved, restricted) is not shown.
    visible = [n for n in items if n.topic is None or can(current_user, "view_topic", n.topic)]
    return render_template("notifications/index.html", notifications=Page(visible, page, per_page, total))


@bp.route("/notifications/<int:notification_id>", methods=["GET", "POST"])
@login_required
def open_notification(notification_id: int):
    """Go to what a notification is about; opening it with the form (a POST) also marks it read.
    A GET changes nothing, so an image or prefetch pointing here cannot mark anything read."""
    notification = db.session.execute(
        select(Notification).where(Notification.id == notification_id, Notification.user_id == current_user.id)
        .options(joinedload(Notification.topic))
    ).scalar_one_or_none()
    if notification is None:
        abort(404)
    if request.method == "POST":
        services.mark_read(current_user, notification.id)
        db.session.commit()
    topic = notification.topic
    if topic is None or not can(current_user, "view_topic", topic):
        return redirect(url_for("notifications.index"))
    return redirect(links.topic_url(topic, notification.post_number or 1))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read_all():
    services.mark_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/menu")
@login_required
def menu():
    """The header's notifications menu: the newest few, as a fragment the script shows under the bell."""
    items = services.recent(current_user, MENU_SIZE)
    visible = [n for n in items if n.topic is None or can(current_user, "view_topic", n.topic)]
    return render_template("notifications/_menu.html", notifications=visible)


@bp.route("/messages/menu")
@login_required
def messages_menu():
    """The header's messages menu: the member's latest private conversations with their unread counts."""
    topics = board_queries.topic_list(current_user, 1, MENU_SIZE, private=True)
    states = tracking_queries.topic_states(current_user, [row.topic for row in topics.items])
    return render_template("notifications/_messages_menu.html", topics=topics, states=states)
