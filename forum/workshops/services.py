"""Rules for workshops: scheduling (with the host's zone), RSVPs, nominations, the peer-challenge thread's marks
and the facilitator's pinned summary. Services flush, never commit: the caller owns the transaction."""

import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from forum.auth.models import User
from forum.board import gate
from forum.board import services as board
from forum.board.models import Category, Post, Topic
from forum.core.errors import DomainError, NotAllowed
from forum.core.i18n import TYPED_YEARS, is_valid_timezone
from forum.core.models import utcnow
from forum.core.text import slugify, visible_text
from forum.experiments import services as experiments
from forum.experiments.models import Experiment, Principle
from forum.extensions import db
from forum.policy import can
from forum.workshops.models import (
    CATEGORY_SLUG,
    Answer,
    CalendarFeed,
    Kind,
    MarkKind,
    Nomination,
    NominationSupport,
    PostMark,
    Rsvp,
    Workshop,
    workshop_experiments,
)

MIN_DURATION, MAX_DURATION = 15, 12 * 60


# --- time ---------------------------------------------------------------------------------------------

def host_time_to_utc(local: datetime, timezone: str) -> datetime:
    """The instant of a wall-clock time in the host's zone. A time the clocks skip (spring forward) is refused;
    a time they pass twice (fall back) is taken at its first occurrence, as calendars do."""
    if not is_valid_timezone(timezone):
        raise DomainError(_l("Choose a time zone from the list."), field="timezone")
    if local.year not in TYPED_YEARS:
        raise DomainError(_l("Give a date between 1900 and 2999."), field="local_start")
    zone = ZoneInfo(timezone)
    aware = local.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(fold=0):
        raise DomainError(
            _l("%(time)s does not exist in %(zone)s: the clocks change then. Choose another time.",
               time=local.strftime("%Y-%m-%d %H:%M"), zone=timezone),
            field="local_start",
        )
    return instant


def ends_at(workshop: Workshop) -> datetime:
    return workshop.starts_at + timedelta(minutes=workshop.duration_minutes)


def is_upcoming(workshop: Workshop, now: datetime | None = None) -> bool:
    return workshop.cancelled_at is None and workshop.starts_at > (now or utcnow())


# --- scheduling ---------------------------------------------------------------------------------------

def workshops_category(actor: User) -> Category:
    """The Workshops category, where every workshop's peer-challenge thread lives (created if missing, for the
    first workshop a facilitator schedules)."""
    category = db.session.execute(select(Category).where(Category.slug == CATEGORY_SLUG)).scalar_one_or_none()
    if category is not None:
        return category
    # The caller has checked that the actor schedules workshops: facilitators, who are not administrators.
    return board.write_category(
        None, name=str(_l("Workshops")), slug=CATEGORY_SLUG,
        description=str(_l("Virtual workshops and their peer-challenge threads.")),
    )


def _unique_slug(title: str, starts_at: datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m-%d}", max_length=100) or "workshop"
    slug, n = base, 1
    while db.session.execute(select(Workshop.id).where(Workshop.slug == slug)).first() is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_fields(title: str, kind, duration_minutes: int, call_link: str | None) -> tuple[str, Kind, str | None]:
    title = visible_text(title or "")
    if not 3 <= len(title) <= 200:
        raise DomainError(_l("Give the workshop a title of 3 to 200 characters."), field="title")
    try:
        kind = Kind(kind)
    except ValueError:
        raise DomainError(_l("Choose the type of workshop."), field="kind") from None
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise DomainError(
            _l("A workshop lasts %(low)d to %(high)d minutes.", low=MIN_DURATION, high=MAX_DURATION),
            field="duration_minutes",
        )
    call_link = (call_link or "").strip() or None
    if call_link and not call_link.startswith("https://"):
        raise DomainError(_l("The call link must start with https://."), field="call_link")
    return title, kind, call_link


