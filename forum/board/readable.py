"""What an address on the board names, if the member may read it: else a 404, the login page for a visitor, or
a redirect to where a moved topic or post went."""

from flask import abort, current_app, redirect
from flask_login import current_user

from forum.board import queries, redirects
from forum.board.models import Post, Topic
from forum.policy import can, is_member, topic_is_live


def deny_or_login():
    """Members get a 404 (no hint that a hidden thing exists); visitors are asked to log in first."""
    if not is_member(current_user):
        abort(current_app.login_manager.unauthorized())
    abort(404)


def readable_topic(topic_id: int, follow_moves: bool = False, post_number: int | None = None) -> Topic:
    """The topic, if the member may read it. With `follow_moves`, the address of a topic that is gone (merged
    into another, say) redirects to where another package says it went (board/redirects.py)."""
    topic = queries.topic_for_view(topic_id)
    if follow_moves and (topic is None or not topic_is_live(topic)):
        follow_move(topic_id, post_number)
    if topic is None:
        abort(404)
    if not can(current_user, "view_topic", topic):
        deny_or_login()
    return topic


def follow_move(topic_id: int, post_number: int | None) -> None:
    """Redirect (permanently) to where a resolver says this topic or post went, if one knows."""
    moved_to = redirects.resolve(topic_id, post_number, current_user)
    if moved_to is not None:
        abort(redirect(moved_to, 301))


def readable_post(post_id: int) -> Post:
    """The post with its topic, if the member may read that topic."""
    post = queries.post_with_topic(post_id)
    if post is None:
        abort(404)
    if not can(current_user, "view_topic", post.topic):
        deny_or_login()
    return post
