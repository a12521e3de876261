"""A newcomer's first steps: a short welcome on the latest topics, with three places to start, until they put
it away. Services flush, never commit."""

from datetime import timedelta

from forum.auth.models import User
from forum.board import queries as board_queries
from forum.board.models import Category
from forum.core.models import utcnow
from forum.extensions import db
from forum.policy import can, is_member

# Who joined this recently and has not put the welcome away sees it; members of longer standing never do.
NEWCOMER_FOR = timedelta(days=14)
INTRODUCTIONS_SLUG = "introductions"


def shows_welcome(user) -> bool:
    """Whether the welcome is shown to `user` (reads only the member's own row, already loaded)."""
    return (
        is_member(user)
        and user.welcome_dismissed_at is None
        and user.created_at is not None
        and user.created_at > utcnow() - NEWCOMER_FOR
    )


def dismiss_welcome(user: User) -> None:
    """The welcome is not shown again."""
    if user.welcome_dismissed_at is None:
        user.welcome_dismissed_at = utcnow()
        db.session.flush()


def introduction_category(user) -> Category | None:
    """Where a newcomer introduces themselves: the Introductions category if there is one and they may start
    a topic in it, else the first category (in the group's order) where they may; None if there is none."""
    allowed = [category for category in board_queries.visible_categories(user) if can(user, "create_topic", category)]
    named = [category for category in allowed if category.slug == INTRODUCTIONS_SLUG]
    return (named or allowed or [None])[0]
