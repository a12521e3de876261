"""Looking members and groups up by name."""

from sqlalchemy import select

from forum.auth.models import Group, User
from forum.extensions import db


def mention_targets(names: set[str]) -> tuple[list[User], list[Group]]:
    """The members and groups that @names refer to (a username wins over a group's slug)."""
    if not names:
        return [], []
    users = list(db.session.execute(select(User).where(User.username_key.in_(names))).scalars())
    left = names - {u.username_key for u in users}
    groups = list(db.session.execute(select(Group).where(Group.slug.in_(left))).scalars()) if left else []
    return users, groups
