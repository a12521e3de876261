"""Which uploads a post shows follows the board's events (that is what lets its readers fetch them)."""

from forum.board.models import Post
from forum.core import events
from forum.extensions import db
from forum.uploads.services import link_post_uploads


def subscribe() -> None:
    events.post_created.subscribe(on_post_written)
    events.post_edited.subscribe(on_post_written)


def on_post_written(post_id, **_fields):
    link_post_uploads(db.session.get(Post, post_id))
