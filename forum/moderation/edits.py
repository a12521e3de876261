"""A facilitator's (or a category moderator's) edit of someone else's post is a moderation action: it goes in
the staff log with its reason, in the edit's own transaction, and the author is told. The revision keeps the
text; a wiki edit by a member who moderates nothing is an ordinary edit."""

from forum.auth.models import User
from forum.board.models import Post
from forum.core import events
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.posts import notify_author
from forum.policy import can


def register() -> None:
    events.post_edited.subscribe(on_post_edited)


def on_post_edited(post_id, editor_id, author_id, version, reason):
    if editor_id == author_id:
        return
    editor, post = db.session.get(User, editor_id), db.session.get(Post, post_id)
    if not can(editor, "moderate_topic", post.topic):
        return
    audit.record(editor, "post.edit", "post", post_id, subject_user_id=author_id, reason=reason,
                 before={"version": version - 1}, after={"version": version})
    notify_author(post, editor, {"outcome": "edited", "reason": reason or ""})