def _set_experiments(workshop: Workshop, experiment_ids) -> None:
    ids = sorted({int(i) for i in experiment_ids or ()})
    found = set(db.session.execute(select(Experiment.id).where(Experiment.id.in_(ids))).scalars()) if ids else set()
    if found != set(ids):
        raise DomainError(_l("One of the featured experiments no longer exists."), field="experiment_ids")
    db.session.execute(delete(workshop_experiments).where(workshop_experiments.c.workshop_id == workshop.id))
    if ids:
        db.session.execute(workshop_experiments.insert(), [{"workshop_id": workshop.id, "experiment_id": i} for i in ids])


def _intro(title: str, agenda: str | None) -> str:
    intro = str(_l(
        "This is the peer-challenge thread of the workshop **%(title)s**. Post your challenges, questions, "
        "suggestions and reflections here; a challenge can be addressed to an experiment team.", title=title,
    ))
    return f"{intro}\n\n{agenda.strip()}" if agenda and agenda.strip() else intro


def schedule_workshop(
    actor: User, *, title: str, kind, local_start: datetime, timezone: str, duration_minutes: int,
    call_link: str | None = None, agenda: str | None = None, organisations: str | None = None,
    experiment_ids=(), thread: Topic | None = None,
) -> Workshop:
    """Schedule a workshop (facilitators) and open its peer-challenge topic in the Workshops category, or
    adopt `thread`, a topic already there (a workshop recorded after its discussion began)."""
    if not can(actor, "schedule_workshop"):
        raise NotAllowed(_l("Only facilitators schedule workshops."))
    title, kind, call_link = _check_fields(title, kind, duration_minutes, call_link)
    starts_at = host_time_to_utc(local_start, timezone)
    category = workshops_category(actor)
    topic = thread if thread is not None else board.create_topic(actor, category, title, _intro(title, agenda))
    if isinstance(topic, gate.Held):
        raise DomainError(topic.message)
    if topic.category_id != category.id or workshop_for_topic(topic.id) is not None:
        raise DomainError(_l("A workshop's thread is a topic of the Workshops category that no other workshop has."))
    workshop = Workshop(
        slug=_unique_slug(title, starts_at), title=title, kind=kind, starts_at=starts_at, timezone=timezone,
        duration_minutes=duration_minutes, call_link=call_link, agenda=(agenda or "").strip() or None,
        organisations=(organisations or "").strip() or None, topic_id=topic.id, created_by_id=actor.id,
    )
    db.session.add(workshop)
    db.session.flush()
    _set_experiments(workshop, experiment_ids)
    return workshop


def edit_workshop(
    actor: User, workshop: Workshop, *, title: str, kind, local_start: datetime, timezone: str,
    duration_minutes: int, call_link: str | None = None, agenda: str | None = None,
    organisations: str | None = None, experiment_ids=(),
) -> Workshop:
    """Change a workshop; moving it to a new time sends its 24-hour reminder again."""
    if not can(actor, "schedule_workshop"):
        raise NotAllowed(_l("Only facilitators change workshops."))
    title, kind, call_link = _check_fields(title, kind, duration_minutes, call_link)
    starts_at = host_time_to_utc(local_start, timezone)
    if starts_at != workshop.starts_at:
        workshop.reminded_at = None
    workshop.title, workshop.kind, workshop.starts_at, workshop.timezone = title, kind, starts_at, timezone
    workshop.duration_minutes, workshop.call_link = duration_minutes, call_link
    workshop.agenda = (agenda or "").strip() or None
    workshop.organisations = (organisations or "").strip() or None
    db.session.flush()
    _set_experiments(workshop, experiment_ids)
    return workshop


def cancel_workshop(actor: User, workshop: Workshop) -> None:
    if not can(actor, "schedule_workshop"):
        raise NotAllowed(_l("Only facilitators cancel workshops."))
    if workshop.cancelled_at is None:
        workshop.cancelled_at = utcnow()
        db.session.flush()


# --- RSVPs and nominations ----------------------------------------------------------------------------

