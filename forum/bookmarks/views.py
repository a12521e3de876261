"""/bookmarks and bookmarking a post."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.board import queries as board_queries
from forum.board.models import Post, Topic
from forum.bookmarks import reminders, services
from forum.bookmarks.forms import BookmarkForm
from forum.bookmarks.models import Bookmark
from forum.core import links
from forum.core.errors import DomainError
from forum.core.errors_views import wants_json
from forum.core.forms import show_domain_error
from forum.core.i18n import datetime_filter, iso_filter, local_to_utc
from forum.core.models import utcnow
from forum.core.pagination import Page, check_page_exists, requested_page
from forum.extensions import db
from forum.policy import can, visible_topics_filter

bp = Blueprint("bookmarks", __name__)


@bp.route("/bookmarks")
@login_required
def index():
    page = requested_page()
    per_page = current_app.config["FORUM_TOPICS_PER_PAGE"]
    # Bookmarks of posts the member can no longer read are kept but not listed.
    where = (Bookmark.user_id == current_user.id) & visible_topics_filter(current_user, include_private=True)
    query = select(Bookmark).join(Post, Post.id == Bookmark.post_id).join(Topic, Topic.id == Post.topic_id).where(where)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    check_page_exists(page, total, per_page)
    items = db.session.execute(
        query.options(joinedload(Bookmark.post).joinedload(Post.topic), joinedload(Bookmark.post).joinedload(Post.author))
        .order_by(Bookmark.created_at.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).scalars()
    return render_template("bookmarks/index.html", bookmarks=Page(list(items), page, per_page, total))


def _member_zone() -> ZoneInfo:
    return ZoneInfo(str(get_timezone()))


def _as_utc(local: datetime | None) -> datetime | None:
    """A time typed (without zone) in the member's zone, as an aware UTC time."""
    if local is None:
        return None
    moment = local_to_utc(local, _member_zone())
    if moment is None:
        raise DomainError(_l("Choose a reminder time between the years 1900 and 2999."), field="reminder_at")
    return moment

@bp.app_template_global()
def bookmark_presets() -> list[tuple[str, str, str]]:
    """(value, label, the time it means now in the member's zone, or "") for each reminder preset, worked out once
    per request: every post's bookmark menu on a page shows the same."""
    if "bookmark_presets" not in g:
        now, zone = utcnow(), _member_zone()
        g.bookmark_presets = []
        for preset, label in reminders.LABELS.items():
            when = reminders.reminder_time(preset, now, zone)
            g.bookmark_presets.append((preset, str(label), datetime_filter(when) if when else ""))
    return g.bookmark_presets


def _chosen_reminder(form: BookmarkForm) -> datetime | None:
    """The reminder the member chose: a preset worked out in their zone, or the time they typed (custom, or the
    form of the bookmark page, which sends no preset)."""
    preset = request.form.get("preset", "")
    if preset not in ("", *reminders.PRESETS):
        raise DomainError(_l("Choose one of the reminder times."), field="reminder_at")
    typed = form.reminder_at.data if form.reminder_at.raw_data else None
    if preset not in ("", reminders.CUSTOM) and typed is not None:
        # A time typed but another choice ticked: say so rather than silently drop what the member typed.
        raise DomainError(_l("To be reminded at the time you typed, choose “Custom time” (or clear the time)."), field="reminder_at")
    if preset in ("", reminders.CUSTOM):
        if preset == reminders.CUSTOM and typed is None:
            raise DomainError(_l("Choose a date and time for the reminder."), field="reminder_at")
        return _as_utc(typed)
    return reminders.reminder_time(preset, utcnow(), _member_zone())


def _json_error(code: str, message: str, status: int = 400):
    return jsonify(error=code, message=message), status


def _first_error(form: BookmarkForm) -> str:
    return next((str(errors[0]) for errors in form.errors.values() if errors), _("Check the bookmark and try again."))


def _readable_post_and_bookmark(post_id: int) -> tuple[Post, Topic, Bookmark | None]:
    """The post and its topic, if the member may read it (else 404), and the member's bookmark of it, if any."""
    post = board_queries.post_with_topic(post_id)
    if post is None or not can(current_user, "view_topic", post.topic):
        abort(404)
    # Taken now: a failed save rolls the session back, after which relationships cannot load.
    topic = post.topic
    bookmark = db.session.execute(
        select(Bookmark).where(Bookmark.user_id == current_user.id, Bookmark.post_id == post.id)
    ).scalar_one_or_none()
    return post, topic, bookmark


def _answer(post: Post, topic: Topic, bookmark: Bookmark | None, message: str, category: str):
    """The member's bookmark of the post as it now stands (None: removed): JSON for the post's bookmark menu, or
    the message flashed on the way back to the post."""
    if wants_json():
        reminder_at = bookmark.reminder_at if bookmark is not None else None
        return jsonify(bookmarked=bookmark is not None, reminder_at=iso_filter(reminder_at) or None, message=message)
    flash(message, category)
    return redirect(links.post_url(post, topic))


def _saved(post: Post, topic: Topic, bookmark: Bookmark):
    if bookmark.reminder_at is None:
        message = _("Bookmarked.")
    else:
        message = _("Bookmarked. You will be reminded %(when)s.", when=datetime_filter(bookmark.reminder_at))
    return _answer(post, topic, bookmark, message, "success")


@bp.route("/p/<int:post_id>/bookmark", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    """Bookmark a post: the page with a note and any reminder, the post's bookmark menu (presets) posts here too;
    a script asking for JSON gets the outcome in place."""
    post, topic, existing = _readable_post_and_bookmark(post_id)
    form = BookmarkForm(obj=existing)
    if existing is not None and existing.reminder_at and not form.is_submitted():
        form.reminder_at.data = existing.reminder_at.astimezone(_member_zone()).replace(tzinfo=None)
    if form.validate_on_submit():
        try:
            bookmark = services.save_bookmark(current_user, post, form.note.data, _chosen_reminder(form))
        except DomainError as error:
            db.session.rollback()
            if wants_json():
                return _json_error("bookmark_refused", str(error.message), error.status_code)
            show_domain_error(form, error)
        else:
            db.session.commit()
            return _saved(post, topic, bookmark)
    elif wants_json() and form.is_submitted():
        return _json_error("invalid_bookmark", _first_error(form))
    return render_template("bookmarks/edit.html", post=post, topic=topic, form=form, existing=existing)


@bp.route("/p/<int:post_id>/bookmark/remove", methods=["POST"])
@login_required
def remove(post_id: int):
    """Remove the member's bookmark of a post (from the post's bookmark menu); back to the post, or JSON."""
    post, topic, bookmark = _readable_post_and_bookmark(post_id)
    if bookmark is not None:
        services.delete_bookmark(current_user, bookmark)
        db.session.commit()
    return _answer(post, topic, None, _("Bookmark removed."), "info")


@bp.route("/bookmarks/<int:bookmark_id>/delete", methods=["POST"])
@login_required
def delete(bookmark_id: int):
    bookmark = db.session.get(Bookmark, bookmark_id)
    if bookmark is None or bookmark.user_id != current_user.id:
        abort(404)
    services.delete_bookmark(current_user, bookmark)
    db.session.commit()
    flash(_("Bookmark removed."), "info")
    return redirect(url_for("bookmarks.index"))
