"""Who hears about what. Called by the subscribers to the board's events (subscribers.py), in the same
transaction as their cause.

One notification per member per post, the most specific reason winning: a mention, then a group
mention, a reply, a quote, then a new post in something the member watches. Nobody is notified of
their own actions, of posts they cannot read, or of topics they muted. A silenced (read-only) member's posts
and edits notify nobody: their mentions, replies and quotes reach no one while the silence lasts.
"""

import json

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from forum.auth.models import Group, User, group_members
from forum.board.models import Post, Topic, topic_allowed_groups, topic_allowed_users
from forum.core.models import utcnow
from forum.extensions import db
from forum.notifications.models import Kind, Notification
from forum.policy import can
from forum.tracking.models import CategoryUser, NotificationLevel, TopicUser


def _levels(topic: Topic, user_ids: set[int]) -> dict[int, NotificationLevel]:
    """Each member's effective level for the topic: their topic level, else their category level."""
    if not user_ids:
        return {}
    levels = dict(
        db.session.execute(
            select(CategoryUser.user_id, CategoryUser.notification_level).where(
                CategoryUser.category_id == topic.category_id, CategoryUser.user_id.in_(user_ids)
            )
        ).all()
    )
    for user_id, level in db.session.execute(
        select(TopicUser.user_id, TopicUser.notification_level).where(
            TopicUser.topic_id == topic.id, TopicUser.user_id.in_(user_ids), TopicUser.notification_level.is_not(None)
        )
    ).all():
        levels[user_id] = level
    return levels


def _watchers(topic: Topic) -> set[int]:
    by_topic = select(TopicUser.user_id).where(
        TopicUser.topic_id == topic.id, TopicUser.notification_level == NotificationLevel.WATCHING
    )
    by_category = select(CategoryUser.user_id).where(
        CategoryUser.category_id == topic.category_id, CategoryUser.notification_level == NotificationLevel.WATCHING
    )
    return set(db.session.execute(by_topic.union(by_category)).scalars())


def _message_participants(topic: Topic) -> set[int]:
    """Everyone in a private message: named members and the members of named groups."""
    direct = select(topic_allowed_users.c.user_id).where(topic_allowed_users.c.topic_id == topic.id)
    via_groups = select(group_members.c.user_id).where(
        group_members.c.group_id.in_(select(topic_allowed_groups.c.group_id).where(topic_allowed_groups.c.topic_id == topic.id))
    )
    return set(db.session.execute(direct.union(via_groups)).scalars())


def _quoted_authors(post_ids: list[int]) -> set[int]:
    if not post_ids:
        return set()
    return set(db.session.execute(select(Post.user_id).where(Post.id.in_(post_ids))).scalars())


def _group_members(author: User, groups: list[Group]) -> dict[int, str]:
    allowed = [g for g in groups if can(author, "mention_group", g)]
    if not allowed:
        return {}
    rows = db.session.execute(
        select(group_members.c.user_id, group_members.c.group_id).where(group_members.c.group_id.in_([g.id for g in allowed]))
    ).all()
    names = {g.id: g.name for g in allowed}
    return {user_id: names[group_id] for user_id, group_id in rows}


def notify_new_post(
    post: Post, topic: Topic, author: User, mentioned: list[User], groups: list[Group], quoted_post_ids: list[int]
) -> None:
    """Write the notifications a new post causes (`quoted_post_ids`: the posts its quotes name as their source)."""
    reasons: dict[int, tuple[Kind, dict]] = {}

    def add(user_ids, kind, data=None):
        for user_id in user_ids:
            reasons.setdefault(user_id, (kind, data or {}))

    add([u.id for u in mentioned], Kind.MENTIONED)
    for user_id, group_name in _group_members(author, groups).items():
        add([user_id], Kind.GROUP_MENTIONED, {"group": group_name})
    if post.reply_to_user_id:
        add([post.reply_to_user_id], Kind.REPLIED)
    add(_quoted_authors(quoted_post_ids), Kind.QUOTED)
    if topic.is_private:
        add(_message_participants(topic), Kind.PRIVATE_MESSAGE if post.post_number == 1 else Kind.POSTED)
    else:
        add(_watchers(topic), Kind.POSTED)
    reasons.pop(author.id, None)
    _write(post, topic, author, reasons)


