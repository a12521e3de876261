"""Read state follows the board's events: an author has read what they wrote, and follows the topic."""

from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.core import events
from forum.extensions import db
from forum.tracking import services


def subscribe() -> None:
    events.post_created.subscribe(on_post_created)


def on_post_created(post_id, topic_id, user_id, reply_to_post_number, mentioned_user_ids, mentioned_group_ids):
    post = db.session.get(Post, post_id)
    services.note_own_post(
        db.session.get(User, user_id), db.session.get(Topic, topic_id), post.post_number,
        started_topic=post.post_number == 1,
    )
