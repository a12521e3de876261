"""Notification emails, and mailing-list mode: a periodic sweep (`mail.notifications`) that follows what the
forum already wrote, rather than the posts themselves.

Part one takes the in-site notifications (written with their post, already filtered for mutes and for who may
read the topic) once they are FORUM_NOTIFY_DELAY_SECONDS old, so that an edit or a deletion right after posting
is honoured, and decides about each one once: a NotificationEmail row with "queued", or why not ("read",
"away", "preference", "gone", "suspended", "failed_address", "not_mailed"). The row is inserted before the
email is queued, in the same transaction; with two workers, only the one whose insert took effect goes on.

Part two is mailing-list mode: members following a category as a mailing list get each new post in it, with
the same delay, once per member and post (a MailingListEmail row, decided the same way). A post that already
reached the member as a notification email is not mailed twice: the notification (which says why it matters
to them) wins, and the list email is recorded as "notified".

Everything a batch needs is loaded with a fixed number of queries, whatever its size; permissions are asked
again at sweep time through the policy, so a member who can no longer read the topic gets nothing.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_, update

from forum.auth.models import User, group_members
from forum.auth.sessions import TOUCH_INTERVAL
from forum.board.models import Category, Post, Topic, topic_allowed_groups, topic_allowed_users
from forum.core import links
from forum.core.jobs import register_periodic
from forum.core.models import utcnow
from forum.core.upsert import insert_for_dialect
from forum.extensions import db
from forum.mail.compose import queue_email
from forum.mail.content import post_content
from forum.mail.links import preference_url
from forum.mail.models import MailingListEmail, MailingListSubscription, NotificationEmail
from forum.mail.preferences import preferences_of
from forum.mail.unsubscribe import list_headers, unsubscribe_url
from forum.notifications.models import Kind, Notification
from forum.policy import Policy, post_is_visible, topic_is_live
from forum.policy.categories import load_category_rules

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30
LOOKBACK = timedelta(days=2)  # older notifications and posts are never mailed (a worker that was down long)
BATCH = 200

# The EmailPreferences column that controls each kind of notification; kinds not here are never emailed.
PREFERENCE = {
    Kind.MENTIONED: "mentions",
    Kind.GROUP_MENTIONED: "mentions",
    Kind.REPLIED: "replies",
    Kind.QUOTED: "quotes",
    Kind.POSTED: "watching",
    Kind.PRIVATE_MESSAGE: "messages",
    Kind.BOOKMARK_REMINDER: "reminders",
}

def headline(kind: Kind, first_post: bool, **names):
    """Who did what, in the member's language once rendered (names: name, topic, group)."""
    if kind == Kind.MENTIONED:
        return _l("%(name)s mentioned you in “%(topic)s”", **names)
    if kind == Kind.GROUP_MENTIONED:
        return _l("%(name)s mentioned %(group)s in “%(topic)s”", **names)
    if kind == Kind.REPLIED:
        return _l("%(name)s replied to your post in “%(topic)s”", **names)
    if kind == Kind.QUOTED:
        return _l("%(name)s quoted your post in “%(topic)s”", **names)
    if kind == Kind.PRIVATE_MESSAGE:
        return _l("%(name)s sent you a private message: “%(topic)s”", **names)
    if kind == Kind.BOOKMARK_REMINDER:
        return _l("A reminder about the post by %(name)s you bookmarked in “%(topic)s”", **names)
    if first_post:
        return _l("%(name)s started a new topic: “%(topic)s”", **names)
    return _l("%(name)s posted in “%(topic)s”", **names)


def reason(preference: str, forum: str):
    """Why the member got the email: the preference that controls it, in words."""
    reasons = {
        "mentions": _l("You got this email because someone mentioned you or one of your groups on %(forum)s.",
                       forum=forum),
        "replies": _l("You got this email because someone replied to your post on %(forum)s.", forum=forum),
        "quotes": _l("You got this email because someone quoted your post on %(forum)s.", forum=forum),
        "watching": _l("You got this email because you watch this topic or its category on %(forum)s.",
                       forum=forum),
        "messages": _l("You got this email because you take part in this private message on %(forum)s.",
                       forum=forum),
        "reminders": _l("You got this email because you asked to be reminded of this bookmark on %(forum)s.",
                        forum=forum),
    }
    return reasons[preference]


UNSUBSCRIBE_LABEL = {
    "mentions": _l("Stop emails about mentions"),
    "replies": _l("Stop emails about replies"),
    "quotes": _l("Stop emails about quotes"),
    "watching": _l("Stop emails about watched topics and categories"),
    "messages": _l("Stop emails about private messages"),
    "reminders": _l("Stop emails about bookmark reminders"),
}


