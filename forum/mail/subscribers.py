"""Mail follows the forum's events: the message is queued in the same transaction as its cause, so it is sent
if and only if the cause commits (the outbox delivers it after the commit)."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from forum.auth import services as auth_services
from forum.auth.models import Invite, User
from forum.core import events
from forum.extensions import db
from forum.mail.compose import queue_email


def subscribe() -> None:
    events.member_invited.subscribe(on_member_invited)
    events.password_reset_requested.subscribe(on_password_reset_requested)


def on_member_invited(invite_id: int) -> None:
    invite = db.session.get(Invite, invite_id)
    forum_name = current_app.config["FORUM_NAME"]
    queue_email(
        invite.email,
        _l("%(name)s invites you to %(forum)s", name=invite.invited_by.display_name, forum=forum_name),
        "invite",
        kind="invite",
        invite=invite,
        token=auth_services.invite_token(invite),
        days=current_app.config["FORUM_INVITE_MAX_AGE_DAYS"],
    )


def on_password_reset_requested(user_id: int) -> None:
    user = db.session.get(User, user_id)
    queue_email(
        user.email,
        _l("Reset your password"),
        "password_reset",
        member=user,
        kind="password_reset",
        user=user,
        token=auth_services.reset_token(user),
        minutes=current_app.config["FORUM_PASSWORD_RESET_MAX_AGE_SECONDS"] // 60,
    )
