"""What the workshop pages, the calendar feed and the reminders read: a few queries per page, whatever the
number of workshops, RSVPs or nominations."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from forum.auth.models import User
from forum.board.models import Post
from forum.core.models import utcnow
from forum.experiments.models import Experiment
from forum.extensions import db
from forum.policy import policy_for, visible_posts_filter
from forum.workshops.models import (
    Answer,
    MarkKind,
    Nomination,
    NominationSupport,
    PostMark,
    Rsvp,
    Workshop,
    workshop_experiments,
)

# Workshops last at most 12 hours: one that began longer ago than this has ended.
LONGEST = timedelta(hours=12)
FEED_PAST_DAYS = 60


def split_workshops(now: datetime | None = None, past_limit: int = 50) -> tuple[list[Workshop], list[Workshop]]:
    """(upcoming or under way, soonest first; past, latest first)."""
    now = now or utcnow()
    recent = db.session.execute(
        select(Workshop).where(Workshop.starts_at > now - LONGEST).order_by(Workshop.starts_at)
    ).scalars().all()
    upcoming = [w for w in recent if w.starts_at + timedelta(minutes=w.duration_minutes) > now]
    past = [w for w in reversed(recent) if w not in upcoming]
    past += db.session.execute(
        select(Workshop).where(Workshop.starts_at <= now - LONGEST).order_by(Workshop.starts_at.desc())
        .limit(past_limit)
    ).scalars().all()
    return upcoming, past[:past_limit]


def upcoming_workshops(now: datetime, until: datetime) -> list[Workshop]:
    """Workshops starting between now and `until` that are not cancelled, soonest first (for digests)."""
    return db.session.execute(
        select(Workshop).where(Workshop.starts_at > now, Workshop.starts_at <= until, Workshop.cancelled_at.is_(None))
        .order_by(Workshop.starts_at)
    ).scalars().all()


def feed_workshops(now: datetime | None = None) -> list[Workshop]:
    """Upcoming workshops and those of the last two months, for a member's calendar feed."""
    now = now or utcnow()
    return db.session.execute(
        select(Workshop).where(Workshop.starts_at > now - timedelta(days=FEED_PAST_DAYS)).order_by(Workshop.starts_at)
    ).scalars().all()


def featured_experiments(workshop: Workshop, user) -> list[Experiment]:
    """The workshop's experiments that the viewer may read (a team-only experiment stays hidden)."""
    visible = policy_for(user).visible_category_ids
    rows = db.session.execute(
        select(Experiment).join(workshop_experiments, workshop_experiments.c.experiment_id == Experiment.id)
        .where(workshop_experiments.c.workshop_id == workshop.id).order_by(Experiment.title)
    ).scalars().all()
    return [experiment for experiment in rows if experiment.category_id in visible]


@dataclass
class NominationRow:
    nomination: Nomination
    proposer: User | None
    supporters: int
    supported_by_viewer: bool


@dataclass
class ChallengeRow:
    mark: PostMark
    post: Post
    experiment: Experiment | None


@dataclass
class WorkshopPage:
    workshop: Workshop
    experiments: list[Experiment]
    answer: Answer | None
    counts: dict[Answer, int]
    rsvps: list[tuple[User, Answer]]  # the facilitator's list; empty for members
    nominations: list[NominationRow]
    challenges: list[ChallengeRow] = field(default_factory=list)
    marks: dict[MarkKind, int] = field(default_factory=dict)

    @property
    def open_challenges(self) -> list[ChallengeRow]:
        return [row for row in self.challenges if row.mark.responded_at is None]

    @property
    def responded_challenges(self) -> list[ChallengeRow]:
        return [row for row in self.challenges if row.mark.responded_at is not None]