def preference_for(kind: Kind, topic: Topic) -> str | None:
    """The preference that controls email for a notification of `kind` in `topic` (None: never emailed)."""
    if kind == Kind.POSTED and topic.is_private:
        return "messages"
    return PREFERENCE.get(kind)


def thread_headers(topic_id: int) -> dict[str, str]:
    """Every email about one topic names the same reference, so mail clients show them as one thread."""
    reference = f"<topic-{topic_id}@{current_app.config['FORUM_MAIL_DOMAIN']}>"
    return {"In-Reply-To": reference, "References": reference}


def subject_for(topic: Topic) -> str:
    return f"[{current_app.config['FORUM_NAME']}] {topic.title}"


@dataclass
class Batch:
    """What a batch of decisions reads, each kind of thing loaded in one query."""

    users: dict[int, User]
    topics: dict[int, Topic]
    posts: dict[tuple[int, int], Post]
    preferences: dict
    policies: dict[int, Policy] = field(default_factory=dict)

    def can_read(self, user: User, topic: Topic, post: Post | None) -> bool:
        """The post is shown to everyone who may read its topic, and the member still may."""
        if post is None or not post_is_visible(post) or not topic_is_live(topic):
            return False
        return self.policies[user.id].can("view_topic", topic)


def _load_batch(user_ids: set[int], pairs: set[tuple[int, int]], recipient_ids: set[int]) -> Batch:
    """Members (recipients and authors), topics, posts by (topic id, number), preferences and policies."""
    posts = {
        (post.topic_id, post.post_number): post
        for post in db.session.execute(
            select(Post).where(tuple_(Post.topic_id, Post.post_number).in_(list(pairs)))
        ).scalars()
    } if pairs else {}
    user_ids = user_ids | {post.user_id for post in posts.values()}
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(user_ids))).scalars()}
    topic_ids = {topic_id for topic_id, _number in pairs}
    topics = {t.id: t for t in db.session.execute(select(Topic).where(Topic.id.in_(topic_ids))).scalars()}
    batch = Batch(users, topics, posts, preferences_of(recipient_ids))
    batch.policies = _policies([users[i] for i in recipient_ids if i in users], topics)
    return batch


def _policies(members: list[User], topics: dict[int, Topic]) -> dict[int, Policy]:
    """One Policy per member, sharing the category rules, with their groups and their part in this batch's
    private messages loaded for all of them at once (the Policy would ask once per member)."""
    if not members:
        return {}
    rules = load_category_rules()
    ids = [m.id for m in members]
    groups: dict[int, set[int]] = {i: set() for i in ids}
    for user_id, group_id in db.session.execute(
        select(group_members.c.user_id, group_members.c.group_id).where(group_members.c.user_id.in_(ids))
    ).all():
        groups[user_id].add(group_id)
    private = [t.id for t in topics.values() if t.is_private]
    direct: set[tuple[int, int]] = set()
    via_group: dict[int, set[int]] = {}
    if private:
        direct = set(db.session.execute(
            select(topic_allowed_users.c.user_id, topic_allowed_users.c.topic_id)
            .where(topic_allowed_users.c.topic_id.in_(private), topic_allowed_users.c.user_id.in_(ids))
        ).all())
        for topic_id, group_id in db.session.execute(
            select(topic_allowed_groups.c.topic_id, topic_allowed_groups.c.group_id)
            .where(topic_allowed_groups.c.topic_id.in_(private))
        ).all():
            via_group.setdefault(topic_id, set()).add(group_id)
    policies = {}
    for member in members:
        policy = Policy(member, rules)
        # Policy memoises these as cached properties; seeding them saves two queries per member.
        policy.__dict__["group_ids"] = frozenset(groups[member.id])
        policy.__dict__["participating_topic_ids"] = frozenset(
            topic_id for topic_id in private
            if (member.id, topic_id) in direct or via_group.get(topic_id, set()) & groups[member.id]
        )
        policies[member.id] = policy
    return policies


def _member_refusal(user: User | None, preferences) -> str | None:
    """Why a member gets no email at all now, if they do not."""
    if user is None:
        return "gone"
    if user.is_suspended:
        return "suspended"
    if preferences.failed_at is not None:
        return "failed_address"
    return None


def _is_around(user: User, preferences, now: datetime) -> bool:
    """On the site within their away minutes, or perhaps reading it right now (last_seen_at is written at
    most every TOUCH_INTERVAL, so a member seen within it may still be reading)."""
    if user.last_seen_at is None:
        return False
    window = max(timedelta(minutes=preferences.away_minutes), TOUCH_INTERVAL)
    return user.last_seen_at > now - window


