"""Topic timers: close, open or publish (list) a topic at a time a moderator chose. A topic has at most one
pending timer; setting another replaces it. The worker's periodic job carries out the timers that are due,
each once: it claims a timer (one conditional UPDATE) before acting, so two workers never both act on it."""

from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from forum.auth.models import User
from forum.board.models import Topic
from forum.core.errors import DomainError
from forum.core.jobs import register_periodic
from forum.core.models import utcnow
from forum.extensions import db
from forum.moderation import audit
from forum.moderation.models import TimerAction, TopicTimer
from forum.moderation.topics import TopicChange, apply_change, check_may_moderate
from forum.policy import topic_is_live

JOB_SECONDS = 60

_CHANGE = {TimerAction.CLOSE: TopicChange.CLOSE, TimerAction.OPEN: TopicChange.OPEN, TimerAction.PUBLISH: TopicChange.LIST}
_POINTLESS = {
    TimerAction.CLOSE: _l("The topic is already closed."),
    TimerAction.OPEN: _l("The topic is already open."),
    TimerAction.PUBLISH: _l("Only an unlisted topic can be published."),
}


def _pending():
    return TopicTimer.done_at.is_(None) & TopicTimer.cancelled_at.is_(None)


def pending_timer(topic_id: int) -> TopicTimer | None:
    return db.session.execute(
        select(TopicTimer).where(TopicTimer.topic_id == topic_id, _pending()).order_by(TopicTimer.id.desc()).limit(1)
    ).scalar_one_or_none()


def _would_change(topic: Topic, action: TimerAction) -> bool:
    if action == TimerAction.CLOSE:
        return not topic.is_locked
    if action == TimerAction.OPEN:
        return topic.is_locked
    return topic.is_unlisted


def set_timer(actor: User, topic: Topic, action: TimerAction, run_at: datetime, now: datetime | None = None) -> TopicTimer:
    """Close, open or publish the topic at `run_at` (aware UTC), in place of any timer it had."""
    check_may_moderate(actor, topic)
    now = now or utcnow()
    if not topic_is_live(topic):
        raise DomainError(_l("Restore the topic before setting a timer."))
    if run_at <= now:
        raise DomainError(_l("Choose a time in the future."), field="run_at")
    if not _would_change(topic, action):
        raise DomainError(_POINTLESS[action], field="action")
    replaced = cancel_pending(topic.id, now)
    timer = TopicTimer(topic_id=topic.id, action=action, run_at=run_at, created_by_id=actor.id, created_at=now)
    db.session.add(timer)
    db.session.flush()
    audit.record(
        actor, "topic.timer", "topic", topic.id, subject_user_id=topic.user_id,
        before={"timer": replaced} if replaced else None, after={"timer": action.value, "run_at": run_at},
    )
    return timer


def cancel_timer(actor: User, topic: Topic, timer: TopicTimer) -> None:
    check_may_moderate(actor, topic)
    if timer.topic_id != topic.id or timer.done_at is not None or timer.cancelled_at is not None:
        raise DomainError(_l("That timer is no longer pending."))
    timer.cancelled_at = utcnow()
    db.session.flush()
    audit.record(
        actor, "topic.timer_cancel", "topic", topic.id, subject_user_id=topic.user_id,
        before={"timer": timer.action.value, "run_at": timer.run_at}, after=None,
    )


def cancel_pending(topic_id: int, now: datetime) -> str | None:
    """Cancel the topic's pending timers (without an audit row of their own); returns the action of one."""
    timer = pending_timer(topic_id)
    db.session.execute(update(TopicTimer).where(TopicTimer.topic_id == topic_id, _pending()).values(cancelled_at=now))
    return timer.action.value if timer else None


def run_due_timers(now: datetime | None = None) -> int:
    """Carry out every timer that is due, each once; returns how many changed their topic."""
    now = now or utcnow()
    due = db.session.execute(
        select(TopicTimer.id).where(_pending(), TopicTimer.run_at <= now).order_by(TopicTimer.run_at, TopicTimer.id)
    ).scalars().all()
    changed = 0
    for timer_id in due:
        claimed = db.session.execute(
            update(TopicTimer).where(TopicTimer.id == timer_id, _pending()).values(done_at=now)
        ).rowcount
        if claimed == 1:
            changed += _run(db.session.get(TopicTimer, timer_id), now)
    return changed


def _run(timer: TopicTimer, now: datetime) -> int:
    topic = db.session.get(Topic, timer.topic_id)
    if not topic_is_live(topic):
        return 0
    if not apply_change(None, topic, _CHANGE[timer.action], timer_id=timer.id):
        return 0
    if timer.action == TimerAction.PUBLISH:
        topic.bumped_at = now  # published now: at the top of the lists, as a new topic would be
    return 1


def register_jobs(app: Flask) -> None:
    register_periodic(app, "moderation.topic_timers", run_due_timers, JOB_SECONDS)