def workshop_page(workshop: Workshop, user) -> WorkshopPage:
    policy = policy_for(user)
    answers = db.session.execute(
        select(Rsvp.answer, func.count()).where(Rsvp.workshop_id == workshop.id).group_by(Rsvp.answer)
    ).all()
    mine = None
    rsvps = []
    if policy.is_member:
        mine = db.session.execute(
            select(Rsvp.answer).where(Rsvp.workshop_id == workshop.id, Rsvp.user_id == user.id)
        ).scalar_one_or_none()
    if policy.is_staff:
        rsvps = db.session.execute(
            select(User, Rsvp.answer).join(Rsvp, Rsvp.user_id == User.id).where(Rsvp.workshop_id == workshop.id)
            .order_by(Rsvp.answer, User.display_name)
        ).all()
    return WorkshopPage(
        workshop=workshop, experiments=featured_experiments(workshop, user), answer=mine,
        counts={Answer(answer): n for answer, n in answers}, rsvps=[tuple(row) for row in rsvps],
        nominations=_nominations(workshop, user), **_thread_marks(workshop, user),
    )


def _nominations(workshop: Workshop, user) -> list[NominationRow]:
    supporters = (
        select(NominationSupport.nomination_id, func.count().label("n")).group_by(NominationSupport.nomination_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Nomination, User, func.coalesce(supporters.c.n, 0))
        .outerjoin(User, User.id == Nomination.proposer_id)
        .outerjoin(supporters, supporters.c.nomination_id == Nomination.id)
        .where(Nomination.workshop_id == workshop.id).order_by(Nomination.created_at)
    ).all()
    mine = set()
    if user is not None and user.is_authenticated and rows:
        mine = set(db.session.execute(
            select(NominationSupport.nomination_id).where(
                NominationSupport.user_id == user.id,
                NominationSupport.nomination_id.in_([row[0].id for row in rows]),
            )
        ).scalars())
    return [NominationRow(n, proposer, count, n.id in mine) for n, proposer, count in rows]


def _thread_marks(workshop: Workshop, user) -> dict:
    """The thread's marked posts the viewer may read: the challenges (with their experiment) and a count by type."""
    if workshop.topic_id is None:
        return {}
    rows = db.session.execute(
        select(PostMark, Post, Experiment).join(Post, Post.id == PostMark.post_id)
        .outerjoin(Experiment, Experiment.id == PostMark.experiment_id)
        .where(Post.topic_id == workshop.topic_id, visible_posts_filter()).order_by(Post.post_number)
    ).all()
    marks: dict[MarkKind, int] = {}
    for mark, _post, _experiment in rows:
        marks[mark.kind] = marks.get(mark.kind, 0) + 1
    challenges = [ChallengeRow(m, p, e) for m, p, e in rows if m.kind == MarkKind.CHALLENGE]
    return {"challenges": challenges, "marks": marks}


def reminder_recipients(workshop_id: int) -> list[User]:
    """Active members who answered going or maybe."""
    return db.session.execute(
        select(User).join(Rsvp, Rsvp.user_id == User.id)
        .where(Rsvp.workshop_id == workshop_id, Rsvp.answer.in_([Answer.GOING, Answer.MAYBE]), User.is_suspended.is_(False))
        .order_by(User.id)
    ).scalars().all()


def workshops_featuring(experiment_id: int) -> list[Workshop]:
    """The workshops where an experiment featured, latest first (for the experiment's page)."""
    return db.session.execute(
        select(Workshop).join(workshop_experiments, workshop_experiments.c.workshop_id == Workshop.id)
        .where(workshop_experiments.c.experiment_id == experiment_id).order_by(Workshop.starts_at.desc())
    ).scalars().all()


def challenges_addressed_to(experiment_id: int) -> list[tuple[PostMark, Post, Workshop]]:
    """The challenges addressed to an experiment, open ones first, with their post and workshop."""
    return [tuple(row) for row in db.session.execute(
        select(PostMark, Post, Workshop).join(Post, Post.id == PostMark.post_id)
        .join(Workshop, Workshop.topic_id == Post.topic_id)
        .where(PostMark.experiment_id == experiment_id, PostMark.kind == MarkKind.CHALLENGE, visible_posts_filter())
        .order_by(PostMark.responded_at.is_not(None), Post.created_at.desc())
    ).all()]
