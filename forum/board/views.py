"""Pages of the forum: topic lists, topics (flat and threaded), posting, editing, history."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from forum.board import annotations, queries, redirects, services
from forum.board.diff import diff_lines, title_changes
from forum.board.forms import EditPostForm, ReplyForm, TopicForm
from forum.board.gate import Held
from forum.board.models import Post, Topic
from forum.board.view_counts import record_view
from forum.bookmarks import queries as bookmark_queries
from forum.composer import forms as composer_forms
from forum.composer import services as composer
from forum.core import links
from forum.core.errors import DomainError
from forum.core.errors_views import wants_json
from forum.core.forms import commit_or_show_error, show_domain_error
from forum.core.markdown import render_markdown
from forum.core.pagination import check_page_exists, requested_page
from forum.core.requests import whole_number
from forum.extensions import db, limiter
from forum.policy import can, is_member, post_is_visible, topic_is_live
from forum.tracking import queries as tracking_queries
from forum.tracking import services as tracking_services
from forum.uploads import services as upload_services

bp = Blueprint("board", __name__)

VIEWS = ("flat", "threaded")


def _post_limit() -> str:
    return current_app.config["FORUM_POST_LIMIT"]


def _member_key() -> str:
    return f"member:{current_user.get_id()}"


post_rate_limit = limiter.limit(_post_limit, key_func=_member_key, methods=["POST"])


def _deny_or_login():
    """Members get a 404 (no hint that a hidden thing exists); visitors are asked to log in first."""
    if not is_member(current_user):
        abort(current_app.login_manager.unauthorized())
    abort(404)


def _readable_topic(topic_id: int, follow_moves: bool = False, post_number: int | None = None) -> Topic:
    """The topic, if the member may read it. With `follow_moves`, the address of a topic that is gone (merged
    into another, say) redirects to where another package says it went (board/redirects.py)."""
    topic = queries.topic_for_view(topic_id)
    if follow_moves and (topic is None or not topic_is_live(topic)):
        _follow_move(topic_id, post_number)
    if topic is None:
        abort(404)
    if not can(current_user, "view_topic", topic):
        _deny_or_login()
    return topic


def _follow_move(topic_id: int, post_number: int | None) -> None:
    """Redirect (permanently) to where a resolver says this topic or post went, if one knows."""
    moved_to = redirects.resolve(topic_id, post_number, current_user)
    if moved_to is not None:
        abort(redirect(moved_to, 301))


def _readable_post(post_id: int) -> Post:
    post = queries.post_with_topic(post_id)
    if post is None:
        abort(404)
    if not can(current_user, "view_topic", post.topic):
        _deny_or_login()
    return post


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
        _deny_or_login()
    topics = queries.topic_list(current_user, page, _topics_per_page(), category=found)
    check_page_exists(page, topics.total, topics.per_page)
    states = tracking_queries.topic_states(current_user, [row.topic for row in topics.items])
    level = tracking_queries.category_level(current_user, found.id)
    return render_template("board/category.html", category=found, topics=topics, states=states, level=level)


@bp.route("/c/<slug>/new-topic", methods=["GET", "POST"])
@login_required
@post_rate_limit
def new_topic(slug: str):
    found = queries.category_by_slug(slug)
    if found is None or not can(current_user, "view_category", found):
        abort(404)
    if not can(current_user, "create_topic", found):
        abort(403)
    form = TopicForm()
    draft_key = composer.topic_key(found.id)
    if request.method == "GET":
        _restore_draft(form, draft_key)
    preview = None
    if form.validate_on_submit():
        if _wants_preview():
            preview = _preview_and_keep(form, draft_key, title=form.title.data)
        else:
            ok, topic = commit_or_show_error(
                form,
                lambda: _post_and_discard(draft_key, services.create_topic, current_user, found, form.title.data, _raw_with_attachment(form)),
            )
            if ok and isinstance(topic, Held):
                return _waiting(topic, links.category_url(found))
            if ok:
                return redirect(links.topic_url(topic))
    return render_template("board/new_topic.html", category=found, form=form, draft_key=draft_key, preview=preview)


def _wants_preview() -> bool:
    """The composer's Preview button (the no-JavaScript preview) was pressed rather than Post."""
    return request.form.get("preview") == "1"


