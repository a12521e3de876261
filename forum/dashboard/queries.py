"""What the facilitators' dashboard reads: a fixed handful of GROUP BY queries, whatever the number of
experiments, members, posts or workshops.

Weeks run Monday to Monday in UTC and months start on the 1st in UTC. Their boundaries are computed here and
turned into a CASE over the timestamp (a bucket number), which SQLite and PostgreSQL read alike; the counts are
grouped by that bucket in an outer query, so that no post is ever loaded."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import aliased

from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.core.models import utcnow
from forum.experiments.models import Experiment, LearningLogEntry, Status
from forum.extensions import db
from forum.policy import live_topics_filter, visible_category_ids, visible_posts_filter, visible_topics_filter
from forum.workshops.models import Answer, MarkKind, PostMark, Rsvp, Workshop

WEEKS = 12
COHORT_MONTHS = 24  # members who joined earlier than this make one "earlier" cohort
EARLIER = -1  # the bucket of members who joined before the first cohort month
LIST_LIMIT = 50  # open challenges and upcoming workshops listed at most
QUIET_STATUSES = (Status.CONCLUDED,)  # an experiment that has ended owes no learning-log entry


@dataclass(frozen=True)
class Series:
    """Posts and active members (who wrote at least one post) per week, oldest week first."""

    posts: tuple[int, ...]
    members: tuple[int, ...]

    @property
    def total_posts(self) -> int:
        return sum(self.posts)


@dataclass(frozen=True)
class Cohort:
    month: date | None  # None for the members who joined before the first month shown
    joined: int
    series: Series


@dataclass(frozen=True)
class OpenChallenge:
    mark: PostMark
    post: Post
    topic: Topic
    author: User
    experiment: Experiment | None
    workshop: Workshop | None


@dataclass(frozen=True)
class SilentExperiment:
    experiment: Experiment
    last_entry_at: datetime | None  # when its latest learning-log entry was written; None if it has none


@dataclass(frozen=True)
class UpcomingWorkshop:
    workshop: Workshop
    counts: dict[Answer, int]


def week_starts(now: datetime, weeks: int = WEEKS) -> list[datetime]:
    """The Mondays (00:00 UTC) that start the last `weeks` weeks, the current one last."""
    today = now.astimezone(UTC).date()
    monday = today - timedelta(days=today.weekday())
    return [datetime.combine(monday - timedelta(weeks=weeks - 1 - i), datetime.min.time(), UTC) for i in range(weeks)]


def month_starts(now: datetime, months: int = COHORT_MONTHS) -> list[datetime]:
    """The first days (00:00 UTC) of the last `months` months, the current one last."""
    year, month = now.astimezone(UTC).year, now.astimezone(UTC).month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=UTC))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _bucket(column, starts: list[datetime], else_: int):
    """The index of the last boundary at or before `column` (`else_` before the first): a portable CASE."""
    whens = [(column >= start, index) for index, start in reversed(list(enumerate(starts)))]
    return case(*whens, else_=else_)


def _counted_posts(user):
    """Posts that count as activity: shown, in a live topic of a category the viewer reads (no messages)."""
    return visible_topics_filter(user) & live_topics_filter() & visible_posts_filter()


def _weekly(key, user, starts: list[datetime], *joins) -> dict:
    """{key value: Series}, from one query grouped by (key, week) over the posts of the window."""
    query = select(key.label("key"), _bucket(Post.created_at, starts, 0).label("week"), Post.user_id)
    query = query.select_from(Post).join(Topic, Topic.id == Post.topic_id)
    for target, on in joins:
        query = query.join(target, on)
    rows = query.where(_counted_posts(user), Post.created_at >= starts[0]).subquery()
    counts = db.session.execute(
        select(rows.c.key, rows.c.week, func.count(), func.count(distinct(rows.c.user_id)))
        .group_by(rows.c.key, rows.c.week)
    ).all()
    posts: dict = {}
    members: dict = {}
    for key_value, week, n_posts, n_members in counts:
        posts.setdefault(key_value, [0] * len(starts))[week] = n_posts
        members.setdefault(key_value, [0] * len(starts))[week] = n_members
    return {k: Series(tuple(posts[k]), tuple(members[k])) for k in posts}


def _empty(weeks: int) -> Series:
    return Series((0,) * weeks, (0,) * weeks)


def experiment_activity(user, starts: list[datetime]) -> list[tuple[Experiment, Series]]:
    """Each experiment the viewer reads, by title, with the activity in its category week by week."""
    experiments = db.session.execute(
        select(Experiment).where(Experiment.category_id.in_(visible_category_ids(user))).order_by(Experiment.title)
    ).scalars().all()
    series = _weekly(Experiment.id, user, starts, (Experiment, Experiment.category_id == Topic.category_id))
    return [(experiment, series.get(experiment.id, _empty(len(starts)))) for experiment in experiments]


def cohort_activity(user, starts: list[datetime], months: list[datetime]) -> list[Cohort]:
    """Members grouped by the month they joined (the forum keeps no cohort of its own), the earliest first:
    how many joined, and how many posts they wrote and how many of them wrote, week by week."""
    author = aliased(User)
    cohort_of_author = _bucket(author.created_at, months, EARLIER)
    series = _weekly(cohort_of_author, user, starts, (author, author.id == Post.user_id))
    joined_rows = select(_bucket(User.created_at, months, EARLIER).label("cohort")).subquery()
    joined = dict(db.session.execute(
        select(joined_rows.c.cohort, func.count()).group_by(joined_rows.c.cohort)
    ).all())
    cohorts = []
    for index in sorted(set(joined) | set(series)):
        month = None if index == EARLIER else months[index].date()
        cohorts.append(Cohort(month, joined.get(index, 0), series.get(index, _empty(len(starts)))))
    return cohorts


def open_challenges(user, limit: int = LIST_LIMIT) -> list[OpenChallenge]:
    """Challenges not yet marked responded, oldest first, with their thread, author, experiment and workshop."""
    rows = db.session.execute(
        select(PostMark, Post, Topic, User, Experiment, Workshop)
        .join(Post, Post.id == PostMark.post_id).join(Topic, Topic.id == Post.topic_id)
        .join(User, User.id == Post.user_id)
        .outerjoin(Experiment, Experiment.id == PostMark.experiment_id)
        .outerjoin(Workshop, Workshop.topic_id == Topic.id)
        .where(PostMark.kind == MarkKind.CHALLENGE, PostMark.responded_at.is_(None), _counted_posts(user))
        .order_by(Post.created_at, Post.id).limit(limit)
    ).all()
    return [OpenChallenge(*row) for row in rows]


def silent_experiments(user, since: datetime) -> list[SilentExperiment]:
    """Experiments under way (not concluded) with no learning-log entry written since `since`, the longest
    silent first. One started after `since` is not yet late, entry or not."""
    latest = (
        select(LearningLogEntry.experiment_id, func.max(LearningLogEntry.created_at).label("last"))
        .join(Post, Post.id == LearningLogEntry.post_id).where(visible_posts_filter())
        .group_by(LearningLogEntry.experiment_id).subquery()
    )
    quiet_since = func.coalesce(latest.c.last, Experiment.created_at)
    rows = db.session.execute(
        select(Experiment, latest.c.last).outerjoin(latest, latest.c.experiment_id == Experiment.id)
        .where(
            Experiment.category_id.in_(visible_category_ids(user)), Experiment.status.not_in(QUIET_STATUSES),
            quiet_since < since,
        )
        .order_by(quiet_since, Experiment.title)
    ).all()
    return [SilentExperiment(experiment, last) for experiment, last in rows]


def upcoming_workshops(now: datetime, limit: int = LIST_LIMIT) -> list[UpcomingWorkshop]:
    """Workshops yet to start (not cancelled), soonest first, with how many answered going, maybe, not going."""
    answers = [Answer.GOING, Answer.MAYBE, Answer.NOT_GOING]
    counts = (
        select(Rsvp.workshop_id, *[func.sum(case((Rsvp.answer == a, 1), else_=0)).label(a.value) for a in answers])
        .group_by(Rsvp.workshop_id).subquery()
    )
    rows = db.session.execute(
        select(Workshop, *[func.coalesce(counts.c[a.value], 0) for a in answers])
        .outerjoin(counts, counts.c.workshop_id == Workshop.id)
        .where(Workshop.starts_at > now, Workshop.cancelled_at.is_(None))
        .order_by(Workshop.starts_at, Workshop.id).limit(limit)
    ).all()
    return [UpcomingWorkshop(row[0], {a: int(n) for a, n in zip(answers, row[1:], strict=True)}) for row in rows]


@dataclass(frozen=True)
class Dashboard:
    weeks: list[datetime]
    experiments: list[tuple[Experiment, Series]]
    cohorts: list[Cohort]
    cohort_months: list[datetime]
    challenges: list[OpenChallenge]
    silent: list[SilentExperiment]
    silent_weeks: int
    workshops: list[UpcomingWorkshop]


def dashboard(user, silent_weeks: int, now: datetime | None = None) -> Dashboard:
    """Everything the facilitation page shows, in a constant number of queries."""
    now = now or utcnow()
    weeks, months = week_starts(now), month_starts(now)
    return Dashboard(
        weeks=weeks, experiments=experiment_activity(user, weeks), cohorts=cohort_activity(user, weeks, months),
        cohort_months=months, challenges=open_challenges(user),
        silent=silent_experiments(user, now - timedelta(weeks=silent_weeks)), silent_weeks=silent_weeks,
        workshops=upcoming_workshops(now),
    )
