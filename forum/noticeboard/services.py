"""Rules of the Noticeboard: opening it, pinning a notice (the latest pinned one is every member's banner) and a
member dismissing the banner. Services flush, never commit: the caller owns the transaction."""

from flask_babel import lazy_gettext as _l

from forum.auth.models import User
from forum.board import services as board
from forum.board.models import Category, Topic
from forum.core.errors import NotAllowed, NotFound
from forum.extensions import db
from forum.noticeboard.queries import CATEGORY_SLUG, noticeboard
from forum.policy import can
from forum.tracking import services as tracking


def ensure_noticeboard(actor: User) -> Category:
    """The Noticeboard category (address /c/noticeboard), created on first use by a facilitator: only facilitators
    and administrators start topics there, members reply. An existing category of that address is returned as
    it is (an administrator may have changed its settings). The demo loader may call this for its categories."""
    category = noticeboard()
    if category is not None:
        return category
    if not can(actor, "open_noticeboard"):
        raise NotAllowed(_l("Only facilitators open the Noticeboard."))
    return board.write_category(
        None, name=str(_l("Noticeboard")), slug=CATEGORY_SLUG, staff_only_topics=True,
        description=str(_l("Announcements from the facilitators. Everyone can reply; only facilitators start "
                           "topics here.")),
    )


def _notice(topic: Topic) -> Topic:
    category = noticeboard()
    if category is None or topic.category_id != category.id or topic.is_private:
        raise NotFound(_l("That topic is not on the Noticeboard."))
    return topic


def set_pinned(actor: User, topic: Topic, pinned: bool) -> None:
    """Pin a notice, or unpin it. The newest pinned notice is shown to every member as a banner until they have
    read it; pinned notices also head the Noticeboard's list."""
    _notice(topic)
    if not can(actor, "pin_notice", topic):
        raise NotAllowed(_l("Only facilitators pin notices."))
    topic.is_pinned = pinned
    db.session.flush()


def dismiss(member: User, topic: Topic) -> None:
    """The member has seen the notice: its first post counts as read, so the banner goes (replies they have not
    read stay unread)."""
    _notice(topic)
    if not can(member, "view_topic", topic):
        raise NotFound(_l("That topic is not on the Noticeboard."))
    tracking.mark_read(member, topic, 1)
