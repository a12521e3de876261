"""What the composer pages read: a member's drafts with the place each belongs to, and names to complete."""

from dataclasses import dataclass

from sqlalchemy import func, select

from forum.auth.models import Group
from forum.board.models import Category, Topic
from forum.composer.models import Draft
from forum.composer.services import parse_key
from forum.extensions import db
from forum.policy import can
from forum.users import queries as user_queries


@dataclass(frozen=True)
class DraftEntry:
    """A draft with what it belongs to: the topic it replies in, or the category of the topic it starts.
    `topic` and `category` are None when the member can no longer see them (the draft can still be discarded),
    and for a new private message, which belongs to no place."""

    draft: Draft
    kind: str
    topic: Topic | None = None
    category: Category | None = None


def draft_list(user) -> list[DraftEntry]:
    """The member's drafts, newest first: three queries whatever their number."""
    drafts = list(
        db.session.execute(select(Draft).where(Draft.user_id == user.id).order_by(Draft.updated_at.desc())).scalars()
    )
    places = [parse_key(d.key) for d in drafts]
    topic_ids = {number for kind, number in places if kind == "reply"}
    topics = _by_id(Topic, topic_ids)
    category_ids = {number for kind, number in places if kind == "topic"}
    category_ids |= {t.category_id for t in topics.values() if t.category_id is not None}
    categories = _by_id(Category, category_ids)
    entries = []
    for draft, (kind, number) in zip(drafts, places, strict=True):
        if kind == "message":
            entries.append(DraftEntry(draft, kind))
        elif kind == "reply":
            topic = topics.get(number)
            if topic is None or not can(user, "view_topic", topic):
                entries.append(DraftEntry(draft, kind))
                continue
            entries.append(DraftEntry(draft, kind, topic=topic, category=categories.get(topic.category_id)))
        else:
            category = categories.get(number)
            visible = category is not None and can(user, "view_category", category)
            entries.append(DraftEntry(draft, kind, category=category if visible else None))
    return entries


def _by_id(model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.execute(select(model).where(model.id.in_(ids))).scalars()}


def completion_names(user, prefix: str, limit: int = 8) -> tuple[list, list[Group]]:
    """Members and the groups `user` may mention (or write to) whose name starts with `prefix`."""
    members = user_queries.search_members(prefix, limit=limit)
    cleaned = prefix.lower().replace("\\", "").replace("%", "").replace("_", r"\_")
    if not cleaned:
        return members, []
    candidates = db.session.execute(
        select(Group)
        .where(Group.slug.like(f"{cleaned}%", escape="\\") | func.lower(Group.name).like(f"{cleaned}%", escape="\\"))
        .order_by(Group.slug)
        .limit(limit)
    ).scalars()
    return members, [group for group in candidates if can(user, "mention_group", group)]
