"""The gate in front of the one write path, as Discourse's NewPostManager stands in front of PostCreator:
rules that other packages register may hold a post (for a facilitator's approval, say) instead of letting
`create_post` write it. A rule that holds a post keeps it wherever it keeps such things; the board only
tells the author why their post is waiting. A rule may also refuse a post outright by raising a DomainError
(a duplicate, say): the author keeps their text and reads why, as with any other refusal of the write path.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Submission:
    """A post about to be written: into `topic_id`, or as the first post of a new topic in `category_id`."""

    author_id: int
    raw: str
    topic_id: int | None = None
    category_id: int | None = None
    title: str | None = None
    reply_to_post_number: int | None = None


@dataclass(frozen=True)
class Held:
    """A post the gate did not let through; `message` tells the author what happens next."""

    rule: str
    message: str


HoldRule = Callable[[Submission], Held | None]
_rules: list[HoldRule] = []
_approved: ContextVar[bool] = ContextVar("gate_approved", default=False)


def add_rule(rule: HoldRule) -> None:
    """Register a rule (again: no change)."""
    if rule not in _rules:
        _rules.append(rule)


def remove_rule(rule: HoldRule) -> None:
    if rule in _rules:
        _rules.remove(rule)


@contextmanager
def approved() -> Iterator[None]:
    """Let posts through without asking the rules: for a post a facilitator has approved, written by the same
    service as any other once its turn comes."""
    token = _approved.set(True)
    try:
        yield
    finally:
        _approved.reset(token)


def check(submission: Submission) -> Held | None:
    """The first rule that holds the submission, or None to let it through."""
    if _approved.get():
        return None
    for rule in _rules:
        held = rule(submission)
        if held is not None:
            return held
    return None
