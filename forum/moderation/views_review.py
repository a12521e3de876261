"""The review queue at /review: flagged posts and posts held for approval, oldest first, and the facilitator's
decisions on each. A flagged private message is opened on a page of its own, which the staff log records."""

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.board import queries
from forum.board.models import Post
from forum.core.errors import NotAllowed
from forum.core.forms import commit_or_flash, safe_next_url
from forum.extensions import db
from forum.moderation import review, review_queue
from forum.moderation.blueprint import bp
from forum.moderation.flags import KIND_NAMES, suggested_reason
from forum.moderation.forms_posts import ReasonForm
from forum.moderation.models import QueuedPost
from forum.policy import can


def review_count() -> int:
    """Items waiting for staff (a template global for the navigation; one query per request, staff only)."""
    if not can(current_user, "review"):
        return 0
    if "review_count" not in g:
        g.review_count = review.open_count()
    return g.review_count


def _reviewers_only() -> None:
    if not can(current_user, "review"):
        abort(403)


def _type() -> review_queue.ItemType | None:
    wanted = request.args.get("type") or None
    if wanted is None:
        return None
    try:
        return review_queue.ItemType(wanted)
    except ValueError:
        abort(404)


@bp.get("/review")
@login_required
def review_page():
    _reviewers_only()
    only = _type()
    return render_template(
        "moderation/review.html", items=review_queue.items(only), only=only, total=review_count(),
        types=review_queue.ItemType, kind_names=KIND_NAMES, suggested_reason=suggested_reason,
        here=request.full_path.rstrip("?"),
    )


def _flagged_post(post_id: int) -> Post:
    post = queries.post_with_topic(post_id)
    if post is None:
        abort(404)
    return post


def _decide(action, done: str):
    """Run a decision (a service call), commit, and go back to the queue as it was filtered."""
    _reviewers_only()
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    commit_or_flash(lambda: action(form), done)
    return redirect(safe_next_url(form.next.data, url_for("moderation.review_page")))


@bp.post("/review/posts/<int:post_id>/agree")
@login_required
def agree(post_id: int):
    post = _flagged_post(post_id)
    delete = request.form.get("outcome") == "delete"
    if delete:
        done = _("The post is deleted; the flaggers are told.")
    else:
        done = _("The post is hidden; the flaggers are told.")
    return _decide(lambda form: review.agree(current_user, post, delete=delete, reason=form.reason.data), done)


@bp.post("/review/posts/<int:post_id>/disagree")
@login_required
def disagree(post_id: int):
    post = _flagged_post(post_id)
    return _decide(lambda _form: review.disagree(current_user, post),
                   _("The flags are cleared and the post is shown; the flaggers are told."))


@bp.post("/review/posts/<int:post_id>/ignore")
@login_required
def ignore(post_id: int):
    post = _flagged_post(post_id)
    return _decide(lambda _form: review.ignore(current_user, post),
                   _("The flags are closed and the post is left as it is."))


def _queued(queued_id: int) -> QueuedPost:
    queued = db.session.get(QueuedPost, queued_id)
    if queued is None:
        abort(404)
    return queued


@bp.post("/review/held/<int:queued_id>/approve")
@login_required
def approve(queued_id: int):
    queued = _queued(queued_id)
    return _decide(lambda _form: review.approve(current_user, queued), _("The post is published; its author is told."))


@bp.post("/review/held/<int:queued_id>/reject")
@login_required
def reject(queued_id: int):
    queued = _queued(queued_id)
    return _decide(lambda form: review.reject(current_user, queued, form.reason.data),
                   _("The post is rejected; its author is told why."))


@bp.get("/review/messages/<int:post_id>")
@login_required
def open_message(post_id: int):
    """A flagged private message post, alone; opening it is recorded in the staff log."""
    _reviewers_only()
    post = _flagged_post(post_id)
    try:
        review.open_message(current_user, post)
    except NotAllowed:
        abort(404)
    db.session.commit()
    return render_template("moderation/message.html", post=post, topic=post.topic, flags=review.open_flags(post),
                           kind_names=KIND_NAMES, suggested_reason=suggested_reason)
