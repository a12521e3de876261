"""Helpers for the flag, review-queue and hidden-post tests: a room with a facilitator, an author and flaggers,
and short ways to load what the services take and to read what the database holds."""

import json
from dataclasses import dataclass

from sqlalchemy import select

from forum.auth.models import User
from forum.board import queries
from forum.board.models import Post, Topic
from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.notifications.models import Kind, Notification


@dataclass
class Room:
    fiona: int  # facilitator
    aino: int  # writes the topic and the reply that get flagged
    ben: int
    cara: int
    dan: int
    category: int
    topic: int
    reply: int  # aino's reply, post #2

    def first(self, app) -> int:
        """The topic's first post."""
        with app.app_context():
            return db.session.execute(
                select(Post.id).where(Post.topic_id == self.topic, Post.post_number == 1)
            ).scalar_one()


def make_room(make, title="Harbour plans for the spring", reply="My reply about the harbour.") -> Room:
    fiona = make.facilitator("fiona")
    aino, ben, cara, dan = (make.user(name, display_name=name.title()) for name in ("aino", "ben", "cara", "dan"))
    category = make.category("Projects")
    topic = make.topic(aino, category, title=title, raw="Opening words about the harbour.")
    reply_id = make.post(aino, topic, reply)
    return Room(fiona, aino, ben, cara, dan, category, topic, reply_id)


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


def post(post_id: int) -> Post:
    """The post with its topic, category and author, as the views load it."""
    db.session.expire_all()
    return queries.post_with_topic(post_id)


def topic(topic_id: int) -> Topic:
    return db.session.get(Topic, topic_id)


def post_url(app, post_id: int) -> str:
    with app.app_context():
        found = post(post_id)
        return f"/t/{found.topic.slug}/{found.topic.id}"


def actions(app, action: str | None = None) -> list[ModerationAction]:
    with app.app_context():
        query = select(ModerationAction).order_by(ModerationAction.id)
        if action:
            query = query.where(ModerationAction.action == action)
        found = list(db.session.execute(query).scalars())
        db.session.expunge_all()
        return found


def outcomes(app, user_id: int) -> list[str]:
    """The moderation outcomes a member was told, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            select(Notification.data).where(Notification.user_id == user_id, Notification.kind == Kind.MODERATION)
            .order_by(Notification.id)
        ).scalars()
        return [json.loads(data)["outcome"] for data in rows]
