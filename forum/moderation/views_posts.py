"""Moderation on a post's own page and footer: a member flags it; its topic's moderators hide it (with a reason)
or show it again, make it a wiki, lock its edits."""

from flask import abort, current_app, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.board import queries
from forum.board.models import Post
from forum.core import links
from forum.core.forms import commit_or_flash, commit_or_show_error
from forum.extensions import limiter
from forum.moderation import flags, posts
from forum.moderation.blueprint import bp
from forum.moderation.forms_posts import DecisionForm, FlagForm, ReasonForm
from forum.policy import can, post_is_visible


def _flag_limit() -> str:
    return current_app.config["FORUM_FLAG_LIMIT"]


flag_rate_limit = limiter.limit(_flag_limit, key_func=lambda: f"member:{current_user.get_id()}", methods=["POST"])


def _readable_post(post_id: int) -> Post:
    """The post with its topic, category and author, if the member may read its topic (else 404)."""
    post = queries.post_with_topic(post_id)
    if post is None or not can(current_user, "view_topic", post.topic):
        abort(404)
    return post


@bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
@flag_rate_limit
def flag_post(post_id: int):
    post = _readable_post(post_id)
    # Taken now: a refused flag rolls the session back, after which relationships cannot load.
    topic, author = post.topic, post.author
    if not post_is_visible(post):
        abort(404)
    if not flags.may_flag(current_user, post):
        abort(403)
    form = FlagForm()
    if form.validate_on_submit():
        ok, _flag = commit_or_show_error(form, lambda: flags.flag(current_user, post, form.kind.data, form.note.data))
        if ok:
            if post.hidden_at is not None:
                flash(_("Thank you. The post is hidden until a facilitator has reviewed it."), "success")
            else:
                flash(_("Thank you. A facilitator will look at it."), "success")
            return redirect(links.post_url(post, topic))
    return render_template("moderation/flag.html", post=post, topic=topic, author=author, form=form)


@bp.route("/p/<int:post_id>/hide", methods=["GET", "POST"])
@login_required
def hide_post(post_id: int):
    post = _readable_post(post_id)
    topic, author = post.topic, post.author  # taken now, before a refusal rolls the session back
    if not can(current_user, "moderate_post", post):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(form, lambda: posts.hide(current_user, post, form.reason.data))
        if ok:
            flash(_("The post is hidden. Its author can read why."), "success")
            return redirect(links.post_url(post, topic))
    return render_template("moderation/hide.html", post=post, topic=topic, author=author, form=form)


def _moderate(post_id: int, action, done: str):
    """Run a footer action (a service taking the member and the post), then go back to the post."""
    post = _readable_post(post_id)
    topic = post.topic  # taken now, before a rollback
    if not DecisionForm().validate_on_submit():
        abort(400)
    commit_or_flash(lambda: action(current_user, post), done)
    return redirect(links.post_url(post, topic))


@bp.post("/p/<int:post_id>/unhide")
@login_required
def unhide_post(post_id: int):
    return _moderate(post_id, posts.unhide, _("The post is shown again."))


@bp.post("/p/<int:post_id>/wiki")
@login_required
def make_wiki(post_id: int):
    return _moderate(post_id, lambda actor, post: posts.set_wiki(actor, post, True),
                     _("The post is a wiki: any member can edit it."))


@bp.post("/p/<int:post_id>/unwiki")
@login_required
def end_wiki(post_id: int):
    return _moderate(post_id, lambda actor, post: posts.set_wiki(actor, post, False),
                     _("The post is no longer a wiki."))


@bp.post("/p/<int:post_id>/lock-edits")
@login_required
def lock_edits(post_id: int):
    return _moderate(post_id, lambda actor, post: posts.set_edits_locked(actor, post, True),
                     _("Only facilitators can edit the post now."))


@bp.post("/p/<int:post_id>/unlock-edits")
@login_required
def unlock_edits(post_id: int):
    return _moderate(post_id, lambda actor, post: posts.set_edits_locked(actor, post, False),
                     _("Its author can edit the post again."))
