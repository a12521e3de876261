"""Domain events: services announce what happened, with ids (never ORM objects); other packages subscribe
from their own `init_app`, so that the board never imports notifications, mail, search or moderation.

Two kinds of subscriber:
- **in the transaction** (`subscribe(event, fn)`): runs at once, inside the announcing service's transaction;
  what it writes (notification rows, read state, links to uploads) commits or rolls back with the cause;
- **after commit** (`subscribe(event, fn, after_commit=True)`): runs once the transaction has committed, and
  never after a rollback. The transaction is over, so it only hands work on: it enqueues a job by id.

Subscribers receive the event's fields as keyword arguments: those they name, or all with `**fields`, so
that adding a field to an event leaves the subscribers that do not use it as they are. The events, and what each carries, are declared
at the end of this module; `call_after_commit` runs any other callable after the commit (a job to enqueue).
"""

import inspect
from dataclasses import dataclass, field

from blinker import Signal
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import Session, scoped_session

_PENDING = "forum_events_after_commit"


@dataclass(eq=False)
class Event:
    name: str
    fields: tuple[str, ...]
    _in_transaction: Signal = field(default_factory=Signal, repr=False)
    _after_commit: Signal = field(default_factory=Signal, repr=False)

    def subscribe(self, receiver, *, after_commit: bool = False) -> None:
        """Call `receiver(**fields)` for every announcement. Subscribing again (a second app in the same
        process) changes nothing; a module-level function stays subscribed for the life of the process."""
        signal = self._after_commit if after_commit else self._in_transaction
        if any(getattr(known, "__wrapped__", None) is receiver for known in signal.receivers.values()):
            return
        signal.connect(_adapter(receiver), weak=False)

    def unsubscribe(self, receiver) -> None:
        for signal in (self._in_transaction, self._after_commit):
            for known in list(signal.receivers.values()):
                if getattr(known, "__wrapped__", None) is receiver:
                    signal.disconnect(known)

    def announce(self, session: Session, **payload) -> None:
        """Tell the in-transaction subscribers now, and the after-commit ones once `session` commits."""
        if set(payload) != set(self.fields):
            raise TypeError(f"{self.name} carries {sorted(self.fields)}, not {sorted(payload)}")
        self._in_transaction.send(self, payload=payload)
        if self._after_commit.receivers:
            call_after_commit(session, lambda: self._after_commit.send(self, payload=payload))


def call_after_commit(session: Session, action, key=None) -> None:
    """Call `action()` once `session` has committed; not at all if it rolls back (even a rollback before
    any statement: the transaction is begun here, so that its rollback is seen). Actions given the same
    `key` in one transaction run once."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()
    session.info.setdefault(_PENDING, {}).setdefault(object() if key is None else key, action)


def _adapter(receiver):
    parameters = inspect.signature(receiver).parameters.values()
    named = None if any(p.kind is p.VAR_KEYWORD for p in parameters) else {p.name for p in parameters}

    def receive(_sender, payload):
        receiver(**(payload if named is None else {k: v for k, v in payload.items() if k in named}))

    receive.__wrapped__ = receiver
    return receive


def _run_after_commit(session: Session) -> None:
    for action in session.info.pop(_PENDING, {}).values():
        action()


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Dispatch after-commit subscribers on every session's commit (once per process)."""
    if not sqlalchemy_event.contains(Session, "after_commit", _run_after_commit):
        sqlalchemy_event.listen(Session, "after_commit", _run_after_commit)
        sqlalchemy_event.listen(Session, "after_rollback", _forget)


# --- the events -----------------------------------------------------------------------------------------

# A post was written (also the first post of a new topic). The mentioned ids are the members and groups its
# @names resolved to when it was written; the quoted ids, the posts its quotes name as their source.
post_created = Event(
    "post_created",
    (
        "post_id", "topic_id", "user_id", "reply_to_post_number", "mentioned_user_ids", "mentioned_group_ids",
        "quoted_post_ids",
    ),
)
# A post's text changed; `newly_mentioned_user_ids` are the members its @names name now and did not before.
post_edited = Event("post_edited", ("post_id", "topic_id", "editor_id", "author_id", "version", "reason",
                                    "newly_mentioned_user_ids"))
post_deleted = Event("post_deleted", ("post_id", "topic_id", "actor_id"))
post_restored = Event("post_restored", ("post_id", "topic_id", "actor_id"))
topic_created = Event("topic_created", ("topic_id", "category_id", "user_id"))
# A facilitator moved a topic to another category.
topic_moved = Event("topic_moved", ("topic_id", "from_category_id", "to_category_id", "actor_id"))
post_liked = Event("post_liked", ("post_id", "topic_id", "user_id"))
# A newcomer accepted their invitation and has an account.
member_joined = Event("member_joined", ("user_id",))
# A facilitator invited someone by email (they have no account yet; the invitation holds the address).
member_invited = Event("member_invited", ("invite_id",))
# A member asked for a password reset link (announced by the worker that handles the request, not the request).
password_reset_requested = Event("password_reset_requested", ("user_id",))

EVENTS = (
    post_created, post_edited, post_deleted, post_restored, topic_created, topic_moved, post_liked, member_joined,
    member_invited, password_reset_requested,
)
