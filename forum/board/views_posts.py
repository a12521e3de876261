"""A post's own pages and actions: delete and restore, its edit history, its replies, liking it and who did."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from forum.board import queries, services
from forum.board.blueprint import bp
from forum.board.diff import diff_lines, title_changes
from forum.board.readable import readable_post
from forum.core import links
from forum.core.errors_views import wants_json
from forum.extensions import db
from forum.policy import can, post_is_visible


@bp.route("/p/<int:post_id>/delete", methods=["POST"])
@login_required
def delete_post(post_id: int):
    post = readable_post(post_id)
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
    post = readable_post(post_id)
    services.restore_post(current_user, post)
    db.session.commit()
    flash(_("The post is restored."), "success")
    return redirect(links.post_url(post))


@bp.route("/p/<int:post_id>/history")
def post_history(post_id: int):
    post = readable_post(post_id)
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
    post = readable_post(post_id)
    replies = queries.replies_to(post.topic, post.post_number)
    template = "board/_replies.html" if request.args.get("fragment") == "1" else "board/replies.html"
    return render_template(template, post=post, topic=post.topic, replies=replies)


@bp.route("/p/<int:post_id>/quote")
def post_quote(post_id: int):
    """The post quoted whole, as the reply page's ?quote= puts it in the text: for Quote in the topic's composer.
    Only a post everyone in the topic reads is quoted (as on the reply page): its author or staff read a
    removed one, but a quote would carry it into a new post."""
    post = readable_post(post_id)
    if not post_is_visible(post):
        abort(404)
    return {"quote": services.quote_markdown(post, post.author)}


@bp.route("/p/<int:post_id>/like", methods=["POST"])
@login_required
def like_post(post_id: int):
    """Like a post or undo the like; answers JSON to the script (errors too: a code and a message), or goes back
    to the post."""
    post = readable_post(post_id)
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
    post = readable_post(post_id)
    return render_template("board/likes.html", post=post, topic=post.topic, likers=queries.likers(post))
