"""A small forum for the member-action, approval and anti-abuse tests: an administrator, two facilitators, two
members and a topic by Ben that Aino replied to; helpers to call services as someone, read the staff log and
travel in time."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from unittest import mock

from sqlalchemy import select

from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation.models import ModerationAction


@dataclass
class Forum:
    ada: int  # administrator
    fiona: int  # facilitator
    fred: int  # facilitator
    aino: int  # member
    ben: int  # member
    category: int
    topic: int  # by Ben, with a reply by Aino


def build(make) -> Forum:
    ada, fiona, fred = make.admin("ada"), make.facilitator("fiona"), make.facilitator("fred")
    aino, ben = make.user("aino", display_name="Aino Virtanen"), make.user("ben")
    category = make.category("Harbour")
    topic = make.topic(ben, category, title="Harbour plans for the spring", raw="What shall we plant first?")
    make.post(aino, topic, raw="Sea kale, I think.")
    return Forum(ada, fiona, fred, aino, ben, category, topic)


def user(username: str) -> User:
    return db.session.execute(select(User).where(User.username_key == username)).scalar_one()


def as_member(app, username: str, action):
    """Call `action(actor)` in a request as the member, and commit."""
    with app.test_request_context():
        result = action(user(username))
        db.session.commit()
        return result


def member(app, username: str) -> User:
    with app.app_context():
        return user(username)


def posts_by(app, username: str) -> list[Post]:
    with app.app_context():
        return list(db.session.execute(
            select(Post).where(Post.user_id == user(username).id).order_by(Post.id)
        ).scalars())


def topic_row(app, topic_id: int) -> Topic:
    with app.app_context():
        return db.session.get(Topic, topic_id)


def actions(app, prefix: str = "user.") -> list[ModerationAction]:
    with app.app_context():
        return list(db.session.execute(
            select(ModerationAction).where(ModerationAction.action.startswith(prefix)).order_by(ModerationAction.id)
        ).scalars())


@contextmanager
def later(*modules, **delta):
    """Travel forward in time (timedelta keywords) for the modules named, which read `utcnow` by that name."""
    moved = utcnow() + timedelta(**delta)
    with mock.patch("forum.auth.models.utcnow", lambda: moved):
        patches = [mock.patch(f"{module}.utcnow", lambda: moved) for module in modules]
        for patch in patches:
            patch.start()
        try:
            yield moved
        finally:
            for patch in patches:
                patch.stop()
