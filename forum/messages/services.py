"""Private messages: conversations outside every category that only their participants can see."""

from flask_babel import lazy_gettext as _l

from forum.auth.models import Group, User
from forum.board import services as board_services
from forum.board.gate import Held
from forum.board.models import Topic
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.core.text import slugify
from forum.policy import can
from forum.tracking import services as tracking_services
from forum.tracking.models import NotificationLevel

MAX_MESSAGE_RECIPIENTS = 30


def create_private_message(author: User, title: str, raw: str, recipients: list[User], groups: list[Group] = ()) -> Topic | Held:
    """Start a private conversation with members (and groups): a topic outside every category that
    only its participants can see."""
    if not can(author, "send_message"):
        raise NotAllowed(_l("You cannot send private messages."))
    people = {user.id: user for user in recipients if user.id != author.id and user.is_active}
    if not people and not groups:
        raise DomainError(_l("Add at least one member or group to send the message to."), field="recipients")
    if len(people) + len(groups) > MAX_MESSAGE_RECIPIENTS:
        raise DomainError(_l("A message can go to at most %(n)d members and groups.", n=MAX_MESSAGE_RECIPIENTS), field="recipients")
    for group in groups:
        if not can(author, "mention_group", group):
            raise DomainError(_l("You cannot send messages to %(group)s.", group=group.name), field="recipients")
    title = board_services.check_title(title)
    now = utcnow()
    topic = Topic(
        category_id=None, is_private=True, title=title, slug=slugify(title), user_id=author.id,
        created_at=now, bumped_at=now, last_post_at=now,
    )
    topic.allowed_users = [author, *people.values()]
    topic.allowed_groups = list(groups)
    added = board_services.add_topic(author, topic, raw)
    if isinstance(added, Topic):
        for user in people.values():
            tracking_services.set_topic_level(user, topic, NotificationLevel.WATCHING)
    return added