def decide(notification: Notification, batch: Batch, now: datetime) -> str:
    """"queued", or why the notification is not emailed."""
    if notification.kind not in PREFERENCE:
        return "not_mailed"
    user = batch.users.get(notification.user_id)
    preferences = batch.preferences[notification.user_id]
    refusal = _member_refusal(user, preferences)
    if refusal:
        return refusal
    topic = batch.topics.get(notification.topic_id)
    post = batch.posts.get((notification.topic_id, notification.post_number))
    if topic is None or not batch.can_read(user, topic, post):
        return "gone"
    if notification.read_at is not None:
        return "read"
    if not getattr(preferences, preference_for(notification.kind, topic)):
        return "preference"
    if _is_around(user, preferences, now):
        return "away"
    return "queued"


def _due(model_created_at, now: datetime):
    cutoff = now - timedelta(seconds=current_app.config["FORUM_NOTIFY_DELAY_SECONDS"])
    return model_created_at.between(now - LOOKBACK, cutoff)


def _record(model, rows: list[dict], key) -> set:
    """Insert the decisions; the keys of those this worker made (another worker's are skipped)."""
    if not rows:
        return set()
    inserted = db.session.execute(
        insert_for_dialect(model).values(rows).on_conflict_do_nothing().returning(*key)
    ).all()
    return {tuple(row) for row in inserted}


def sweep_notifications(now: datetime | None = None, limit: int = BATCH) -> int:
    """Decide about notifications that have waited the delay; returns how many emails were queued."""
    now = now or utcnow()
    notifications = db.session.execute(
        select(Notification)
        .outerjoin(NotificationEmail, NotificationEmail.notification_id == Notification.id)
        .where(NotificationEmail.notification_id.is_(None), _due(Notification.created_at, now))
        .order_by(Notification.id)
        .limit(limit)
    ).scalars().all()
    if not notifications:
        return 0
    recipients = {n.user_id for n in notifications}
    batch = _load_batch(
        recipients | {n.actor_id for n in notifications if n.actor_id},
        {(n.topic_id, n.post_number) for n in notifications if n.topic_id and n.post_number},
        recipients,
    )
    outcomes = {n.id: decide(n, batch, now) for n in notifications}
    won = _record(
        NotificationEmail,
        [{"notification_id": i, "outcome": outcome, "decided_at": utcnow()} for i, outcome in outcomes.items()],
        (NotificationEmail.notification_id,),
    )
    queued = 0
    for notification in notifications:
        if (notification.id,) in won and outcomes[notification.id] == "queued":
            queued += _send(
                (NotificationEmail.notification_id == notification.id,),
                NotificationEmail,
                lambda notification=notification: _queue_notification(notification, batch),
            )
    return queued


def _send(where: tuple, model, queue) -> int:
    """Queue one email; if building it fails, the decision says so (and the rest of the batch goes on)."""
    try:
        queue()
    except Exception:  # rendering failed before anything was added: record it rather than retry for ever
        log.exception("mail: could not build a notification email")
        db.session.execute(update(model).where(*where).values(outcome="error"))
        return 0
    return 1


def _post_context(topic: Topic, post: Post) -> dict:
    link = links.post_url(post, topic, absolute=True)
    return {
        "topic": topic, "post": post, "post_link": link, "content": post_content(post.raw, post.cooked, link),
    }


def _queue_notification(notification: Notification, batch: Batch) -> None:
    user = batch.users[notification.user_id]
    topic = batch.topics[notification.topic_id]
    post = batch.posts[(notification.topic_id, notification.post_number)]
    author = batch.users.get(post.user_id)
    preference = preference_for(notification.kind, topic)
    forum = current_app.config["FORUM_NAME"]
    names = {
        "name": author.display_name if author else _l("A former member"), "topic": topic.title,
        "group": notification.payload.get("group", ""),
    }
    queue_email(
        user.email, subject_for(topic), "notification", member=user, kind=str(notification.kind),
        headers={**list_headers(user.id, preference), **thread_headers(topic.id)},
        headline=headline(notification.kind, post.is_first, **names),
        note=notification.payload.get("note") if notification.kind == Kind.BOOKMARK_REMINDER else None,
        author=author, reason=reason(preference, forum),
        preferences_url=preference_url(preference), unsubscribe_url=unsubscribe_url(user.id, preference),
        unsubscribe_label=UNSUBSCRIBE_LABEL[preference], **_post_context(topic, post),
    )


