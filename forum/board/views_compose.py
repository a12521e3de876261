"""Writing on the board: a new topic, a reply and an edit, each on a composer page of its own (the path that works
without JavaScript), with drafts, the preview, an attached file and the gate's hold."""

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.board import queries, services
from forum.board.blueprint import bp
from forum.board.forms import EditPostForm, ReplyForm, TopicForm
from forum.board.gate import Held
from forum.board.models import Topic
from forum.board.readable import readable_post, readable_topic
from forum.composer import forms as composer_forms
from forum.composer import services as composer
from forum.core import links
from forum.core.errors import DomainError
from forum.core.forms import commit_or_show_error, show_domain_error
from forum.core.markdown import render_markdown
from forum.core.requests import whole_number
from forum.extensions import limiter
from forum.policy import can, post_is_visible
from forum.uploads import services as upload_services


def _post_limit() -> str:
    return current_app.config["FORUM_POST_LIMIT"]


def _member_key() -> str:
    return f"member:{current_user.get_id()}"


post_rate_limit = limiter.limit(_post_limit, key_func=_member_key, methods=["POST"])


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


@bp.route("/t/<slug>/<int:topic_id>/reply", methods=["GET", "POST"])
@login_required
@post_rate_limit
def reply(slug: str, topic_id: int):
    """The composer on a page of its own: the no-JavaScript path for reply, reply-to and quote."""
    found = readable_topic(topic_id)
    if not can(current_user, "reply", found):
        abort(403)
    form = ReplyForm()
    draft_key = composer.reply_key(found.id)
    if request.method == "GET":
        _restore_draft(form, draft_key)
        _prefill_reply(form, found)
    submitted = form.validate_on_submit()
    # The topic composer's "Reply to the topic instead" without JavaScript: the text comes back here, kept as a
    # draft that replies to no post (cleared after validation, which checks the field as it was sent).
    to_topic_instead = request.form.get("reply_to_topic") == "1"
    if to_topic_instead:
        form.reply_to.data = ""
    target = queries.reply_target(found, form.reply_to.data)
    preview = None
    if submitted and (_wants_preview() or to_topic_instead):
        preview = _preview_and_keep(form, draft_key, reply_to=target.post_number if target else None)
    elif submitted:
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
            form.raw.data = _as_new_paragraph(form.raw.data, services.quote_markdown(quoted, quoted.author))
            form.reply_to.data = form.reply_to.data or str(quote)


def _as_new_paragraph(text: str | None, addition: str) -> str:
    """`addition` after `text` (a kept draft, say) with a blank line between: glued to the draft's last line,
    a quote would not be a quote."""
    kept = (text or "").rstrip()
    return f"{kept}\n\n{addition}" if kept else addition


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post = readable_post(post_id)
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