def _preview_and_keep(form, draft_key: str | None, title: str | None = None, reply_to: int | None = None):
    """Render the text as it would be posted, and keep it as a draft (so it survives without JavaScript).
    A file picked for the preview is uploaded now and its Markdown added to the text: a browser never sends a
    picked file twice, so keeping it for the post would lose it."""

    def attach_and_keep():
        form.raw.data = _raw_with_attachment(form)
        if draft_key:
            composer.save_draft(current_user, draft_key, form.raw.data, title, reply_to)

    attachment = getattr(form, "attachment", None)
    name = attachment.data.filename if attachment is not None and attachment.data else None
    if draft_key or name:
        ok, _result = commit_or_show_error(form, attach_and_keep)
        if ok and name:
            flash(_("%(name)s is attached: its link is now in your text, and the post will show it.", name=name), "success")
    try:
        return render_markdown(form.raw.data)
    except DomainError as error:
        show_domain_error(form, error)
        return None


def _restore_draft(form, key: str) -> None:
    """Put the member's unsent text back in the composer (from this or another device); the page says so."""
    composer_forms.restore_draft(form, current_user, key)


def _raw_with_attachment(form) -> str:
    """The no-JavaScript way to attach: the file comes with the form and is added to the end of the post."""
    file = getattr(form, "attachment", None) and form.attachment.data
    if not file or not file.filename:
        return form.raw.data
    upload = upload_services.store_upload(current_user, file.filename, file.read())
    return f"{form.raw.data.rstrip()}\n\n{upload_services.markdown_for(upload)}\n"


def _post_and_discard(draft_key: str, create, *args):
    """Write the post (or hand it to whatever the gate holds it for), and drop the draft it came from in the
    same transaction."""
    created = create(*args)
    composer.discard_draft(current_user, draft_key)
    return created


def _waiting(held: Held, next_url: str):
    """The gate held the post: the author is told why, and what happens next."""
    flash(held.message, "info")
    return redirect(next_url)


@bp.route("/t/<int:topic_id>")
def topic_short(topic_id: int):
    topic = _readable_topic(topic_id, follow_moves=True)
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
    found = _readable_topic(topic_id, follow_moves=True)
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
    if form is not None:
        _restore_draft(form, composer.reply_key(found.id))
    liked, bookmarked = bookmark_queries.my_marks(current_user, [getattr(item, "post", item) for item in posts.items])
    participants = queries.message_participants(found) if found.is_private else None
    response = render_template(
        "board/topic.html", topic=found, posts=posts, mode=mode, form=form, reading=reading, liked=liked,
        bookmarked=bookmarked, participants=participants,
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
    found = _readable_topic(topic_id, follow_moves=True, post_number=post_number)
    if post_number < 1 or post_number > found.highest_post_number:
        abort(404)
    if queries.post_by_number(found, post_number) is None:
        _follow_move(topic_id, post_number)
    return _redirect_to_post(found, post_number)


@bp.route("/t/<slug>/<int:topic_id>/jump")
def topic_jump(slug: str, topic_id: int):
    """The reading position's "go to post" form (a GET form, so it works without JavaScript): on to that post
    number, kept within the topic, in the view the member was reading."""
    found = _readable_topic(topic_id, follow_moves=True)
    wanted = whole_number(request.args.get("n", "").strip())
    number = min(max(wanted or 1, 1), max(found.highest_post_number, 1))
    args = {"view": "threaded"} if _view_mode() == "threaded" else {}
    return redirect(links.topic_url(found, number, **args))


@bp.route("/p/<int:post_id>")
def post_permalink(post_id: int):
    """The link to a post that stored text uses (a quote's header): by id, so it outlives a retitle or a move;
    for those who cannot read the post, it is as if it did not exist."""
    post = _readable_post(post_id)
    return _redirect_to_post(post.topic, post.post_number)


def _redirect_to_post(topic: Topic, post_number: int):
    mode = _view_mode()
    per_page = _posts_per_page()
    if mode == "threaded":
        page = queries.threaded_page_of_post(topic, post_number, per_page)
    else:
        page = queries.page_of_post(topic, post_number, per_page)
    args = {"page": page} if page > 1 else {}
    if mode == "threaded":
        args["view"] = "threaded"
    return redirect(links.topic_url(topic, anchor=f"post-{post_number}", **args))


@bp.route("/t/<slug>/<int:topic_id>/reply", methods=["GET", "POST"])
@login_required
@post_rate_limit
def reply(slug: str, topic_id: int):
    """The composer on a page of its own: the no-JavaScript path for reply, reply-to and quote."""
    found = _readable_topic(topic_id)
    if not can(current_user, "reply", found):
        abort(403)
    form = ReplyForm()
    draft_key = composer.reply_key(found.id)
    if request.method == "GET":
        _restore_draft(form, draft_key)
        _prefill_reply(form, found)
    target = _reply_target(found, form.reply_to.data)
    preview = None
    if form.validate_on_submit() and _wants_preview():
        preview = _preview_and_keep(form, draft_key, reply_to=target.post_number if target else None)
    elif form.validate_on_submit():
        ok, post = commit_or_show_error(
            form,
            lambda: _post_and_discard(
                draft_key, services.create_post, current_user, found, _raw_with_attachment(form), target.post_number if target else None
            ),
        )
        if ok and isinstance(post, Held):
            return _waiting(post, links.topic_url(found))
        if ok:
            return redirect(links.post_url(post, found))
    return render_template("board/reply.html", topic=found, form=form, target=target, draft_key=draft_key, preview=preview)


def _prefill_reply(form: ReplyForm, topic: Topic) -> None:
    if whole_number(request.args.get("to")) is not None:
        form.reply_to.data = request.args["to"]
    quote = whole_number(request.args.get("quote"))
    if quote is not None:
        quoted = queries.post_by_number(topic, quote)
        if quoted is not None and post_is_visible(quoted):
            form.raw.data = (form.raw.data or "") + services.quote_markdown(quoted, quoted.author)
            form.reply_to.data = form.reply_to.data or str(quote)


def _reply_target(topic: Topic, reply_to: str | None) -> Post | None:
    number = whole_number(reply_to)
    if number is None:
        return None
    target = queries.post_by_number(topic, number)
    return target if target is not None and post_is_visible(target) else None


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post = _readable_post(post_id)
    # Taken now: a failed save rolls the session back, after which relationships cannot load.
    topic = post.topic
    if not can(current_user, "edit_post", post):
        abort(403)
    form = EditPostForm(obj=post)
    if request.method == "GET" and post.is_first:
        form.title.data = topic.title
    preview = None
    if form.validate_on_submit() and _wants_preview():
        preview = _preview_and_keep(form, None)
    elif form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: services.edit_post(current_user, post, form.raw.data, form.title.data if post.is_first else None,
                                       form.reason.data),
        )
        if ok:
            flash(_("Your changes are saved."), "success")
            return redirect(links.post_url(post, topic))
    return render_template("board/edit_post.html", post=post, topic=topic, form=form, preview=preview)


