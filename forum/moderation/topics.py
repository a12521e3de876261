"""Moderators' topic actions: close or open, pin in its category or everywhere, unpin, archive, unlist, move to
another category, and hand the topic to another member. (Splitting and merging are in topic_moves.py, timers
in timers.py.) Each checks can(actor, "moderate_topic", topic) and writes its audit row; like every service it
flushes and leaves the commit to its caller, so the action and its audit row are one transaction."""

import enum
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board import services as board
from forum.board.models import Category, Post, Topic
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation import audit
from forum.policy import can, post_is_visible, visible_posts_filter
from forum.policy.states import topic_is_live

# Everything a state change may touch, snapshotted before and after for the audit row.
STATE_FIELDS = ("is_locked", "is_pinned", "pinned_globally", "archived_at", "is_unlisted")


class TopicChange(enum.StrEnum):
    CLOSE = "close"
    OPEN = "open"
    PIN = "pin"  # at the top of its category's list
    PIN_GLOBALLY = "pin_globally"  # at the top of every topic list
    UNPIN = "unpin"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    UNLIST = "unlist"
    LIST = "list"


@dataclass(frozen=True)
class _Change:
    applies: Callable[[Topic], bool]  # the change would change something
    apply: Callable[[Topic], None]
    already: str  # said when it would change nothing


def _set(**values):
    def apply(topic: Topic) -> None:
        for name, value in values.items():
            setattr(topic, name, value() if callable(value) else value)
    return apply


_CHANGES = {
    TopicChange.CLOSE: _Change(lambda t: not t.is_locked, _set(is_locked=True), _l("The topic is already closed.")),
    TopicChange.OPEN: _Change(lambda t: t.is_locked, _set(is_locked=False), _l("The topic is already open.")),
    TopicChange.PIN: _Change(
        lambda t: not t.is_pinned or t.pinned_globally, _set(is_pinned=True, pinned_globally=False),
        _l("The topic is already pinned in its category."),
    ),
    TopicChange.PIN_GLOBALLY: _Change(
        lambda t: not t.pinned_globally, _set(is_pinned=True, pinned_globally=True),
        _l("The topic is already pinned everywhere."),
    ),
    TopicChange.UNPIN: _Change(
        lambda t: t.is_pinned or t.pinned_globally, _set(is_pinned=False, pinned_globally=False),
        _l("The topic is not pinned."),
    ),
    TopicChange.ARCHIVE: _Change(
        lambda t: t.archived_at is None, _set(archived_at=utcnow), _l("The topic is already archived."),
    ),
    TopicChange.UNARCHIVE: _Change(
        lambda t: t.archived_at is not None, _set(archived_at=None), _l("The topic is not archived."),
    ),
    TopicChange.UNLIST: _Change(lambda t: not t.is_unlisted, _set(is_unlisted=True), _l("The topic is already unlisted.")),
    TopicChange.LIST: _Change(lambda t: t.is_unlisted, _set(is_unlisted=False), _l("The topic is already listed.")),
}


def check_may_moderate(actor: User, topic: Topic) -> None:
    """Raise NotAllowed unless `actor` moderates `topic` (its category must be loaded)."""
    if not can(actor, "moderate_topic", topic):
        raise NotAllowed(_l("You do not moderate this topic."))


def change_topic(actor: User, topic: Topic, change: TopicChange, reason: str | None = None) -> None:
    """Close, open, pin, pin globally, unpin, archive, unarchive, unlist or list a topic."""
    check_may_moderate(actor, topic)
    if not _CHANGES[change].applies(topic):
        raise DomainError(_CHANGES[change].already)
    apply_change(actor, topic, change, reason)


def apply_change(actor: User | None, topic: Topic, change: TopicChange, reason: str | None = None,
                 **noted) -> bool:
    """Make the change and audit it, without asking whether `actor` may (None: the system, e.g. a timer).
    Returns False, changing nothing, if the topic is already so. `noted` is added to the audit's `after`."""
    if not _CHANGES[change].applies(topic):
        return False
    before = audit.snapshot(topic, *STATE_FIELDS)
    _CHANGES[change].apply(topic)
    db.session.flush()
    audit.record(
        actor, f"topic.{change.value}", "topic", topic.id, subject_user_id=topic.user_id, reason=reason,
        before=before, after={**audit.snapshot(topic, *STATE_FIELDS), **noted},
    )
    return True


def move_topic(actor: User, topic: Topic, category: Category, reason: str | None = None) -> None:
    """Move a topic to another category that the actor also moderates (the board moves posts and counts)."""
    check_may_moderate(actor, topic)
    if not can(actor, "moderate_category", category):
        raise NotAllowed(_l("You can only move topics to categories you moderate."))
    before = audit.snapshot(topic, "category_id")
    board.move_topic(actor, topic, category)
    audit.record(
        actor, "topic.move", "topic", topic.id, subject_user_id=topic.user_id, reason=reason, before=before,
        after=audit.snapshot(topic, "category_id"),
    )


def change_owner(actor: User, topic: Topic, owner: User, reason: str | None = None) -> None:
    """Hand the topic, and its first post, to another member who can read it."""
    check_may_moderate(actor, topic)
    if not topic_is_live(topic):
        raise DomainError(_l("Restore the topic before changing its owner."), field="username")
    if owner.id == topic.user_id:
        raise DomainError(_l("%(name)s already owns this topic.", name=owner.username), field="username")
    if not owner.is_active or not can(owner, "view_topic", topic):
        raise DomainError(_l("%(name)s cannot read this topic.", name=owner.username), field="username")
    first = db.session.execute(select(Post).where(Post.topic_id == topic.id, Post.post_number == 1)).scalar_one()
    before = {"user_id": topic.user_id}
    topic.user_id = owner.id
    first.user_id = owner.id
    # Replies to the first post name whom they answer (kept at write time).
    db.session.execute(
        update(Post).where(Post.topic_id == topic.id, Post.reply_to_post_number == 1).values(reply_to_user_id=owner.id)
    )
    if post_is_visible(first):
        recount_topic(topic, last_post=False)
    db.session.flush()
    audit.record(
        actor, "topic.change_owner", "topic", topic.id, subject_user_id=owner.id, reason=reason, before=before,
        after={"user_id": owner.id},
    )


def recount_topic(topic: Topic, last_post: bool = True) -> None:
    """Recount the topic's posts and participants (and, with `last_post`, its last post, by which lists order
    it) from its visible posts, in one query: after posts change hands or topics, which the board's write-time
    counting does not follow."""
    db.session.flush()
    rows = db.session.execute(
        select(Post.user_id, func.count(Post.id), func.min(Post.post_number), func.max(Post.created_at))
        .where(Post.topic_id == topic.id, visible_posts_filter())
        .group_by(Post.user_id)
    ).all()
    by_activity = sorted(rows, key=lambda row: (-row[1], row[2]))
    topic.post_count = sum(row[1] for row in rows)
    topic.participant_count = len(rows)
    topic.featured_user_ids = ",".join(str(row[0]) for row in by_activity[: board.FEATURED_USERS])
    latest = max(rows, key=lambda row: row[3], default=None)
    if last_post and latest is not None:
        topic.last_post_user_id = latest[0]
        topic.last_post_at = topic.bumped_at = latest[3]


def topic_for_moderation(topic_id: int) -> Topic | None:
    """A topic with its category (the moderation rules read it)."""
    return db.session.execute(
        select(Topic).where(Topic.id == topic_id).options(joinedload(Topic.category))
    ).scalar_one_or_none()
