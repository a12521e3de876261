"""Rules for members: accounts, passwords, invitations, password reset. Services flush, never commit."""

import hashlib
import math
import re
import unicodedata
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update

from forum.auth import names, sessions, throttle
from forum.auth.models import Group, Invite, PasswordResetRequest, Role, User
from forum.core import events
from forum.core.errors import DomainError, NotAllowed
from forum.core.i18n import is_valid_timezone
from forum.core.models import utcnow
from forum.extensions import db
from forum.policy import can

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,19}$")
# Also names that are paths under /u/ (search).
RESERVED_USERNAMES = {"admin", "administrator", "moderator", "staff", "system", "support", "all", "here", "search"}
RESETS_PER_ADDRESS = 3
RESET_WINDOW = timedelta(hours=1)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()


# --- passwords -------------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(_l("That password is too long."), field="password")


def set_password(user: User, password: str, keep_session_id: int | None = None) -> None:
    """Set a new password and end every session of the member but `keep_session_id` (this device)."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    sessions.end_all_sessions(user, keep_session_id)


# A valid hash to verify against when the login name is unknown, so that timing does not tell.
_DUMMY_HASH = _hasher.hash("not a real password, only here for constant timing")


class LoginBlocked(DomainError):
    """Too many failed logins for this name: it must wait. Said the same way whether or not it is an account."""

    status_code = 429

    def __init__(self, wait: timedelta):
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        super().__init__(
            _nl(
                "Too many failed attempts to log in with this name. For safety, please wait %(num)d minute and try again.",
                "Too many failed attempts to log in with this name. For safety, please wait %(num)d minutes and try again.",
                minutes,
            ),
            field="password",
        )


class AccountSuspended(DomainError):
    """The right password for a suspended account: its member is told why and until when (the view words it, in
    the reader's zone). Only someone who knows the password learns the account is suspended."""

    status_code = 403

    def __init__(self, user: User):
        super().__init__(_l("This account is suspended."), field="password")
        self.until = user.suspended_until
        self.reason = user.suspend_reason


def authenticate(login: str, password: str) -> User | None:
    """The member with this username or email and password, or None; LoginBlocked while it must wait, and
    AccountSuspended for a suspended member.

    Every failure counts towards the back-off of the account (or of the name, if it is none), whatever the
    address; a success forgets them."""
    key = login.strip().lower()
    user = db.session.execute(
        select(User).where((User.username_key == key) | (User.email_key == key))
    ).scalar_one_or_none()
    throttle_key = throttle.key_for(user.id if user else None, key)
    wait = throttle.blocked_for(throttle_key)
    if wait is not None:
        raise LoginBlocked(wait)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        throttle.record_failure(throttle_key)
        return None
    if user is None:
        throttle.record_failure(throttle_key)
        return None
    if not user.is_active:
        throttle.record_failure(throttle_key)  # still counts: the answer must not make guessing cheaper
        raise AccountSuspended(user)
    throttle.forget_failures(throttle_key)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


# --- accounts ----------------------------------------------------------------------------------------

def check_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise DomainError(
            _l("3–20 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
            field="username",
        )
    key = username.lower()
    if key in RESERVED_USERNAMES or names.username_stem(username) in RESERVED_USERNAMES:
        raise DomainError(_l("That username is reserved."), field="username")
    near = names.near_usernames(username)
    if key in near:
        raise DomainError(_l("That username is taken."), field="username")
    if near:
        raise DomainError(
            _l("That username is too close to another member's (%(name)s). Please choose another.", name=near[0]),
            field="username",
        )


def create_user(
    *,
    username: str,
    email: str,
    display_name: str,
    password: str,
    role: Role = Role.MEMBER,
    organisation: str | None = None,
    bio: str | None = None,
    timezone: str | None = None,
) -> User:
    # NFKC first: a full-width "ａｉｎｏ" is the username "aino".
    username = unicodedata.normalize("NFKC", username).strip()
    display_name = names.clean_name(display_name)
    check_username(username)
    names.check_display_name(display_name)
    email_key = email.strip().lower()
    if db.session.execute(select(User.id).where(User.email_key == email_key)).first():
        raise DomainError(_l("A member with that email address already exists."), field="email")
    if timezone is not None and not is_valid_timezone(timezone):
        raise DomainError(_l("Unknown time zone."), field="timezone")
    check_password_rules(password)
    user = User(
        username=username,
        username_key=username.lower(),
        email=email.strip(),
        email_key=email_key,
        display_name=display_name,
        password_hash=hash_password(password),
        role=role,
        organisation=names.clean_name(organisation or "") or None,
        bio=(bio or "").strip() or None,
        timezone=timezone,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_preferences(
    user: User, *, display_name: str, organisation: str | None, bio: str | None, timezone: str | None
) -> None:
    display_name = names.clean_name(display_name)
    names.check_display_name(display_name, user.id)
    if timezone and not is_valid_timezone(timezone):
        raise DomainError(_l("Unknown time zone."), field="timezone")
    user.display_name = display_name
    user.organisation = names.clean_name(organisation or "") or None
    user.bio = (bio or "").strip() or None
    user.timezone = timezone or None


def change_password(user: User, current_password: str, new_password: str, keep_session_id: int | None = None) -> None:
    try:
        _hasher.verify(user.password_hash, current_password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise DomainError(_l("Your current password is not right."), field="current_password") from None
    set_password(user, new_password, keep_session_id)


def set_role(actor: User, user: User, role: Role) -> None:
    if not can(actor, "administer"):
        raise NotAllowed(_l("Only administrators change roles."))
    if user.id == actor.id and role != Role.ADMIN:
        raise DomainError(_l("You cannot remove your own administrator role."))
    user.role = role


def find_user(username: str) -> User | None:
    return db.session.execute(select(User).where(User.username_key == username.lower())).scalar_one_or_none()


# --- tokens --------------------------------------------------------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"fellowship.{purpose}")


# --- invitations ---------------------------------------------------------------------------------------

def check_may_invite(inviter: User, role: Role, groups) -> None:
    """Inviting is for staff; an invitation gives a role or groups only if its sender may give them to a
    member directly (roles: set_role; groups: admin.services.add_to_group)."""
    if not can(inviter, "invite"):
        raise NotAllowed(_l("Only facilitators and administrators invite people."))
    if role != Role.MEMBER and not can(inviter, "administer"):
        raise NotAllowed(_l("Only administrators invite facilitators or administrators."), field="role")
    if groups and not can(inviter, "administer"):
        raise NotAllowed(_l("Only administrators add people to groups."), field="groups")


def invite_member(
    inviter: User, email: str, *, role: Role = Role.MEMBER, groups: list[Group] = (), message: str | None = None
) -> tuple[Invite, str]:
    """Create an invitation, queue its email, and return it with its token."""
    check_may_invite(inviter, role, groups)
    email = email.strip()
    if db.session.execute(select(User.id).where(User.email_key == email.lower())).first():
        raise DomainError(_l("%(email)s is already a member.", email=email), field="email")
    days = current_app.config["FORUM_INVITE_MAX_AGE_DAYS"]
    invite = Invite(
        email=email,
        role=role,
        invited_by=inviter,
        message=(message or "").strip() or None,
        expires_at=utcnow() + timedelta(days=days),
        groups=list(groups),
    )
    db.session.add(invite)
    db.session.flush()
    events.member_invited.announce(db.session, invite_id=invite.id)
    return invite, invite_token(invite)


def invite_token(invite: Invite) -> str:
    """The secret in an invitation's link."""
    return _serializer("invite").dumps({"id": invite.id, "nonce": invite.nonce})


def invite_from_token(token: str) -> Invite:
    """The pending invitation a link names, or a DomainError saying why it cannot be used."""
    max_age = current_app.config["FORUM_INVITE_MAX_AGE_DAYS"] * 86400
    try:
        data = _serializer("invite").loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(_l("This invitation has expired. Ask a facilitator for a new one.")) from None
    except BadSignature:
        raise DomainError(_l("This invitation link is not valid.")) from None
    invite = db.session.get(Invite, data.get("id")) if isinstance(data, dict) else None
    if invite is None or invite.nonce != data.get("nonce") or invite.revoked_at is not None:
        raise DomainError(_l("This invitation link is not valid."))
    if invite.accepted_at is not None:
        raise DomainError(_l("This invitation has already been used. Please log in."))
    if invite.expires_at <= utcnow():
        raise DomainError(_l("This invitation has expired. Ask a facilitator for a new one."))
    try:
        # Checked again on use: the sender may have lost the right to give this role or these groups since.
        check_may_invite(invite.invited_by, invite.role, invite.groups)
    except NotAllowed:
        raise DomainError(_l("This invitation is no longer valid. Ask a facilitator for a new one.")) from None
    return invite


def accept_invite(
    token: str, *, username: str, display_name: str, password: str, timezone: str | None = None,
    organisation: str | None = None, bio: str | None = None,
) -> User:
    """Make the invitee's account. The invitation is claimed first, in one statement: of two forms sent at
    once, the second finds it used (on PostgreSQL it waits for the first to commit) and makes no account."""
    invite = invite_from_token(token)
    claimed = db.session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.accepted_at.is_(None)).values(accepted_at=utcnow())
    ).rowcount
    if not claimed:
        raise DomainError(_l("This invitation has already been used. Please log in."))
    user = create_user(
        username=username,
        email=invite.email,
        display_name=display_name,
        password=password,
        role=invite.role,
        organisation=organisation,
        bio=bio,
        timezone=timezone,
    )
    user.groups = list(invite.groups)
    invite.accepted_user_id = user.id
    db.session.flush()
    events.member_joined.announce(db.session, user_id=user.id)
    return user


def revoke_invite(actor: User, invite: Invite) -> None:
    if not can(actor, "invite"):
        raise NotAllowed(_l("Only facilitators and administrators manage invitations."))
    if invite.accepted_at is not None:
        raise DomainError(_l("That invitation has already been accepted."))
    invite.revoked_at = utcnow()


# --- password reset ------------------------------------------------------------------------------------

def request_password_reset(email: str) -> None:
    """Note a request for a reset link. The same work and answer whether or not a member has the address:
    the mail is built and sent later (send_reset_links, after the response). Beyond RESETS_PER_ADDRESS an
    hour for one address, requests are dropped silently."""
    key = email.strip().lower()
    address_hash = hashlib.sha256(key.encode()).hexdigest()
    user_id = db.session.execute(select(User.id).where(User.email_key == key)).scalar_one_or_none()
    recent = db.session.execute(
        select(func.count(PasswordResetRequest.id)).where(
            PasswordResetRequest.address_hash == address_hash, PasswordResetRequest.created_at > utcnow() - RESET_WINDOW
        )
    ).scalar_one()
    if recent >= RESETS_PER_ADDRESS:
        return
    db.session.add(PasswordResetRequest(address_hash=address_hash, user_id=user_id))
    db.session.flush()


def send_reset_links(limit: int = 50) -> int:
    """Queue the reset mail of requests not yet handled; returns how many. Runs after the response, or from
    the periodic jobs; each request is claimed, so that two workers never send one twice."""
    now = utcnow()
    db.session.execute(delete(PasswordResetRequest).where(PasswordResetRequest.created_at < now - timedelta(days=1)))
    pending = db.session.execute(
        select(PasswordResetRequest.id, PasswordResetRequest.user_id)
        .where(PasswordResetRequest.processed_at.is_(None)).order_by(PasswordResetRequest.id).limit(limit)
    ).all()
    sent = 0
    for request_id, user_id in pending:
        claimed = db.session.execute(
            update(PasswordResetRequest)
            .where(PasswordResetRequest.id == request_id, PasswordResetRequest.processed_at.is_(None))
            .values(processed_at=now)
        ).rowcount
        user = db.session.get(User, user_id) if claimed and user_id is not None else None
        if user is None or user.is_suspended:
            continue
        events.password_reset_requested.announce(db.session, user_id=user.id)
        sent += 1
    db.session.flush()
    return sent


def _address_hash(user: User) -> str:
    return hashlib.sha256(user.email_key.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """The secret in a reset link. It names the member's session token, which changes with the password, so
    the link works once; and their address, so a link sent before an email change stops working after it."""
    return _serializer("reset").dumps({"id": user.id, "session": user.session_token, "address": _address_hash(user)})


def user_from_reset_token(token: str) -> User:
    try:
        data = _serializer("reset").loads(token, max_age=current_app.config["FORUM_PASSWORD_RESET_MAX_AGE_SECONDS"])
    except SignatureExpired:
        raise DomainError(_l("This reset link has expired. Please ask for a new one.")) from None
    except BadSignature:
        raise DomainError(_l("This reset link is not valid.")) from None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if (
        user is None or user.is_suspended or user.session_token != data.get("session")
        or data.get("address") != _address_hash(user)
    ):
        raise DomainError(_l("This reset link has already been used or is no longer valid."))
    return user


def reset_password(token: str, password: str) -> User:
    user = user_from_reset_token(token)
    set_password(user, password)
    return user


def member_count() -> int:
    return db.session.execute(select(func.count(User.id))).scalar_one()
