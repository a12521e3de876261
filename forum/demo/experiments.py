"""Load the demo's experiments, workshops, nominations, peer-challenge marks and current notice
(content_experiments.py) through the experiments' and workshops' services, then move their times back like the
rest of the demo. Run by loader.load_demo_community after the topics exist."""

from datetime import datetime, timedelta
from inspect import cleandoc
from zoneinfo import ZoneInfo

from sqlalchemy import select

from forum.auth.models import Group, User
from forum.board import services as board
from forum.board.models import Category, Post, Topic
from forum.demo.content import GROUPS
from forum.demo.content_experiments import (
    CALL_LINK,
    CHALLENGE_OPENINGS,
    EXPERIMENTS,
    NOMINATIONS,
    NOTICE_TEXT,
    NOTICE_TITLE,
    RSVPS,
    WORKSHOPS,
    ExperimentSpec,
    WorkshopSpec,
)
from forum.experiments import services as experiments
from forum.experiments.models import Experiment, LearningLogEntry, Principle, StatusChange
from forum.extensions import db
from forum.workshops import services as workshops
from forum.workshops.models import MarkKind, Workshop


def load_experiments_and_workshops(
    users: dict[str, User], categories: dict[str, Category], topics: dict[str, Topic], now: datetime
) -> None:
    facilitator = users["marcus"]
    by_category = {spec.category: _experiment(spec, facilitator, users, categories, now) for spec in EXPERIMENTS}
    scheduled = {spec.title: _workshop(spec, facilitator, by_category, topics, now) for spec in WORKSHOPS}
    launch, deep_dive = scheduled["Launch"], scheduled["Sharing & reflection deep dive"]
    _mark_challenges(facilitator, users, launch, by_category)
    _summaries(facilitator, launch, deep_dive)
    upcoming_design = scheduled["Experiment design workshop 3: cycle 3 plans"]
    _nominations(users, upcoming_design, by_category)
    for title, answers in RSVPS.items():
        for answer, usernames in answers.items():
            for username in usernames:
                workshops.rsvp(users[username], scheduled[title], answer)
    _notice(users["ruth"], categories["noticeboard"], upcoming_design, now)
    db.session.flush()


def _team(spec: ExperimentSpec, users: dict[str, User]) -> list[User]:
    group = next(group for group in GROUPS if group.name == spec.team)
    return [users[username] for username in group.members]


def _group(name: str) -> Group:
    return db.session.execute(select(Group).where(Group.name == name)).scalar_one()


def _experiment(spec: ExperimentSpec, facilitator: User, users, categories, now: datetime) -> Experiment:
    started = now - timedelta(days=spec.started_days_ago)
    experiment = experiments.experiment_from_category(
        facilitator, categories[spec.category], title=spec.title, organisations=list(spec.organisations),
        country=spec.country, problem=spec.problem, principles=[Principle(p) for p in spec.principles],
        learning_questions=spec.learning_questions, setting=spec.setting, signals=spec.signals,
        starts_on=started.date(), team=_group(spec.team),
    )
    experiment.created_at = experiment.updated_at = started
    for change in db.session.execute(select(StatusChange).where(StatusChange.experiment_id == experiment.id)).scalars():
        change.created_at = started
    for step in spec.steps:
        change = experiments.change_status(facilitator, experiment, step.status, step.note)
        change.created_at = experiment.updated_at = now - timedelta(days=step.days_ago)
    for entry in spec.log:
        written = experiments.add_learning_log_entry(
            users[entry.author], experiment, (now - timedelta(days=entry.days_ago)).date(),
            entry.did, entry.learned, entry.will_change,
        )
        written.created_at = now - timedelta(days=entry.days_ago)
    _backdate_log(experiment, started)
    return experiment


def _backdate_log(experiment: Experiment, started: datetime) -> None:
    """The learning log topic opens when the experiment did; each entry's post is dated with the entry."""
    topic = db.session.get(Topic, experiment.learning_log_topic_id)
    dated = dict(db.session.execute(
        select(LearningLogEntry.post_id, LearningLogEntry.created_at)
        .where(LearningLogEntry.experiment_id == experiment.id)
    ).all())
    posts = db.session.execute(select(Post).where(Post.topic_id == topic.id).order_by(Post.post_number)).scalars()
    for post in posts:
        post.created_at = dated.get(post.id, started)
        topic.bumped_at = topic.last_post_at = post.created_at
    topic.created_at = started