def rsvp(member: User, workshop: Workshop, answer) -> Rsvp:
    """Going, maybe or not going; answering again replaces the earlier answer."""
    if not can(member, "rsvp", workshop):
        raise NotAllowed(_l("You cannot answer for this workshop."))
    try:
        answer = Answer(answer)
    except ValueError:
        raise DomainError(_l("Choose going, maybe or not going."), field="answer") from None
    row = db.session.get(Rsvp, (workshop.id, member.id))
    if row is None:
        row = Rsvp(workshop_id=workshop.id, user_id=member.id)
        db.session.add(row)
    row.answer, row.updated_at = answer, utcnow()
    db.session.flush()
    return row


def nominate(member: User, workshop: Workshop, title: str, pitch: str, experiment: Experiment | None = None):
    """Ask for an idea (or an experiment) to be the subject of an upcoming design workshop."""
    if not can(member, "nominate", workshop):
        raise NotAllowed(_l("You cannot nominate for this workshop."))
    if workshop.kind != Kind.DESIGN or not is_upcoming(workshop):
        raise DomainError(_l("Nominations are for upcoming experiment design workshops."))
    title, pitch = visible_text(title or ""), (pitch or "").strip()
    if not 3 <= len(title) <= 200:
        raise DomainError(_l("Give the idea a title of 3 to 200 characters."), field="title")
    if not pitch or len(pitch) > 2000:
        raise DomainError(_l("Write a short pitch (up to 2,000 characters)."), field="pitch")
    nomination = Nomination(
        workshop_id=workshop.id, proposer_id=member.id, title=title, pitch=pitch,
        experiment_id=experiment.id if experiment is not None else None,
    )
    db.session.add(nomination)
    db.session.flush()
    return nomination


def support(member: User, nomination: Nomination) -> bool:
    """Support a nomination, or withdraw the support; True when the member now supports it."""
    workshop = db.session.get(Workshop, nomination.workshop_id)
    if not can(member, "nominate", workshop) or not is_upcoming(workshop):
        raise NotAllowed(_l("You cannot support nominations for this workshop."))
    row = db.session.get(NominationSupport, (nomination.id, member.id))
    if row is not None:
        db.session.delete(row)
        db.session.flush()
        return False
    db.session.add(NominationSupport(nomination_id=nomination.id, user_id=member.id))
    db.session.flush()
    return True


def select_nomination(actor: User, nomination: Nomination) -> Experiment:
    """Make a nomination the workshop's subject (facilitators) and feature its experiment in the workshop. An
    idea without an experiment becomes a proposed one first, on the nominator's behalf (its team is the
    nominator, who fills in the record in the workshop), so the workshop always links the subject."""
    if not can(actor, "select_nomination", nomination):
        raise NotAllowed(_l("Only facilitators select nominations."))
    nomination.selected_at = nomination.selected_at or utcnow()
    experiment = db.session.get(Experiment, nomination.experiment_id) if nomination.experiment_id else None
    if experiment is None:
        experiment = _propose_from(nomination, actor)
        nomination.experiment_id = experiment.id
    link = {"workshop_id": nomination.workshop_id, "experiment_id": experiment.id}
    exists = db.session.execute(
        select(workshop_experiments.c.workshop_id).filter_by(**link)
    ).first()
    if exists is None:
        db.session.execute(workshop_experiments.insert(), [link])
    db.session.flush()
    return experiment


def _propose_from(nomination: Nomination, actor: User) -> Experiment:
    """A proposed experiment made from a nominated idea: its title, its pitch as the problem, all three
    principles until the team chooses, and the nominator's organisation (the facilitator's if the nominator has
    gone)."""
    proposer = db.session.get(User, nomination.proposer_id) if nomination.proposer_id else None
    if proposer is None or not can(proposer, "propose_experiment"):
        proposer = actor
    return experiments.propose_experiment(
        proposer, title=nomination.title, organisations=[proposer.organisation or str(_l("To be named"))],
        country=None, problem=nomination.pitch, principles=list(Principle),
        learning_questions=str(_l("To be worked out in the design workshop.")), setting=None, signals=None,
        starts_on=None,
    )


