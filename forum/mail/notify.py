"""Notification emails, and mailing-list mode: a periodic sweep (`mail.notifications`) that follows what the
forum already wrote, rather than the posts themselves.

Part one takes the in-site notifications (written with their post, already filtered for mutes and for who may
read the topic) once they are FORUM_NOTIFY_DELAY_SECONDS old, so that an edit or a deletion right after posting
is honoured, and decides about each one once: a NotificationEmail row with "queued", or why not ("read",
"away", "preference", "gone", "suspended", "failed_address", "not_mailed"). The row is inserted before the
email is queued, in the same transaction; with two workers, only the one whose insert took effect goes on.

The same job then runs mailing-list mode (forum/mail/mailing_list.py), after the notifications, so that a
post a notification email covered is not mailed twice.

Everything a batch needs is loaded with a fixed number of queries, whatever its size; permissions are asked
again at sweep time through the policy, so a member who can no longer read the topic gets nothing.
"""

from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.auth.models import User
from forum.auth.sessions import TOUCH_INTERVAL
from forum.board.models import Topic
from forum.core import links
from forum.core.jobs import register_periodic
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.compose import queue_email
from forum.mail.links import preference_url
from forum.mail.mailing_list import sweep_mailing_lists
from forum.mail.models import NotificationEmail
from forum.mail.post_mail import (
    BATCH,
    PREFERENCE,
    Batch,
    due_filter,
    headline,
    load_batch,
    member_refusal,
    post_context,
    queue_or_record_error,
    record_decisions,
    reply_headers,
    subject_for,
    thread_headers,
)
from forum.mail.unsubscribe import list_headers, unsubscribe_url
from forum.notifications.models import Kind, Notification
from forum.notifications.outcomes import outcome_sentence

SWEEP_SECONDS = 30


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
    refusal = member_refusal(user, preferences)
    if refusal:
        return refusal
    topic = batch.topics.get(notification.topic_id)
    post = batch.posts.get((notification.topic_id, notification.post_number))
    if notification.kind == Kind.MODERATION:
        # The email names the outcome and the topic, never the post (which may be hidden from the flagger).
        if topic is None or not batch.policies[user.id].can("view_topic", topic):
            return "gone"
    elif topic is None or not batch.can_read(user, topic, post):
        return "gone"
    if notification.read_at is not None:
        return "read"
    if not getattr(preferences, preference_for(notification.kind, topic)):
        return "preference"
    if _is_around(user, preferences, now):
        return "away"
    return "queued"


def sweep_notifications(now: datetime | None = None, limit: int = BATCH) -> int:
    """Decide about notifications that have waited the delay; returns how many emails were queued."""
    now = now or utcnow()
    notifications = db.session.execute(
        select(Notification)
        .outerjoin(NotificationEmail, NotificationEmail.notification_id == Notification.id)
        .where(NotificationEmail.notification_id.is_(None), due_filter(Notification.created_at, now))
        .order_by(Notification.id)
        .limit(limit)
    ).scalars().all()
    if not notifications:
        return 0
    recipients = {n.user_id for n in notifications}
    batch = load_batch(
        recipients | {n.actor_id for n in notifications if n.actor_id},
        {(n.topic_id, n.post_number) for n in notifications if n.topic_id and n.post_number},
        recipients,
        frozenset(n.topic_id for n in notifications if n.topic_id),
    )
    outcomes = {n.id: decide(n, batch, now) for n in notifications}
    won = record_decisions(
        NotificationEmail,
        [{"notification_id": i, "outcome": outcome, "decided_at": utcnow()} for i, outcome in outcomes.items()],
        (NotificationEmail.notification_id,),
    )
    queued = 0
    for notification in notifications:
        if (notification.id,) in won and outcomes[notification.id] == "queued":
            queued += queue_or_record_error(
                (NotificationEmail.notification_id == notification.id,),
                NotificationEmail,
                lambda notification=notification: _queue_notification(notification, batch),
            )
    return queued


def _queue_notification(notification: Notification, batch: Batch) -> None:
    if notification.kind == Kind.MODERATION:
        return _queue_outcome(notification, batch)
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
    replies = reply_headers(user, topic, post, batch.policies[user.id])
    queue_email(
        user.email, subject_for(topic), "notification", member=user, kind=str(notification.kind),
        headers={**list_headers(user.id, preference), **thread_headers(topic.id), **replies},
        reply_by_mail=bool(replies),
        headline=headline(notification.kind, post.is_first, **names),
        note=notification.payload.get("note") if notification.kind == Kind.BOOKMARK_REMINDER else None,
        author=author, reason=reason(preference, forum),
        preferences_url=preference_url(preference), unsubscribe_url=unsubscribe_url(user.id, preference),
        unsubscribe_label=UNSUBSCRIBE_LABEL[preference], **post_context(topic, post),
    )


def _queue_outcome(notification: Notification, batch: Batch) -> None:
    """A moderation outcome: the sentence the notification list shows, and links to the topic and the list."""
    user = batch.users[notification.user_id]
    topic = batch.topics[notification.topic_id]
    actor = batch.users.get(notification.actor_id)
    forum = current_app.config["FORUM_NAME"]
    sentence = outcome_sentence(notification.payload, actor.display_name if actor else _l("A facilitator"),
                                topic.title)
    if sentence is None:
        raise ValueError(f"no email for the moderation outcome {notification.payload.get('outcome')!r}")
    queue_email(
        user.email, subject_for(topic), "moderation_outcome", member=user, kind=str(notification.kind),
        headers={**list_headers(user.id, "messages"), **thread_headers(topic.id)},
        headline=sentence, topic=topic,
        topic_link=links.topic_url(topic, notification.post_number, absolute=True),
        notifications_link=links.url("notifications.index", absolute=True),
        reason=_l("You got this email because a facilitator acted on your post or on a flag you raised on "
                  "%(forum)s.", forum=forum),
        preferences_url=preference_url("messages"), unsubscribe_url=unsubscribe_url(user.id, "messages"),
        unsubscribe_label=UNSUBSCRIBE_LABEL["messages"],
    )


def sweep(now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """The periodic job: notifications first, so that mailing-list mode knows which posts they covered."""
    return {
        "notifications": sweep_notifications(now, limit),
        "mailing_list": sweep_mailing_lists(now, limit),
    }


def register_jobs(app: Flask) -> None:
    register_periodic(app, "mail.notifications", sweep, SWEEP_SECONDS)
