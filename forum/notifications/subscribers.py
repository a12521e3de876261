"""Notifications follow the board's events, written in the same transaction as their cause."""

from sqlalchemy import select

from forum.auth.models import Group, User
from forum.board.models import Post, Topic
from forum.core import events
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Kind


def subscribe() -> None:
    events.post_created.subscribe(on_post_created)
    events.post_edited.subscribe(on_post_edited)
    events.post_liked.subscribe(on_post_liked)
    events.post_deleted.subscribe(on_post_deleted)
    events.post_restored.subscribe(on_post_restored)


def on_post_created(post_id, topic_id, user_id, mentioned_user_ids, mentioned_group_ids, quoted_post_ids):
    mentioned = list(db.session.execute(select(User).where(User.id.in_(mentioned_user_ids))).scalars()) if mentioned_user_ids else []
    groups = list(db.session.execute(select(Group).where(Group.id.in_(mentioned_group_ids))).scalars()) if mentioned_group_ids else []
    services.notify_new_post(
        db.session.get(Post, post_id), db.session.get(Topic, topic_id), db.session.get(User, user_id), mentioned, groups,
        quoted_post_ids,
    )


def on_post_edited(post_id, topic_id, editor_id, newly_mentioned_user_ids):
    if newly_mentioned_user_ids:
        services.notify_newly_mentioned(
            db.session.get(Post, post_id), db.session.get(Topic, topic_id), db.session.get(User, editor_id),
            newly_mentioned_user_ids,
        )


def on_post_liked(post_id, topic_id, user_id):
    services.notify_liked(db.session.get(Post, post_id), db.session.get(Topic, topic_id), db.session.get(User, user_id))


def on_post_deleted(post_id, topic_id, actor_id):
    _tell_author(post_id, topic_id, actor_id, "deleted")


def on_post_restored(post_id, topic_id, actor_id):
    _tell_author(post_id, topic_id, actor_id, "restored")


def _tell_author(post_id: int, topic_id: int, actor_id: int, outcome: str) -> None:
    """A facilitator acted on someone else's post: the author hears of it (a moderation outcome)."""
    post = db.session.get(Post, post_id)
    if post.user_id == actor_id:
        return
    topic = db.session.get(Topic, topic_id)
    services.notify(
        post.user_id, Kind.MODERATION, topic=topic, post_number=post.post_number, actor_id=actor_id,
        data={"outcome": outcome}, summary=topic.title[:255],
    )
