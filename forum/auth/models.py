"""Members, their roles and groups, and invitations."""

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class Role(enum.StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"
    ADMIN = "admin"


group_members = Table(
    "group_members",
    db.metadata,
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

invite_groups = Table(
    "invite_groups",
    db.metadata,
    Column("invite_id", Integer, ForeignKey("invites.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    # Lower-cased copies make uniqueness and look-ups case-insensitive on every database.
    username_key: Mapped[str] = mapped_column(String(40), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str | None] = mapped_column(String(120))
    bio: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        string_enum(Role, 20),
        default=Role.MEMBER,
    )
    # None: follow the browser's zone (sent as a cookie), else an IANA name such as "Europe/Helsinki".
    timezone: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(10))
    # Named by password reset links: rotated when the password changes or the member logs out everywhere,
    # so that a link sent before stops working. (Logins are UserSession rows, one per device.)
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    is_suspended: Mapped[bool] = mapped_column(default=False)
    # A suspension or a silence (read only) with its end (None: until lifted) and the reason the member sees.
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspend_reason: Mapped[str | None] = mapped_column(Text)
    silenced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    silenced_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    silence_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The member's picture, named by its content ("<sha256>.png", see users.avatars); None: their initials.
    # A column, so that every list of posts or members has it with the author, at no extra query.
    avatar: Mapped[str | None] = mapped_column(String(80))
    # When the member put the newcomer's welcome away (see users.first_steps).
    welcome_dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    groups: Mapped[list["Group"]] = relationship(
        secondary=group_members, back_populates="members", order_by="Group.name"
    )

    def get_id(self) -> str:
        """The member's id, e.g. for per-member rate limits. The login cookie does not hold it: it names the
        device's UserSession (see auth.sessions), so that one device can be logged out on its own."""
        return str(self.id)

    @property
    def is_active(self) -> bool:
        """Not suspended (a suspension with an end lifts itself then)."""
        return not (self.is_suspended and (self.suspended_until is None or self.suspended_until > utcnow()))

    @property
    def is_silenced(self) -> bool:
        """Read only: may read and log in, not post or message (a silence with an end lifts itself then)."""
        return self.silenced_at is not None and (self.silenced_until is None or self.silenced_until > utcnow())

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.FACILITATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserSession(db.Model):
    """One logged-in device. The login cookie carries this row's id and a random token; only the token's
    SHA-256 is stored, so the table cannot be replayed as cookies. Deleting the row logs the device out."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Updated at most every few minutes (see auth.sessions.TOUCH_INTERVAL), not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    # The address it was last used from (kept with last_seen_at); administrators see it, nobody else.
    ip_address: Mapped[str | None] = mapped_column(String(45))


class LoginFailure(db.Model):
    """Recent failed logins for one account, or for one name that is no account (see auth.throttle)."""

    __tablename__ = "login_failures"

    # "user:<id>", or "name:<sha256 of the name>" so that passwords typed into the name field are not kept.
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordResetRequest(db.Model):
    """A request for a reset link, noted in the request whether or not a member has the address; the link
    is built and sent after the response (auth.services.send_reset_links). Also counts requests per address."""

    __tablename__ = "password_reset_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the normalised address: strangers' addresses are not kept.
    address_hash: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MentionPolicy(enum.StrEnum):
    """Who may @mention a group (and so notify all its members)."""

    NOBODY = "nobody"
    STAFF = "staff"
    GROUP_MEMBERS = "group_members"
    ALL_MEMBERS = "all_members"


class Group(db.Model):
    """A named set of members, e.g. an experiment team or the facilitators."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    mention_policy: Mapped[MentionPolicy] = mapped_column(
        string_enum(MentionPolicy, 20),
        default=MentionPolicy.GROUP_MEMBERS,
        server_default=MentionPolicy.GROUP_MEMBERS.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(
        secondary=group_members, back_populates="groups", order_by="User.display_name"
    )


class Invite(db.Model):
    """An invitation by email; the link carries a signed token naming this row."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(
        string_enum(Role, 20),
        default=Role.MEMBER,
    )
    message: Mapped[str | None] = mapped_column(Text)
    nonce: Mapped[str] = mapped_column(String(32), default=new_session_token)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])
    groups: Mapped[list[Group]] = relationship(secondary=invite_groups, order_by="Group.name")

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()
