"""A small forum for the topic-action tests: a facilitator, a category with its own moderators group, another
category, an author and a member; and helpers to call the services as someone and read the audit rows."""

import json
from dataclasses import dataclass

from sqlalchemy import select

from forum.auth.models import User
from forum.board.models import Category, Post, Topic
from forum.extensions import db
from forum.moderation import topics
from forum.moderation.models import ModerationAction


@dataclass
class Place:
    fiona: int  # facilitator
    mona: int  # moderates the Garden only
    aino: int  # author
    ben: int  # member
    garden: int
    general: int
    topic: int  # in the Garden, by aino


def build(app, make) -> Place:
    fiona, mona, aino, ben = make.facilitator("fiona"), make.user("mona"), make.user("aino"), make.user("ben")
    moderators = make.group("Garden moderators", [mona])
    garden, general = make.category("Garden"), make.category("General")
    with app.app_context():
        db.session.get(Category, garden).moderators_group_id = moderators
        db.session.commit()
    topic = make.topic(aino, garden, title="Tomatoes in the shade", raw="Do tomatoes grow in the shade?")
    return Place(fiona, mona, aino, ben, garden, general, topic)


def user(username: str) -> User:
    return db.session.execute(select(User).where(User.username_key == username)).scalar_one()


def as_member(app, username: str, action):
    """Call `action(actor)` in a request as the member, and commit."""
    with app.test_request_context():
        result = action(user(username))
        db.session.commit()
        return result


def topic(topic_id: int) -> Topic:
    return topics.topic_for_moderation(topic_id)


def posts_of(app, topic_id: int) -> list[tuple[int, str]]:
    """(number, raw) of a topic's posts, in order."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Post.post_number, Post.raw).where(Post.topic_id == topic_id).order_by(Post.post_number)
        )]


def audit_rows(app, action: str | None = None) -> list[dict]:
    with app.app_context():
        query = select(ModerationAction).order_by(ModerationAction.id)
        if action:
            query = query.where(ModerationAction.action == action)
        return [
            {
                "action": row.action, "actor_id": row.actor_id, "target_id": row.target_id, "reason": row.reason,
                "before": json.loads(row.before) if row.before else None,
                "after": json.loads(row.after) if row.after else None,
            }
            for row in db.session.execute(query).scalars()
        ]
