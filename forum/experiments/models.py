"""An experiment's record, its lifecycle and its learning log. The experiment owns a category (where its
topics live, and whose visibility is the experiment's) and a team group (who edit it and watch it)."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import Group
from forum.board.models import Category, Topic
from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class Status(enum.StrEnum):
    PROPOSED = "proposed"
    DESIGNING = "designing"
    RUNNING = "running"
    REFLECTING = "reflecting"
    CONCLUDED = "concluded"
    PAUSED = "paused"


class Principle(enum.StrEnum):
    """The three principles of Human Learning Systems an experiment can test."""

    HUMAN = "human"
    LEARNING = "learning"
    SYSTEMS = "systems"


class Reach(enum.StrEnum):
    """Who reads the experiment's category: the whole group, or its team and the facilitators."""

    GROUP = "group"
    TEAM = "team"


class Experiment(db.Model):
    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), unique=True)
    team_group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="RESTRICT"), unique=True)
    organisations: Mapped[str] = mapped_column(Text)  # one per line
    country: Mapped[str | None] = mapped_column(String(80))
    problem: Mapped[str] = mapped_column(Text)  # the public-management problem
    principles: Mapped[str] = mapped_column(String(40))  # comma-separated Principle values
    learning_questions: Mapped[str] = mapped_column(Text)
    setting: Mapped[str | None] = mapped_column(Text)  # where and with whom
    signals: Mapped[str | None] = mapped_column(Text)  # how they will know what is changing
    starts_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(string_enum(Status, 12), default=Status.PROPOSED)
    reach: Mapped[Reach] = mapped_column(string_enum(Reach, 8), default=Reach.GROUP)
    learning_log_topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category: Mapped[Category] = relationship(lazy="raise")
    team: Mapped[Group] = relationship(lazy="raise")
    learning_log_topic: Mapped[Topic | None] = relationship(lazy="raise", foreign_keys=[learning_log_topic_id])

    @property
    def principle_list(self) -> list[Principle]:
        return [Principle(value) for value in self.principles.split(",") if value]


class StatusChange(db.Model):
    """One step of an experiment's lifecycle, with the note that explains it (its page shows a timeline)."""

    __tablename__ = "experiment_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiments.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[Status | None] = mapped_column(string_enum(Status, 12))
    to_status: Mapped[Status] = mapped_column(string_enum(Status, 12))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LearningLogEntry(db.Model):
    """A dated entry of the team's learning log; its text is a post in the experiment's "Learning log" topic,
    so that others can reply to it."""

    __tablename__ = "learning_log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiments.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    entry_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
