"""The permission policy: every view, list, search, email and feed asks here.

`can(user, action, obj)` answers one question; `visible_category_ids(user)` gives the categories a
member may read, for use as a query filter. Categories are few, so they are loaded once per request
and the rules are applied in Python: the same code then answers for single objects and for lists.
"""

from typing import NamedTuple

from flask import g, has_request_context
from sqlalchemy import or_, select

from forum.auth.models import group_members
from forum.board.models import (
    Category,
    Post,
    Topic,
    Visibility,
    category_groups,
    topic_allowed_groups,
    topic_allowed_users,
)
from forum.extensions import db


def is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    return is_member(user) and user.is_staff


def _cached(key: str, compute):
    """Memoise per request (outside a request, e.g. in a CLI command, compute every time)."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("_permission_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def user_group_ids(user) -> frozenset[int]:
    if not is_member(user):
        return frozenset()
    return _cached(
        f"groups:{user.id}",
        lambda: frozenset(
            db.session.execute(select(group_members.c.group_id).where(group_members.c.user_id == user.id))
            .scalars()
            .all()
        ),
    )


def _category_rules() -> dict[int, tuple[Visibility, int | None, frozenset[int]]]:
    """category id -> (visibility, parent id, group ids), from one small query per request."""

    def load():
        rows = db.session.execute(
            select(Category.id, Category.visibility, Category.parent_id, category_groups.c.group_id).outerjoin(
                category_groups, category_groups.c.category_id == Category.id
            )
        ).all()
        rules: dict[int, tuple[Visibility, int | None, set[int]]] = {}
        for category_id, visibility, parent_id, group_id in rows:
            rule = rules.setdefault(category_id, (visibility, parent_id, set()))
            if group_id is not None:
                rule[2].add(group_id)
        return {cid: (vis, parent, frozenset(groups)) for cid, (vis, parent, groups) in rules.items()}

    return _cached("category_rules", load)


def _rule_allows(user, visibility: Visibility, group_ids: frozenset[int]) -> bool:
    if visibility == Visibility.PUBLIC:
        return True
    if not is_member(user):
        return False
    if is_staff(user) or visibility == Visibility.MEMBERS:
        return True
    return bool(group_ids & user_group_ids(user))


def visible_category_ids(user) -> frozenset[int]:
    """Ids of the categories `user` may read; a sub-category also needs its parent to be readable."""
    rules = _category_rules()

    def readable(category_id: int, depth: int = 0) -> bool:
        visibility, parent_id, group_ids = rules[category_id]
        if not _rule_allows(user, visibility, group_ids):
            return False
        return parent_id is None or depth > 8 or readable(parent_id, depth + 1)

    key = f"visible:{user.id if is_member(user) else 'anon'}"
    return _cached(key, lambda: frozenset(cid for cid in rules if readable(cid)))


def hidden_category_ids(user) -> frozenset[int]:
    """Categories `user` may not read (for search, which excludes the few rather than lists the many)."""
    return frozenset(_category_rules()) - visible_category_ids(user)


def _participation(user):
    """The private messages `user` is on directly, and those they reach through a group (two id selects)."""
    direct = select(topic_allowed_users.c.topic_id).where(topic_allowed_users.c.user_id == user.id)
    via_groups = select(topic_allowed_groups.c.topic_id).where(topic_allowed_groups.c.group_id.in_(user_group_ids(user)))
    return direct, via_groups


def participating_topic_ids(user) -> frozenset[int]:
    """Ids of the private messages `user` takes part in, directly or through a group (one query a request)."""
    if not is_member(user):
        return frozenset()
    direct, via_groups = _participation(user)
    return _cached(
        f"participating:{user.id}", lambda: frozenset(db.session.execute(direct.union(via_groups)).scalars())
    )


def participating_filter(user):
    """Private messages `user` takes part in, directly or through a group."""
    direct, via_groups = _participation(user)
    return Topic.is_private & (Topic.id.in_(direct) | Topic.id.in_(via_groups))


def visible_topics_filter(user, include_private: bool = False):
    """A WHERE clause restricting topics to those `user` may read (use with select(Topic)).

    Topic lists leave private messages out (they have their inbox); search, bookmarks, uploads and
    feeds that must reach a member's messages pass include_private=True."""
    clause = Topic.is_private.is_(False) & Topic.category_id.in_(visible_category_ids(user))
    if include_private and is_member(user):
        clause = or_(clause, participating_filter(user))
    if not is_staff(user):
        clause = clause & Topic.deleted_at.is_(None)
    return clause


