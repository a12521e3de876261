"""Mailing-list mode (Mailman-style): members who follow a category as a mailing list get each new post in it
by email, with the same delay as notifications (an edit or a deletion right after posting is honoured), once
per member and post (a MailingListEmail row), only what they may read, never their own posts.

A post that already reached the member as a notification email is not mailed twice: the notification (which
says why the post matters to them) wins, and the list email is recorded as "notified". While the member's
notification of a post is not decided yet, the post waits for the next sweep.
"""

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.board.models import Category, Post, Topic
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.compose import queue_email
from forum.mail.links import preference_url
from forum.mail.models import MailingListEmail, MailingListSubscription, NotificationEmail
from forum.mail.post_mail import (
    BATCH,
    LOOKBACK,
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


def sweep_mailing_lists(now: datetime | None = None, limit: int = BATCH) -> int:
    """Mail new posts to the members who follow their category as a mailing list; returns how many."""
    now = now or utcnow()
    subscription = MailingListSubscription
    candidates = db.session.execute(
        select(subscription.user_id, Post.id, Post.topic_id, Post.post_number)
        .join(Topic, Topic.category_id == subscription.category_id)
        .join(Post, Post.topic_id == Topic.id)
        .outerjoin(
            MailingListEmail,
            (MailingListEmail.user_id == subscription.user_id) & (MailingListEmail.post_id == Post.id),
        )
        .where(
            MailingListEmail.post_id.is_(None), Topic.is_private.is_(False), Topic.bumped_at >= now - LOOKBACK,
            due_filter(Post.created_at, now), Post.created_at >= subscription.created_at,
            Post.user_id != subscription.user_id,
        )
        .order_by(Post.id, subscription.user_id)
        .limit(limit)
    ).all()
    if not candidates:
        return 0
    recipients = {row.user_id for row in candidates}
    batch = load_batch(recipients, {(row.topic_id, row.post_number) for row in candidates}, recipients)
    notified = _notification_outcomes(recipients, {row.topic_id for row in candidates})
    outcomes = {}
    for row in candidates:
        outcome = _decide_list_post(row, batch, notified)
        if outcome is not None:
            outcomes[(row.user_id, row.id)] = (outcome, row)
    won = record_decisions(
        MailingListEmail,
        [{"user_id": u, "post_id": p, "outcome": o, "decided_at": utcnow()} for (u, p), (o, _r) in outcomes.items()],
        (MailingListEmail.user_id, MailingListEmail.post_id),
    )
    queued = 0
    for (user_id, post_id), (outcome, row) in outcomes.items():
        if (user_id, post_id) in won and outcome == "queued":
            queued += queue_or_record_error(
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
    refusal = member_refusal(user, batch.preferences[row.user_id])
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
        **reply_headers(user, topic, post, batch.policies[user.id]),
    }
    queue_email(
        user.email, subject_for(topic), "notification", member=user, kind="mailing_list", headers=headers,
        headline=headline(Kind.POSTED, post.is_first, **names), note=None, author=author,
        reply_by_mail="Reply-To" in headers,
        reason=_l("You got this email because you follow %(category)s on %(forum)s as a mailing list.",
                  category=category.name, forum=current_app.config["FORUM_NAME"]),
        preferences_url=preference_url(kind), unsubscribe_url=unsubscribe_url(user.id, kind),
        unsubscribe_label=_l("Stop the emails of %(category)s", category=category.name),
        **post_context(topic, post),
    )