def _workshop(spec: WorkshopSpec, facilitator: User, by_category, topics: dict[str, Topic], now: datetime) -> Workshop:
    zone = ZoneInfo(spec.timezone)
    day = (now + timedelta(days=spec.days_from_now)).astimezone(zone)
    thread = topics[spec.thread] if spec.thread else None
    workshop = workshops.schedule_workshop(
        facilitator, title=spec.title, kind=spec.kind, timezone=spec.timezone, duration_minutes=spec.duration_minutes,
        local_start=day.replace(tzinfo=None, hour=spec.hour, minute=0, second=0, microsecond=0),
        call_link=CALL_LINK, agenda=spec.agenda, experiment_ids=[by_category[slug].id for slug in spec.experiments],
        thread=thread,
    )
    workshop.created_at = now - timedelta(days=max(3, 10 - spec.days_from_now))
    if thread is None:  # a new thread: opened when the workshop was scheduled
        topic = db.session.get(Topic, workshop.topic_id)
        topic.created_at = topic.bumped_at = topic.last_post_at = workshop.created_at
        for post in db.session.execute(select(Post).where(Post.topic_id == topic.id)).scalars():
            post.created_at = workshop.created_at
    return workshop


def _mark_challenges(facilitator: User, users, launch: Workshop, by_category) -> None:
    """The launch thread's "**To <team>:**" posts become challenges to that experiment; one the team answered
    (a reply from one of its members) is marked responded with that reply; the last one stays open."""
    posts = db.session.execute(
        select(Post).where(Post.topic_id == launch.topic_id).order_by(Post.post_number)
    ).scalars().all()
    teams = {slug: {m.id for m in _team(spec, users)} for spec in EXPERIMENTS for slug in [spec.category]}
    challenges = []
    for post in posts:
        slug = next((slug for opening, slug in CHALLENGE_OPENINGS.items() if post.raw.startswith(opening)), None)
        if slug is not None:
            challenges.append((workshops.mark_post(facilitator, post, MarkKind.CHALLENGE, by_category[slug]), post, slug))
        elif post.raw.startswith("**To everyone:**"):
            workshops.mark_post(facilitator, post, MarkKind.QUESTION)
    for mark, post, slug in challenges[:-1]:
        answer = next((reply for reply in posts if reply.reply_to_post_number == post.post_number
                       and reply.user_id in teams[slug]), None)
        if answer is not None:
            workshops.mark_responded(db.session.get(User, answer.user_id), mark, answer)


def _summaries(facilitator: User, launch: Workshop, deep_dive: Workshop) -> None:
    """The facilitators' summaries already written in the threads: the launch's last post by Ruth, the deep
    dive's opening post. The deep dive's thread is pinned, as posting a summary does."""
    last = db.session.execute(
        select(Post).join(User, User.id == Post.user_id)
        .where(Post.topic_id == launch.topic_id, User.username == "ruth").order_by(Post.post_number.desc()).limit(1)
    ).scalar_one()
    launch.summary_post_id = last.id
    deep_dive.summary_post_id = db.session.execute(
        select(Post.id).where(Post.topic_id == deep_dive.topic_id, Post.post_number == 1)
    ).scalar_one()
    workshops.set_pinned(db.session.get(Topic, deep_dive.topic_id), True)


def _nominations(users, workshop: Workshop, by_category) -> None:
    for spec in NOMINATIONS:
        experiment = by_category[spec.experiment] if spec.experiment else None
        nomination = workshops.nominate(users[spec.author], workshop, spec.title, spec.pitch, experiment)
        for username in spec.supporters:
            workshops.support(users[username], nomination)


def _notice(author: User, noticeboard: Category, workshop: Workshop, now: datetime) -> None:
    """The current notice, pinned: every member sees it as a banner until they have read it."""
    text = "\n\n".join(" ".join(paragraph.split()) for paragraph in cleandoc(NOTICE_TEXT).split("\n\n"))
    topic = board.create_topic(author, noticeboard, NOTICE_TITLE, f"{text}\n\n[{workshop.title}](/workshops/{workshop.slug})")
    posted = now - timedelta(days=2)
    topic.created_at = topic.bumped_at = topic.last_post_at = posted
    for post in db.session.execute(select(Post).where(Post.topic_id == topic.id)).scalars():
        post.created_at = posted
    topic.is_pinned = True
