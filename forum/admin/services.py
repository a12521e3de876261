"""Rules for groups (categories live in board.services, invitations in auth.services)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.auth.models import Group, MentionPolicy, User
from forum.core.errors import DomainError, NotAllowed
from forum.core.text import slugify
from forum.extensions import db
from forum.policy import can, forget_cached_rules


def save_group(
    actor: User, group: Group | None, *, name: str, description: str | None,
    mention_policy: MentionPolicy = MentionPolicy.GROUP_MEMBERS,
) -> Group:
    if not can(actor, "administer"):
        raise NotAllowed(_l("Only administrators manage groups."))
    name = name.strip()
    if not name:
        raise DomainError(_l("Please give the group a name."), field="name")
    slug = slugify(name)
    clash = db.session.execute(select(Group.id).where((Group.slug == slug) | (Group.name == name))).scalar_one_or_none()
    if clash is not None and (group is None or clash != group.id):
        raise DomainError(_l("A group with that name already exists."), field="name")
    if group is None:
        group = Group()
        db.session.add(group)
    group.name = name
    group.slug = slug
    group.description = (description or "").strip() or None
    group.mention_policy = mention_policy
    db.session.flush()
    return group


def add_to_group(actor: User, group: Group, user: User) -> None:
    if not can(actor, "administer"):
        raise NotAllowed(_l("Only administrators manage groups."))
    if user not in group.members:
        group.members.append(user)
    db.session.flush()
    forget_cached_rules()


def remove_from_group(actor: User, group: Group, user: User) -> None:
    if not can(actor, "administer"):
        raise NotAllowed(_l("Only administrators manage groups."))
    if user in group.members:
        group.members.remove(user)
    db.session.flush()
    forget_cached_rules()
