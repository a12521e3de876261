"""A workshop (a virtual session), who is coming, which experiment it should take up (nominations), and the
marks on posts in its peer-challenge thread (challenge, question, suggestion, reflection)."""

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db

CATEGORY_SLUG = "workshops"  # the category that holds the workshops' peer-challenge threads


class Kind(enum.StrEnum):
    LAUNCH = "launch"
    DESIGN = "design"  # experiment design workshop, 3 hours
    SHARING = "sharing"  # sharing & reflection workshop, 2-3 hours
    OTHER = "other"


class Answer(enum.StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"


class MarkKind(enum.StrEnum):
    CHALLENGE = "challenge"
    QUESTION = "question"
    SUGGESTION = "suggestion"
    REFLECTION = "reflection"


workshop_experiments = Table(
    "workshop_experiments",
    db.metadata,
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("experiment_id", Integer, ForeignKey("experiments.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Workshop(db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 10))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # the instant, in UTC
    timezone: Mapped[str] = mapped_column(String(64))  # the host's zone, shown beside the member's own
    duration_minutes: Mapped[int] = mapped_column()
    call_link: Mapped[str | None] = mapped_column(String(500))  # shown to members only
    agenda: Mapped[str | None] = mapped_column(Text)
    organisations: Mapped[str | None] = mapped_column(Text)  # featured organisations, one per line
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))  # peer challenges
    summary_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the 24-hour reminder went out


class Rsvp(db.Model):
    __tablename__ = "workshop_rsvps"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    answer: Mapped[Answer] = mapped_column(string_enum(Answer, 10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Nomination(db.Model):
    """A member's (or team's) request that their experiment idea be the subject of a design workshop."""

    __tablename__ = "workshop_nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    experiment_id: Mapped[int | None] = mapped_column(ForeignKey("experiments.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    pitch: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    selected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NominationSupport(db.Model):
    __tablename__ = "workshop_nomination_supports"

    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_nominations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostMark(db.Model):
    """A post in a peer-challenge thread marked by its type; a challenge is addressed to an experiment team,
    who mark it responded with a link to their answer."""

    __tablename__ = "post_marks"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[MarkKind] = mapped_column(string_enum(MarkKind, 12))
    experiment_id: Mapped[int | None] = mapped_column(ForeignKey("experiments.id", ondelete="SET NULL"), index=True)
    response_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CalendarFeed(db.Model):
    """A member's secret calendar feed: the URL carries a token made from this nonce (a new nonce revokes it)."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
