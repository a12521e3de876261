"""/bookmarks and bookmarking a post."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.board import queries as board_queries
from forum.board.models import Post, Topic
from forum.bookmarks import services
from forum.bookmarks.forms import BookmarkForm
from forum.bookmarks.models import Bookmark
from forum.core import links
from forum.core.errors import DomainError
from forum.core.forms import commit_or_show_error
from forum.core.i18n import local_to_utc
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

@bp.route("/p/<int:post_id>/bookmark", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    post = board_queries.post_with_topic(post_id)
    if post is None or not can(current_user, "view_topic", post.topic):
        abort(404)
    # Taken now: a failed save rolls the session back, after which relationships cannot load.
    topic = post.topic
    existing = db.session.execute(
        select(Bookmark).where(Bookmark.user_id == current_user.id, Bookmark.post_id == post.id)
    ).scalar_one_or_none()
    form = BookmarkForm(obj=existing)
    if existing is not None and existing.reminder_at and not form.is_submitted():
        form.reminder_at.data = existing.reminder_at.astimezone(_member_zone()).replace(tzinfo=None)
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: services.save_bookmark(current_user, post, form.note.data, _as_utc(form.reminder_at.data))
        )
        if ok:
            flash(_("Bookmarked."), "success")
            return redirect(links.post_url(post, topic))
    return render_template("bookmarks/edit.html", post=post, topic=topic, form=form, existing=existing)


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