# --- the peer-challenge thread ------------------------------------------------------------------------

def workshop_for_topic(topic_id: int) -> Workshop | None:
    return db.session.execute(select(Workshop).where(Workshop.topic_id == topic_id)).scalar_one_or_none()


def mark_post(actor: User, post: Post, kind, experiment: Experiment | None = None) -> PostMark:
    """Type a post of a workshop's thread as a challenge, question, suggestion or reflection; a challenge is
    addressed to an experiment. Marking again changes the type (and clears a response if the address moves)."""
    if workshop_for_topic(post.topic_id) is None:
        raise DomainError(_l("Only posts in a workshop's peer-challenge thread can be marked."))
    if not can(actor, "mark_post", post):
        raise NotAllowed(_l("Only the post's author or a facilitator can mark it."))
    try:
        kind = MarkKind(kind)
    except ValueError:
        raise DomainError(_l("Choose challenge, question, suggestion or reflection."), field="kind") from None
    if kind == MarkKind.CHALLENGE and experiment is None:
        raise DomainError(_l("Address the challenge to an experiment."), field="experiment_id")
    experiment_id = experiment.id if experiment is not None and kind == MarkKind.CHALLENGE else None
    mark = db.session.get(PostMark, post.id)
    if mark is None:
        mark = PostMark(post_id=post.id)
        db.session.add(mark)
    if mark.experiment_id != experiment_id or kind != MarkKind.CHALLENGE:
        mark.response_post_id = mark.responded_at = mark.responded_by_id = None
    mark.kind, mark.experiment_id = kind, experiment_id
    db.session.flush()
    return mark


def mark_responded(actor: User, mark: PostMark, response_post: Post) -> PostMark:
    """The addressed team (or a facilitator) says the challenge is answered, pointing at the answer."""
    if mark.kind != MarkKind.CHALLENGE:
        raise DomainError(_l("Only challenges are answered."))
    experiment = db.session.get(Experiment, mark.experiment_id) if mark.experiment_id else None
    if not can(actor, "mark_responded", experiment):
        raise NotAllowed(_l("Only the experiment's team or a facilitator can mark this challenge responded."))
    challenge = db.session.get(Post, mark.post_id)
    if response_post.topic_id != challenge.topic_id or response_post.deleted_at is not None:
        raise DomainError(_l("The answer must be a post in the same thread."), field="response_post")
    mark.response_post_id, mark.responded_at, mark.responded_by_id = response_post.id, utcnow(), actor.id
    db.session.flush()
    return mark


def set_pinned(topic: Topic, pinned: bool) -> None:
    topic.is_pinned = pinned
    db.session.flush()


def post_summary(actor: User, workshop: Workshop, raw: str) -> Post:
    """The facilitator's summary after the workshop: a post in its thread, and the thread pinned."""
    if not can(actor, "schedule_workshop"):
        raise NotAllowed(_l("Only facilitators post a workshop's summary."))
    topic = db.session.get(Topic, workshop.topic_id) if workshop.topic_id else None
    if topic is None:
        raise DomainError(_l("This workshop has no peer-challenge thread."))
    post = board.create_post(actor, topic, raw)
    if isinstance(post, gate.Held):
        raise DomainError(post.message)
    workshop.summary_post_id = post.id
    set_pinned(topic, True)
    return post


# --- the member's calendar feed -----------------------------------------------------------------------

def calendar_feed(member: User, *, reset: bool = False) -> CalendarFeed:
    """The member's feed (made on first use); `reset` gives it a new secret, and the old URL stops working."""
    feed = db.session.get(CalendarFeed, member.id)
    if feed is None:
        feed = CalendarFeed(user_id=member.id, nonce=secrets.token_hex(16))
        db.session.add(feed)
    elif reset:
        feed.nonce, feed.created_at = secrets.token_hex(16), utcnow()
    db.session.flush()
    return feed
