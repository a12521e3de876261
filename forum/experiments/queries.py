"""What the experiments' pages read: each a single query, eager-loading what the page shows."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from forum.auth.models import User, group_members
from forum.board.models import Category, Post, Topic
from forum.experiments.models import Experiment, LearningLogEntry, Principle, Status, StatusChange
from forum.extensions import db
from forum.policy import (
    listed_topics_filter,
    visible_category_ids,
    visible_posts_filter,
    visible_topics_filter,
)


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    organisation: str | None = None
    country: str | None = None
    principle: Principle | None = None


def experiment_by_slug(slug: str) -> Experiment | None:
    return db.session.execute(
        select(Experiment).where(Experiment.slug == slug)
        .options(joinedload(Experiment.category), joinedload(Experiment.learning_log_topic))
    ).scalar_one_or_none()


def visible_experiments(user, filters: Filters = Filters()) -> list[Experiment]:
    """The experiments whose category `user` may read, narrowed by `filters`, by title."""
    query = select(Experiment).where(Experiment.category_id.in_(visible_category_ids(user)))
    if filters.status:
        query = query.where(Experiment.status == filters.status)
    if filters.country:
        query = query.where(func.lower(Experiment.country) == filters.country.lower())
    if filters.organisation:
        # Organisations are kept one per line: match a whole line, not a part of a name.
        lines = "\n" + func.lower(Experiment.organisations) + "\n"
        query = query.where(lines.contains("\n" + filters.organisation.lower() + "\n", autoescape=True))
    if filters.principle:
        query = query.where(("," + Experiment.principles + ",").contains("," + filters.principle.value + ","))
    return list(db.session.execute(query.options(joinedload(Experiment.category)).order_by(Experiment.title)).scalars())


def filter_choices(user) -> tuple[list[str], list[str]]:
    """The organisations and countries of the experiments `user` may read (for the index's filters)."""
    rows = db.session.execute(
        select(Experiment.organisations, Experiment.country).where(Experiment.category_id.in_(visible_category_ids(user)))
    ).all()
    organisations = sorted({line for text, _country in rows for line in text.splitlines() if line}, key=str.lower)
    countries = sorted({country for _text, country in rows if country}, key=str.lower)
    return organisations, countries


def timeline(experiment: Experiment) -> list[tuple[StatusChange, User | None]]:
    """The lifecycle's steps, oldest first, with who took each."""
    actor = aliased(User)
    return [
        (change, user)
        for change, user in db.session.execute(
            select(StatusChange, actor).outerjoin(actor, actor.id == StatusChange.actor_id)
            .where(StatusChange.experiment_id == experiment.id).order_by(StatusChange.created_at, StatusChange.id)
        ).all()
    ]


def learning_log(experiment: Experiment) -> list[tuple[LearningLogEntry, Post]]:
    """The learning log's entries whose post is still shown, newest first, with the post and its author."""
    return [
        (entry, post)
        for entry, post in db.session.execute(
            select(LearningLogEntry, Post).join(Post, Post.id == LearningLogEntry.post_id)
            .where(LearningLogEntry.experiment_id == experiment.id, visible_posts_filter())
            .options(joinedload(Post.author))
            .order_by(LearningLogEntry.entry_date.desc(), LearningLogEntry.id.desc())
        ).all()
    ]


def learning_log_topic(experiment: Experiment) -> Topic | None:
    """The log's topic, loaded with the experiment (experiment_by_slug)."""
    return experiment.learning_log_topic if experiment.learning_log_topic_id else None


def team_members(experiment: Experiment) -> list[User]:
    return list(
        db.session.execute(
            select(User).join(group_members, group_members.c.user_id == User.id)
            .where(group_members.c.group_id == experiment.team_group_id).order_by(User.display_name)
        ).scalars()
    )


def latest_topics(user, experiment: Experiment, limit: int = 5) -> list[Topic]:
    return list(
        db.session.execute(
            select(Topic)
            .where(visible_topics_filter(user), listed_topics_filter(), Topic.category_id == experiment.category_id)
            .order_by(Topic.bumped_at.desc(), Topic.id.desc()).limit(limit)
        ).scalars()
    )


def members_by_username(names: list[str]) -> tuple[list[int], list[str]]:
    """The ids of the members with these usernames, and the names that match nobody."""
    keys = {name.strip().lstrip("@").lower(): name.strip() for name in names if name.strip()}
    if not keys:
        return [], []
    found = dict(
        db.session.execute(
            select(User.username_key, User.id).where(User.username_key.in_(keys))
        ).all()
    )
    return list(found.values()), [name for key, name in keys.items() if key not in found]


def plain_categories() -> list[Category]:
    """Categories that are not an experiment's (a facilitator may turn one into an experiment)."""
    return list(
        db.session.execute(
            select(Category).where(Category.id.not_in(select(Experiment.category_id))).order_by(Category.name)
        ).scalars()
    )
