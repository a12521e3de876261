"""/search (the results page, which works without JavaScript) and /search/quick (top matches as you type)."""

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from forum.core.pagination import requested_page
from forum.extensions import limiter
from forum.search import records, services
from forum.search.backend import IndexUnavailable
from forum.users import avatars

bp = Blueprint("search", __name__)

RETRY_SECONDS = "60"


def _search_key() -> str:
    return f"search:{current_user.get_id() if current_user.is_authenticated else request.remote_addr}"


@bp.route("/search")
@limiter.limit("60 per minute", key_func=_search_key)
def index():
    text = request.args.get("q", "")
    results = services.search(current_user, text, requested_page(), tz=get_timezone())
    response = render_template("search/index.html", q=text, results=results, record_kinds=records.kinds())
    if results.unavailable:
        return response, 503, {"Retry-After": RETRY_SECONDS}
    return response


@bp.route("/search/quick")
@limiter.limit("120 per minute", key_func=_search_key)
def quick():
    """JSON for the header's type-ahead: {"topics": [...], "members": [...]}."""
    text = request.args.get("q", "").strip()
    if not 2 <= len(text) <= 100:
        return jsonify(error="invalid_query", message=_("Type between 2 and 100 characters.")), 400
    try:
        found = services.quick(current_user, text)
    except IndexUnavailable:
        message = _("Search is being rebuilt. Please try again in a minute.")
        return jsonify(error="search_unavailable", message=message), 503, {"Retry-After": RETRY_SECONDS}
    return jsonify(
        topics=[
            {
                "title": topic.title,
                "url": url_for("board.topic", slug=topic.slug, topic_id=topic.id),
                "category": topic.category.name if topic.category else _("Message"),
                "author_avatar": avatars.for_script(topic.author, avatars.SUGGESTION_SIZE),
            }
            for topic in found["topics"]
        ],
        members=[
            {
                "username": user.username,
                "display_name": user.display_name,
                "organisation": user.organisation or "",
                "url": url_for("users.profile", username=user.username),
                "avatar": avatars.for_script(user, avatars.SUGGESTION_SIZE),
            }
            for user in found["members"]
        ],
    )