def _write(post: Post, topic: Topic, author: User, reasons: dict[int, tuple[Kind, dict]]) -> None:
    if not reasons or author.is_silenced:
        return
    levels = _levels(topic, set(reasons))
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(reasons))).scalars()}
    for user_id, (kind, data) in reasons.items():
        user = users.get(user_id)
        if user is None or levels.get(user_id) == NotificationLevel.MUTED or not can(user, "view_topic", topic):
            continue
        db.session.add(
            Notification(
                user_id=user_id, kind=kind, topic_id=topic.id, post_number=post.post_number,
                actor_id=author.id, data=json.dumps(data), summary=topic.title[:255],
            )
        )


def notify_newly_mentioned(post: Post, topic: Topic, editor: User, user_ids: list[int]) -> None:
    """An edit named members its earlier text did not: they hear of it as of a mention in a new post."""
    reasons = {user_id: (Kind.MENTIONED, {}) for user_id in user_ids if user_id != editor.id}
    _write(post, topic, editor, reasons)


def notify_liked(post: Post, topic: Topic, liker: User) -> None:
    """Tell the author; likes on one post gather in one unread notification ("Aino and 3 others")."""
    if post.user_id == liker.id:
        return
    author = db.session.get(User, post.user_id)
    if author is None or not can(author, "view_topic", topic):
        return
    if _levels(topic, {author.id}).get(author.id) == NotificationLevel.MUTED:
        return
    existing = db.session.execute(
        select(Notification).where(
            Notification.user_id == author.id, Notification.kind == Kind.LIKED, Notification.topic_id == topic.id,
            Notification.post_number == post.post_number, Notification.read_at.is_(None),
        )
    ).scalar_one_or_none()
    if existing is None:
        existing = Notification(user_id=author.id, kind=Kind.LIKED, topic_id=topic.id, post_number=post.post_number, data="{}")
        db.session.add(existing)
    data = existing.payload
    likers = [name for name in data.get("likers", []) if name != liker.display_name]
    existing.data = json.dumps({"likers": [liker.display_name, *likers][:10], "count": len(likers) + 1})
    existing.actor_id = liker.id
    existing.summary = topic.title[:255]
    existing.created_at = utcnow()


def notify(user_id: int, kind: Kind, *, topic: Topic | None = None, post_number: int | None = None,
           actor_id: int | None = None, data: dict | None = None, summary: str | None = None) -> Notification:
    """A notification for one member (moderation outcomes, reminders, private messages)."""
    notification = Notification(
        user_id=user_id, kind=kind, topic_id=topic.id if topic else None, post_number=post_number,
        actor_id=actor_id, data=json.dumps(data or {}), summary=summary,
    )
    db.session.add(notification)
    return notification


def unread_count(user) -> int:
    return unread_counts(user)[0]


def unread_counts(user) -> tuple[int, int]:
    """(unread notifications, how many of them are about private messages), in one query for the header."""
    about_message = Topic.is_private.is_(True) | (Notification.kind == Kind.PRIVATE_MESSAGE)
    total, messages = db.session.execute(
        select(func.count(Notification.id), func.count(Notification.id).filter(about_message))
        .select_from(Notification)
        .outerjoin(Topic, Topic.id == Notification.topic_id)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).one()
    return total, messages


def recent(user, limit: int) -> list[Notification]:
    """The member's newest notifications with their topic and actor, for the header's menu."""
    return list(
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == user.id)
            .options(joinedload(Notification.topic), joinedload(Notification.actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def mark_read(user, notification_id: int | None = None) -> None:
    """Mark one notification (or all) of this member as read."""
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    db.session.execute(statement.values(read_at=utcnow()))


def withdraw_post_notifications(topic_id: int, post_number: int, keep_user_id: int) -> None:
    """A post left view (a facilitator hid it): the notifications it caused go, so that nobody is sent to it or
    mailed about it; its author's (likes, moderation outcomes) and anyone's moderation outcomes stay."""
    db.session.execute(
        delete(Notification).where(
            Notification.topic_id == topic_id, Notification.post_number == post_number,
            Notification.user_id != keep_user_id, Notification.kind != Kind.MODERATION,
        )
    )