def sweep_mailing_lists(now: datetime | None = None, limit: int = BATCH) -> int:
    """Mail new posts to the members who follow their category as a mailing list; returns how many."""
    now = now or utcnow()
    subscription = MailingListSubscription
    candidates = db.session.execute(
        select(subscription.user_id, Post.id, Post.topic_id, Post.post_number)
        .join(Topic, Topic.category_id == subscription.category_id)
        .join(Post, Post.topic_id == Topic.id)
        .outerjoin(MailingListEmail, (MailingListEmail.user_id == subscription.user_id) & (MailingListEmail.post_id == Post.id))
        .where(
            MailingListEmail.post_id.is_(None), Topic.is_private.is_(False), Topic.bumped_at >= now - LOOKBACK,
            _due(Post.created_at, now), Post.created_at >= subscription.created_at, Post.user_id != subscription.user_id,
        )
        .order_by(Post.id, subscription.user_id)
        .limit(limit)
    ).all()
    if not candidates:
        return 0
    recipients = {row.user_id for row in candidates}
    batch = _load_batch(recipients, {(row.topic_id, row.post_number) for row in candidates}, recipients)
    notified = _notification_outcomes(recipients, {row.topic_id for row in candidates})
    outcomes = {}
    for row in candidates:
        outcome = _decide_list_post(row, batch, notified)
        if outcome is not None:
            outcomes[(row.user_id, row.id)] = (outcome, row)
    won = _record(
        MailingListEmail,
        [{"user_id": u, "post_id": p, "outcome": o, "decided_at": utcnow()} for (u, p), (o, _r) in outcomes.items()],
        (MailingListEmail.user_id, MailingListEmail.post_id),
    )
    queued = 0
    for (user_id, post_id), (outcome, row) in outcomes.items():
        if (user_id, post_id) in won and outcome == "queued":
            queued += _send(
                (MailingListEmail.user_id == user_id, MailingListEmail.post_id == post_id),
                MailingListEmail,
                lambda row=row: _queue_list_post(row, batch),
            )
    return queued


def _notification_outcomes(user_ids: set[int], topic_ids: set[int]) -> dict[tuple[int, int, int], str | None]:
    """(member, topic, post number) -> the email decision about their notification of it (None: not yet)."""
    rows = db.session.execute(
        select(Notification.user_id, Notification.topic_id, Notification.post_number, NotificationEmail.outcome)
        .outerjoin(NotificationEmail, NotificationEmail.notification_id == Notification.id)
        .where(Notification.user_id.in_(user_ids), Notification.topic_id.in_(topic_ids),
               Notification.kind.in_(list(PREFERENCE)))
    ).all()
    return {(user_id, topic_id, number): outcome for user_id, topic_id, number, outcome in rows}


def _decide_list_post(row, batch: Batch, notified: dict) -> str | None:
    """"queued", why not, or None to wait (the member's notification of the post is not decided yet)."""
    user = batch.users.get(row.user_id)
    refusal = _member_refusal(user, batch.preferences[row.user_id])
    if refusal:
        return refusal
    topic = batch.topics.get(row.topic_id)
    post = batch.posts.get((row.topic_id, row.post_number))
    if topic is None or not batch.can_read(user, topic, post):
        return "gone"
    key = (row.user_id, row.topic_id, row.post_number)
    if key in notified:
        if notified[key] is None:
            return None
        if notified[key] == "queued":
            return "notified"
    return "queued"


def _queue_list_post(row, batch: Batch) -> None:
    user = batch.users[row.user_id]
    topic = batch.topics[row.topic_id]
    post = batch.posts[(row.topic_id, row.post_number)]
    author = batch.users.get(post.user_id)
    category = db.session.get(Category, topic.category_id)
    kind = f"list:{category.id}"
    names = {"name": author.display_name if author else _l("A former member"), "topic": topic.title}
    headers = {
        **list_headers(user.id, kind), **thread_headers(topic.id),
        "List-Id": f"<{category.slug}.{current_app.config['FORUM_MAIL_DOMAIN']}>",
    }
    queue_email(
        user.email, subject_for(topic), "notification", member=user, kind="mailing_list", headers=headers,
        headline=headline(Kind.POSTED, post.is_first, **names), note=None, author=author,
        reason=_l("You got this email because you follow %(category)s on %(forum)s as a mailing list.",
                  category=category.name, forum=current_app.config["FORUM_NAME"]),
        preferences_url=preference_url(kind), unsubscribe_url=unsubscribe_url(user.id, kind),
        unsubscribe_label=_l("Stop the emails of %(category)s", category=category.name),
        **_post_context(topic, post),
    )


def sweep(now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """The periodic job: notifications first, so that mailing-list mode knows which posts they covered."""
    return {
        "notifications": sweep_notifications(now, limit),
        "mailing_list": sweep_mailing_lists(now, limit),
    }


def register_jobs(app: Flask) -> None:
    register_periodic(app, "mail.notifications", sweep, SWEEP_SECONDS)
