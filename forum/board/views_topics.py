"""Reading the board: the topic lists, a topic's pages (flat and threaded), and the links that lead to a post on
them."""

from flask import abort, current_app, redirect, render_template, request
from flask_login import current_user

from forum.board import annotations, queries
from forum.board.blueprint import bp
from forum.board.forms import ReplyForm
from forum.board.models import Topic
from forum.board.readable import deny_or_login, follow_move, readable_post, readable_topic
from forum.board.view_counts import record_view
from forum.bookmarks import queries as bookmark_queries
from forum.composer import forms as composer_forms
from forum.composer import services as composer
from forum.core import links
from forum.core.pagination import check_page_exists, requested_page
from forum.core.requests import whole_number
from forum.extensions import db
from forum.policy import can, is_member
from forum.tracking import queries as tracking_queries
from forum.tracking import services as tracking_services

VIEWS = ("flat", "threaded")


def _topics_per_page() -> int:
    return current_app.config["FORUM_TOPICS_PER_PAGE"]


def _posts_per_page() -> int:
    return current_app.config["FORUM_POSTS_PER_PAGE"]


@bp.route("/latest")
def latest():
    page = requested_page()
    topics = queries.topic_list(current_user, page, _topics_per_page())
    check_page_exists(page, topics.total, topics.per_page)
    states = tracking_queries.topic_states(current_user, [row.topic for row in topics.items])
    return render_template("board/latest.html", topics=topics, states=states)


@bp.route("/categories")
def categories():
    return render_template("board/categories.html", categories=queries.visible_categories(current_user))


@bp.route("/c/<slug>")
def category(slug: str):
    page = requested_page()
    found = queries.category_by_slug(slug)
    if found is None:
        abort(404)
    if not can(current_user, "view_category", found):
        deny_or_login()
    topics = queries.topic_list(current_user, page, _topics_per_page(), category=found)
    check_page_exists(page, topics.total, topics.per_page)
    states = tracking_queries.topic_states(current_user, [row.topic for row in topics.items])
    level = tracking_queries.category_level(current_user, found.id)
    return render_template("board/category.html", category=found, topics=topics, states=states, level=level)


@bp.route("/t/<int:topic_id>")
def topic_short(topic_id: int):
    topic = readable_topic(topic_id, follow_moves=True)
    return redirect(links.topic_url(topic), 301)


def _view_mode() -> str:
    mode = request.args.get("view", "flat")
    if mode not in VIEWS:
        abort(404)
    return mode


@bp.route("/t/<slug>/<int:topic_id>")
def topic(slug: str, topic_id: int):
    mode = _view_mode()
    page = requested_page()
    found = readable_topic(topic_id, follow_moves=True)
    if slug != found.slug:
        query = {name: value for name, value in request.args.items() if name in ("page", "view")}
        return redirect(links.topic_url(found, **query), 301)
    reading = tracking_queries.reading_state(current_user, found)
    if mode == "flat" and "page" not in request.args and reading and 0 < reading.last_read_post_number < found.highest_post_number:
        return _jump_to_first_unread(found, reading.last_read_post_number + 1)
    per_page = _posts_per_page()
    if mode == "threaded":
        posts = queries.threaded_page(current_user, found, page, per_page)
    else:
        posts = queries.posts_page(current_user, found, page, per_page)
    check_page_exists(page, posts.total, per_page)
    form = ReplyForm() if can(current_user, "reply", found) else None
    reply_target = None
    if form is not None:
        # The member's unsent reply, from this or another device, back in the composer; the page says so, and
        # says which post it answers (one since removed is no longer answered).
        composer_forms.restore_draft(form, current_user, composer.reply_key(found.id))
        reply_target = queries.reply_target(found, form.reply_to.data)
        form.reply_to.data = str(reply_target.post_number) if reply_target else ""
    liked, bookmarked = bookmark_queries.my_marks(current_user, [getattr(item, "post", item) for item in posts.items])
    participants = queries.message_participants(found) if found.is_private else None
    response = render_template(
        "board/topic.html", topic=found, posts=posts, mode=mode, form=form, reading=reading, liked=liked,
        bookmarked=bookmarked, participants=participants, reply_target=reply_target,
    )
    _count_visit(found, posts)
    return response


@bp.app_template_global()
def topic_annotations(topic: Topic, items, user) -> annotations.Annotations:
    """What other packages show on this page of the topic (`items`: posts, or the threaded view's nodes)."""
    return annotations.collect(topic, [getattr(item, "post", item) for item in items], user)


def _jump_to_first_unread(topic: Topic, post_number: int):
    page = queries.page_of_post(topic, post_number, _posts_per_page())
    return redirect(links.topic_url(topic, page=page, anchor=f"post-{post_number}"))


def _count_visit(topic: Topic, posts) -> None:
    """The one write of a page view: a member's read position (and view), or a visitor's view."""
    if not is_member(current_user):
        record_view(topic.id)
        return
    # With JavaScript (which sets the js cookie) the browser reports posts as they scroll into view;
    # without it, opening a page counts as reading it. Items are posts or thread nodes holding one.
    numbers = [getattr(item, "post", item).post_number for item in posts.items]
    read_up_to = 0 if request.cookies.get("js") == "1" else max(numbers, default=0)
    tracking_services.record_visit(current_user, topic, read_up_to)
    db.session.commit()


@bp.route("/t/<slug>/<int:topic_id>/<int:post_number>")
def topic_post(slug: str, topic_id: int, post_number: int):
    """A link to one post: the page of the topic that holds it, scrolled to it (or where the post went, if it
    was moved to another topic)."""
    found = readable_topic(topic_id, follow_moves=True, post_number=post_number)
    if post_number < 1 or post_number > found.highest_post_number:
        abort(404)
    if queries.post_by_number(found, post_number) is None:
        follow_move(topic_id, post_number)
    return _redirect_to_post(found, post_number)


@bp.route("/t/<slug>/<int:topic_id>/jump")
def topic_jump(slug: str, topic_id: int):
    """The reading position's "go to post" form (a GET form, so it works without JavaScript): on to that post
    number, kept within the topic, in the view the member was reading."""
    found = readable_topic(topic_id, follow_moves=True)
    wanted = whole_number(request.args.get("n", "").strip())
    number = min(max(wanted or 1, 1), max(found.highest_post_number, 1))
    args = {"view": "threaded"} if _view_mode() == "threaded" else {}
    return redirect(links.topic_url(found, number, **args))


@bp.route("/p/<int:post_id>")
def post_permalink(post_id: int):
    """The link to a post that stored text uses (a quote's header): by id, so it outlives a retitle or a move;
    for those who cannot read the post, it is as if it did not exist."""
    post = readable_post(post_id)
    return _redirect_to_post(post.topic, post.post_number)


def _redirect_to_post(topic: Topic, post_number: int):
    mode = _view_mode()
    per_page = _posts_per_page()
    if mode == "threaded":
        page = queries.threaded_page_of_post(topic, post_number, per_page)
    else:
        page = queries.page_of_post(topic, post_number, per_page)
    # Page 1 too: the flat view without ?page= opens at the member's first unread post, not at this one.
    args = {"page": page}
    if mode == "threaded":
        args["view"] = "threaded"
    return redirect(links.topic_url(topic, anchor=f"post-{post_number}", **args))