@bp.route("/p/<int:post_id>/delete", methods=["POST"])
@login_required
def delete_post(post_id: int):
    post = _readable_post(post_id)
    services.delete_post(current_user, post)
    db.session.commit()
    if post.is_first:
        flash(_("The topic is deleted. Facilitators can restore it."), "info")
        if post.topic.is_private:
            return redirect(url_for("messages.inbox"))
        return redirect(links.category_url(post.topic.category))
    flash(_("The post is deleted. Facilitators can restore it."), "info")
    return redirect(links.post_url(post))


@bp.route("/p/<int:post_id>/restore", methods=["POST"])
@login_required
def restore_post(post_id: int):
    post = _readable_post(post_id)
    services.restore_post(current_user, post)
    db.session.commit()
    flash(_("The post is restored."), "success")
    return redirect(links.post_url(post))


@bp.route("/p/<int:post_id>/history")
def post_history(post_id: int):
    post = _readable_post(post_id)
    if not can(current_user, "view_post_content", post):
        abort(404)
    revisions = queries.revisions(post)
    titles = title_changes([revision.title for revision in revisions])
    changes = [
        (revision, diff_lines(previous.raw, revision.raw, revision.diff_runs), new_title)
        for previous, revision, new_title in zip(revisions, revisions[1:], titles, strict=False)
    ]
    return render_template("board/history.html", post=post, topic=post.topic, revisions=revisions, changes=changes)


@bp.route("/p/<int:post_id>/replies")
def post_replies(post_id: int):
    """Replies to a post: a fragment for the in-place expander, or a page without JavaScript."""
    post = _readable_post(post_id)
    replies = queries.replies_to(post.topic, post.post_number)
    template = "board/_replies.html" if request.args.get("fragment") == "1" else "board/replies.html"
    return render_template(template, post=post, topic=post.topic, replies=replies)


@bp.route("/p/<int:post_id>/like", methods=["POST"])
@login_required
def like_post(post_id: int):
    """Like a post or undo the like; answers JSON to the script (errors too: a code and a message), or goes back
    to the post."""
    post = _readable_post(post_id)
    liked = services.toggle_like(current_user, post)
    db.session.commit()
    if wants_json():
        count = post.like_count
        return {
            "liked": liked, "like_count": count,
            "like_count_label": ngettext("%(num)d like", "%(num)d likes", count) if count else "",
            "message": _("You liked post #%(n)s.", n=post.post_number) if liked else _("You took back your like of post #%(n)s.", n=post.post_number),
        }
    return redirect(links.post_url(post))


@bp.route("/p/<int:post_id>/likes")
def post_likes(post_id: int):
    post = _readable_post(post_id)
    return render_template("board/likes.html", post=post, topic=post.topic, likers=queries.likers(post))
