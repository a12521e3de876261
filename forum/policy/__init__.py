"""The permission policy: every view, list, search, email and feed asks here.

`Policy(user)` answers for one member (or the anonymous visitor): `can(action, obj)` for one question,
`visible_topics_filter()` and `visible_posts_filter()` as query filters for lists, counts and search. What it
learns about the member (their groups, readable categories, private messages) is memoised on the instance,
so a job or an email that asks many questions about one member pays for each lookup once. Within a request,
`policy_for(user)` hands out one Policy per member. The rules live in one module per domain (categories,
topics, posts, members); the post and topic states that count as shown live in `states.py`.

The module-level functions (`can`, `visible_topics_filter`, ...) are shorthands for `policy_for(user)`.
"""

from functools import cached_property

from flask import g, has_request_context
from sqlalchemy import select

from forum.auth.models import group_members
from forum.extensions import db
from forum.policy.categories import CategoryPolicy, CategoryRules, load_category_rules
from forum.policy.experiments import ExperimentPolicy
from forum.policy.facilitation import FacilitationPolicy
from forum.policy.members import MemberPolicy
from forum.policy.moderation import ModerationPolicy
from forum.policy.noticeboard import NoticeboardPolicy
from forum.policy.posts import PostPermissions, PostPolicy
from forum.policy.states import (
    listed_topics_filter,
    live_topics_filter,
    post_is_visible,
    topic_is_listed,
    topic_is_live,
    visible_posts_filter,
)
from forum.policy.topics import TopicPolicy
from forum.policy.workshops import WorkshopPolicy

__all__ = [
    "Policy", "PostPermissions", "can", "forget_cached_rules", "hidden_category_ids", "is_member", "is_staff",
    "listed_topics_filter", "live_topics_filter", "participating_filter", "participating_topic_ids", "policy_for",
    "post_is_visible", "post_permissions", "topic_is_listed", "topic_is_live", "visible_category_ids",
    "visible_posts_filter", "visible_topics_filter",
]


def is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    return is_member(user) and user.is_staff


class Policy(
    CategoryPolicy, TopicPolicy, PostPolicy, MemberPolicy, WorkshopPolicy, ExperimentPolicy, FacilitationPolicy,
    NoticeboardPolicy, ModerationPolicy,
):
    """What one member may do. Build it once per member and ask it many questions.

    Jobs that check many members at once load the category rules once and pass them to each Policy."""

    def __init__(self, user, category_rules: CategoryRules | None = None):
        self.user = user
        self.is_member = is_member(user)
        self.is_staff = self.is_member and bool(user.is_staff)
        # May write (topics, replies, messages, flags): a member who is not silenced.
        self.can_write = self.is_member and not user.is_silenced
        if category_rules is not None:
            self.category_rules = category_rules

    def can(self, action: str, obj=None) -> bool:
        """May the member do `action` (e.g. "view_topic", "reply", "edit_post") to `obj`?"""
        rule = getattr(self, f"can_{action}", None)
        if rule is None:
            raise ValueError(f"no permission rule for {action!r}")
        return rule(obj)

    @cached_property
    def category_rules(self) -> CategoryRules:
        return _request_cached("category_rules", load_category_rules)

    @cached_property
    def group_ids(self) -> frozenset[int]:
        if not self.is_member:
            return frozenset()
        query = select(group_members.c.group_id).where(group_members.c.user_id == self.user.id)
        return frozenset(db.session.execute(query).scalars())

    @cached_property
    def visible_category_ids(self) -> frozenset[int]:
        """Ids of the categories the member may read."""
        return self._compute_visible_category_ids()

    @cached_property
    def participating_topic_ids(self) -> frozenset[int]:
        """Ids of the private messages the member takes part in (one query for all of them)."""
        return self._compute_participating_topic_ids()


def _request_cached(key: str, compute):
    """Shared by every Policy in one request; outside a request, each Policy loads its own."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("_policy_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def policy_for(user) -> Policy:
    """The member's Policy: one per member per request; a new one outside a request."""
    if not has_request_context():
        return Policy(user)
    key = f"policy:{user.id}" if is_member(user) else "policy:anon"
    return _request_cached(key, lambda: Policy(user))


def forget_cached_rules() -> None:
    """Call after changing categories or groups within one request."""
    if has_request_context():
        g.pop("_policy_cache", None)


def can(user, action: str, obj=None) -> bool:
    """May `user` (a member or the anonymous user) do `action` to `obj`?"""
    return policy_for(user).can(action, obj)


def post_permissions(user, post, topic) -> PostPermissions:
    return policy_for(user).post_permissions(post, topic)


def visible_category_ids(user) -> frozenset[int]:
    return policy_for(user).visible_category_ids


def hidden_category_ids(user) -> frozenset[int]:
    return policy_for(user).hidden_category_ids


def participating_topic_ids(user) -> frozenset[int]:
    return policy_for(user).participating_topic_ids


def participating_filter(user):
    return policy_for(user).participating_filter()


def visible_topics_filter(user, include_private: bool = False):
    return policy_for(user).visible_topics_filter(include_private)