def _participates(user, topic: Topic) -> bool:
    # One query for all of a member's messages rather than one per topic: lists and search ask about many.
    return topic.id in participating_topic_ids(user)


def _can_view_category(user, category: Category) -> bool:
    return category.id in visible_category_ids(user)


def _can_view_topic(user, topic: Topic) -> bool:
    if topic.is_private:
        # Private messages are for their participants only, facilitators included.
        return is_member(user) and _participates(user, topic) and (topic.deleted_at is None or is_staff(user))
    if topic.category_id not in visible_category_ids(user):
        return False
    return topic.deleted_at is None or is_staff(user)


def _can_create_topic(user, category: Category) -> bool:
    if not is_member(user) or not _can_view_category(user, category):
        return False
    return is_staff(user) or not category.staff_only_topics


def _can_reply(user, topic: Topic) -> bool:
    if not is_member(user) or not _can_view_topic(user, topic):
        return False
    return topic.deleted_at is None and (not topic.is_locked or is_staff(user))


def _can_view_post_content(user, post: Post) -> bool:
    """Deleted posts keep their place in the stream but only staff and the author read them."""
    if post.deleted_at is None:
        return True
    return is_staff(user) or (is_member(user) and user.id == post.user_id)


def _can_edit_post(user, post: Post) -> bool:
    if not is_member(user) or post.deleted_at is not None:
        return False
    return is_staff(user) or user.id == post.user_id


def _can_delete_post(user, post: Post) -> bool:
    return _can_edit_post(user, post)


def _can_restore_post(user, post: Post) -> bool:
    return is_staff(user) and post.deleted_at is not None


def _can_mention_group(user, group) -> bool:
    from forum.auth.models import MentionPolicy

    if not is_member(user):
        return False
    if user.is_admin or (is_staff(user) and group.mention_policy != MentionPolicy.NOBODY):
        return True
    if group.mention_policy == MentionPolicy.ALL_MEMBERS:
        return True
    return group.mention_policy == MentionPolicy.GROUP_MEMBERS and group.id in user_group_ids(user)


def _can_like(user, post: Post) -> bool:
    """Members like visible posts other than their own (reading the topic is checked by the caller)."""
    return is_member(user) and post.deleted_at is None and user.id != post.user_id


def _can_send_message(user, _obj=None) -> bool:
    return is_member(user)


def _can_invite(user, _obj=None) -> bool:
    return is_staff(user)


def _can_administer(user, _obj=None) -> bool:
    return is_member(user) and user.is_admin


_RULES = {
    "view_category": _can_view_category,
    "create_topic": _can_create_topic,
    "view_topic": _can_view_topic,
    "reply": _can_reply,
    "view_post_content": _can_view_post_content,
    "edit_post": _can_edit_post,
    "delete_post": _can_delete_post,
    "restore_post": _can_restore_post,
    "invite": _can_invite,
    "send_message": _can_send_message,
    "like": _can_like,
    "mention_group": _can_mention_group,
    "administer": _can_administer,
}


class PostPermissions(NamedTuple):
    read: bool
    reply: bool
    like: bool
    edit: bool
    restore: bool


def post_permissions(user, post: Post, topic: Topic) -> PostPermissions:
    """Everything the post template asks about one post, in one call (it runs for every post on a page)."""
    return PostPermissions(
        read=_can_view_post_content(user, post),
        reply=post.deleted_at is None and _can_reply(user, topic),
        like=_can_like(user, post),
        edit=_can_edit_post(user, post),
        restore=_can_restore_post(user, post),
    )


def can(user, action: str, obj=None) -> bool:
    """May `user` (a member or the anonymous user) do `action` to `obj`?"""
    return _RULES[action](user, obj)


def forget_cached_rules() -> None:
    """Call after changing categories or groups within one request."""
    if has_request_context():
        g.pop("_permission_cache", None)
