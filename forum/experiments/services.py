"""Rules for experiments: proposing one (with its category, team group and learning log), editing its record
and reach, moving it through its lifecycle, and writing its learning log. Services flush, never commit.

An experiment's visibility is its category's: a change of reach rewrites the category's visibility, and every
page, search and upload that asks the policy about that category follows at once (GHSA-298h-xgw6-4pv3).
"""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.auth.models import Group, User
from forum.board import gate
from forum.board import services as board
from forum.board.models import Category, Post, Topic, Visibility
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.core.text import slugify
from forum.experiments.models import Experiment, LearningLogEntry, Principle, Reach, Status, StatusChange
from forum.extensions import db
from forum.policy import can, forget_cached_rules
from forum.tracking.models import CategoryUser, NotificationLevel

LIFECYCLE = (Status.PROPOSED, Status.DESIGNING, Status.RUNNING, Status.REFLECTING, Status.CONCLUDED)
# The category's colour says which principle the experiment tests first.
PRINCIPLE_COLOURS = {Principle.HUMAN: "#a8432b", Principle.LEARNING: "#2f5f96", Principle.SYSTEMS: "#2e6b3f"}
MAX_DESCRIPTION = 300


def allowed_transitions(current: Status) -> list[Status]:
    """Where an experiment may go from `current`.

    Forward one step at a time: proposed → designing → running → reflecting → concluded. Any status but
    concluded may be paused, and a paused experiment resumes at any stage before concluded (the team says
    where it picks up; it may have gone back to design). Concluded is final: a new round is a new experiment."""
    if current == Status.CONCLUDED:
        return []
    if current == Status.PAUSED:
        return list(LIFECYCLE[:-1])
    return [LIFECYCLE[LIFECYCLE.index(current) + 1], Status.PAUSED]


def _record_fields(
    *, title: str, organisations: list[str], country: str | None, problem: str, principles: list[Principle],
    learning_questions: str, setting: str | None, signals: str | None, starts_on: date | None,
) -> dict:
    """The record's fields, checked and tidied (raises DomainError naming the field)."""
    title = board.check_title(title)
    organisations = [name.strip() for name in organisations if name.strip()]
    if not organisations:
        raise DomainError(_l("Name at least one organisation."), field="organisations")
    if not (problem or "").strip():
        raise DomainError(_l("Describe the public-management problem the experiment works on."), field="problem")
    if not (learning_questions or "").strip():
        raise DomainError(_l("Give at least one learning question."), field="learning_questions")
    principles = [Principle(value) for value in principles]
    if not principles:
        raise DomainError(_l("Choose at least one principle the experiment tests."), field="principles")
    return {
        "title": title,
        "organisations": "\n".join(organisations),
        "country": (country or "").strip() or None,
        "problem": problem.strip(),
        "principles": ",".join(p.value for p in Principle if p in principles),
        "learning_questions": learning_questions.strip(),
        "setting": (setting or "").strip() or None,
        "signals": (signals or "").strip() or None,
        "starts_on": starts_on,
    }


def _category_fields(record: dict, reach: Reach, team: Group) -> dict:
    first_principle = Principle(record["principles"].split(",")[0])
    description = record["problem"].splitlines()[0]
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1].rstrip() + "…"
    return {
        "name": record["title"][:80],
        "description": description,
        "colour": PRINCIPLE_COLOURS[first_principle],
        "visibility": Visibility.MEMBERS if reach == Reach.GROUP else Visibility.GROUPS,
        "groups": [team] if reach == Reach.TEAM else [],
    }


def _team_name(title: str) -> str:
    return f"Team: {title}"[:80]


def _make_team(title: str, members: list[User]) -> Group:
    """The team's group. Built here rather than through admin.save_group: a member's proposal makes it, and
    that service is for administrators; the same name checks apply."""
    name = _team_name(title)
    _check_group_name(name, None)
    group = Group(name=name, slug=_free_group_slug(name), description=_("The team of the experiment “%(title)s”.", title=title))
    group.members = list(members)
    db.session.add(group)
    db.session.flush()
    return group


def _check_group_name(name: str, group: Group | None) -> None:
    clash = db.session.execute(select(Group.id).where(Group.name == name)).scalar_one_or_none()
    if clash is not None and (group is None or clash != group.id):
        raise DomainError(_l("A group with this experiment's team name already exists; choose another title."), field="title")


def _replace_team(team: Group, experiment: Experiment, member_ids) -> None:
    members = _team_members(member_ids)
    if not members:
        raise DomainError(_l("An experiment needs at least one team member."), field="team")
    joining = [member for member in members if member not in team.members]
    team.members = members
    _watch(db.session.get(Category, experiment.category_id), joining)


def _check_free_team(group: Group) -> None:
    taken = db.session.execute(select(Experiment.id).where(Experiment.team_group_id == group.id)).first()
    if taken is not None:
        raise DomainError(_l("This group is already another experiment's team."), field="team")


def _free_group_slug(name: str) -> str:
    base = slugify(name)
    taken = set(db.session.execute(select(Group.slug).where(Group.slug.startswith(base))).scalars())
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _team_members(member_ids, proposer: User | None = None) -> list[User]:
    """The named members (active ones only), with the proposer first when there is one."""
    ids = {int(member_id) for member_id in member_ids or ()} - ({proposer.id} if proposer else set())
    members = list(db.session.execute(select(User).where(User.id.in_(ids))).scalars()) if ids else []
    if len(members) != len(ids) or any(not member.is_active for member in members):
        raise DomainError(_l("Every team member must be an active member of the group."), field="team_member_ids")
    return [proposer, *members] if proposer else members


def _watch(category: Category, members: list[User]) -> None:
    """The team watches its category by default (a member who chose another level keeps it)."""
    chosen = set(
        db.session.execute(
            select(CategoryUser.user_id).where(
                CategoryUser.category_id == category.id, CategoryUser.user_id.in_([m.id for m in members])
            )
        ).scalars()
    )
    for member in members:
        if member.id not in chosen:
            db.session.add(CategoryUser(user_id=member.id, category_id=category.id, notification_level=NotificationLevel.WATCHING))


def _log_title(experiment: Experiment) -> str:
    """"Learning log: <title>", so that lists and search tell the experiments' logs apart."""
    return board.check_title(_("Learning log: %(title)s", title=experiment.title)[:board.MAX_TITLE_LENGTH])


def _start_learning_log(author: User, experiment: Experiment, category: Category) -> None:
    """The "Learning log" topic, whose first post explains it. If the gate holds that post, the topic is
    started by the first entry instead (see add_learning_log_entry)."""
    topic = board.create_topic(
        author, category, _log_title(experiment),
        _(
            "This is the learning log of “%(title)s”. The team adds a dated entry here as the experiment goes: "
            "what we did, what we learned, and what we will change. Reply to any entry with a question, a "
            "challenge or your own experience.",
            title=experiment.title,
        ),
    )
    if isinstance(topic, Topic):
        experiment.learning_log_topic_id = topic.id


def propose_experiment(
    member: User, *, title: str, organisations: list[str], country: str | None, problem: str,
    principles: list[Principle], learning_questions: str, setting: str | None, signals: str | None,
    starts_on: date | None, reach: Reach = Reach.GROUP, team_member_ids=(),
) -> Experiment:
    """Propose an experiment: its record, team group, category (watched by the team), learning log topic and
    first status."""
    if not can(member, "propose_experiment"):
        raise NotAllowed(_l("Only members propose experiments."))
    record = _record_fields(
        title=title, organisations=organisations, country=country, problem=problem, principles=principles,
        learning_questions=learning_questions, setting=setting, signals=signals, starts_on=starts_on,
    )
    reach = Reach(reach)
    team = _make_team(record["title"], _team_members(team_member_ids, proposer=member))
    category = _write_category(None, record, reach, team)
    experiment = Experiment(
        slug=category.slug, category_id=category.id, team_group_id=team.id, status=Status.PROPOSED, reach=reach,
        created_by_id=member.id, **record,
    )
    db.session.add(experiment)
    db.session.flush()
    _watch(category, team.members)
    db.session.add(StatusChange(experiment_id=experiment.id, from_status=None, to_status=Status.PROPOSED, actor_id=member.id))
    _start_learning_log(member, experiment, category)
    db.session.flush()
    return experiment


def _write_category(category: Category | None, record: dict, reach: Reach, team: Group) -> Category:
    """The experiment's category, written without the administrators' rule: the team owns it (the caller
    has checked that `actor` may propose or edit the experiment)."""
    fields = _category_fields(record, reach, team)
    try:
        return board.write_category(
            category, slug=category.slug if category else None, parent=None if category is None else _parent(category),
            position=0 if category is None else category.position,
            staff_only_topics=False if category is None else category.staff_only_topics, **fields,
        )
    except DomainError as error:
        if error.field == "slug":
            raise DomainError(_l("Another experiment or category already uses this title."), field="title") from error
        raise


def _category_with_groups(category_id: int) -> Category:
    """The category with its groups loaded (they are lazy="raise", and rewriting them needs the old list)."""
    return db.session.execute(
        select(Category).where(Category.id == category_id).options(selectinload(Category.groups))
        .execution_options(populate_existing=True)
    ).scalar_one()


def _parent(category: Category) -> Category | None:
    return db.session.get(Category, category.parent_id) if category.parent_id else None


def edit_experiment(
    actor: User, experiment: Experiment, *, title: str, organisations: list[str], country: str | None,
    problem: str, principles: list[Principle], learning_questions: str, setting: str | None,
    signals: str | None, starts_on: date | None, reach: Reach, team_member_ids=None,
) -> Experiment:
    """Change the record (team or staff). Its category follows: name, description, colour, and the
    visibility, which applies at once to its topics, search hits and uploads. The slug stays, so links hold.
    `team_member_ids`, when given, is the whole team: newcomers watch the category, those left out leave the
    team group (and, for a team-only experiment, its category)."""
    if not can(actor, "edit_experiment", experiment):
        raise NotAllowed(_l("Only the experiment's team and the facilitators edit it."))
    record = _record_fields(
        title=title, organisations=organisations, country=country, problem=problem, principles=principles,
        learning_questions=learning_questions, setting=setting, signals=signals, starts_on=starts_on,
    )
    reach = Reach(reach)
    team = db.session.get(Group, experiment.team_group_id)
    if record["title"] != experiment.title:
        _check_group_name(_team_name(record["title"]), team)
        team.name = _team_name(record["title"])
    if team_member_ids is not None:
        _replace_team(team, experiment, team_member_ids)
    _write_category(_category_with_groups(experiment.category_id), record, reach, team)
    for name, value in record.items():
        setattr(experiment, name, value)
    experiment.reach = reach
    experiment.updated_at = utcnow()
    db.session.flush()
    forget_cached_rules()
    return experiment


def change_status(actor: User, experiment: Experiment, to_status: Status, note: str | None = None) -> StatusChange:
    """Move the experiment along its lifecycle (see allowed_transitions), recording the step and its note."""
    if not can(actor, "change_status", experiment):
        raise NotAllowed(_l("Only the experiment's team and the facilitators change its status."))
    to_status = Status(to_status)
    if to_status not in allowed_transitions(experiment.status):
        raise DomainError(
            _l("An experiment that is %(current)s cannot become %(next)s.",
               current=status_label(experiment.status), next=status_label(to_status)),
            field="to_status",
        )
    change = StatusChange(
        experiment_id=experiment.id, from_status=experiment.status, to_status=to_status,
        note=(note or "").strip() or None, actor_id=actor.id,
    )
    db.session.add(change)
    experiment.status = to_status
    experiment.updated_at = utcnow()
    db.session.flush()
    return change


def status_label(status: Status) -> str:
    return {
        Status.PROPOSED: _("proposed"), Status.DESIGNING: _("designing"), Status.RUNNING: _("running"),
        Status.REFLECTING: _("reflecting"), Status.CONCLUDED: _("concluded"), Status.PAUSED: _("paused"),
    }[Status(status)]


def principle_label(principle: Principle) -> str:
    return {Principle.HUMAN: _("Human"), Principle.LEARNING: _("Learning"), Principle.SYSTEMS: _("Systems")}[Principle(principle)]


def _entry_text(entry_date: date, did: str, learned: str, will_change: str) -> str:
    return "\n\n".join([
        f"**{_('Learning log entry, %(date)s', date=entry_date.isoformat())}**",
        f"### {_('What we did')}\n\n{did.strip()}",
        f"### {_('What we learned')}\n\n{learned.strip()}",
        f"### {_('What we will change')}\n\n{will_change.strip()}",
    ])


def add_learning_log_entry(
    actor: User, experiment: Experiment, entry_date: date, did: str, learned: str, will_change: str,
) -> LearningLogEntry | gate.Held:
    """A dated entry of the learning log (team or staff): a post in the "Learning log" topic, so others can
    reply. If the gate holds the post, no entry is recorded and the Held says why."""
    if not can(actor, "write_learning_log", experiment):
        raise NotAllowed(_l("Only the experiment's team and the facilitators write its learning log."))
    for field, text in (("did", did), ("learned", learned), ("will_change", will_change)):
        if not (text or "").strip():
            raise DomainError(_l("Please fill this in."), field=field)
    if entry_date is None:
        raise DomainError(_l("Give the entry a date."), field="entry_date")
    raw = _entry_text(entry_date, did, learned, will_change)
    topic = db.session.get(Topic, experiment.learning_log_topic_id) if experiment.learning_log_topic_id else None
    if topic is None:
        written = board.create_topic(actor, db.session.get(Category, experiment.category_id), _log_title(experiment), raw)
        if isinstance(written, gate.Held):
            return written
        experiment.learning_log_topic_id = written.id
        post = db.session.execute(select(Post).where(Post.topic_id == written.id, Post.post_number == 1)).scalar_one()
    else:
        post = board.create_post(actor, topic, raw)
        if isinstance(post, gate.Held):
            return post
    entry = LearningLogEntry(experiment_id=experiment.id, post_id=post.id, entry_date=entry_date)
    db.session.add(entry)
    db.session.flush()
    return entry


def experiment_from_category(
    actor: User, category: Category, *, organisations: list[str], country: str | None, problem: str,
    principles: list[Principle], learning_questions: str, setting: str | None = None, signals: str | None = None,
    starts_on: date | None = None, reach: Reach = Reach.GROUP, team_member_ids=(), title: str | None = None,
    team: Group | None = None,
) -> Experiment:
    """Turn an existing category into an experiment (staff): the migration path for communities that began
    with plain categories. The category keeps its slug, topics and watchers; it gets a team (the named
    members; the facilitator who converts it is not added), its reach's visibility, a learning log and a
    first status. `team`, a group the community already has for these people, becomes the team (the named
    members join it) instead of a new group."""
    if not can(actor, "turn_category_into_experiment", category):
        raise NotAllowed(_l("Only facilitators turn a category into an experiment."))
    taken = db.session.execute(select(Experiment.id).where(Experiment.category_id == category.id)).scalar_one_or_none()
    if taken is not None:
        raise DomainError(_l("This category is already an experiment."), field="category")
    record = _record_fields(
        title=title or category.name, organisations=organisations, country=country, problem=problem,
        principles=principles, learning_questions=learning_questions, setting=setting, signals=signals,
        starts_on=starts_on,
    )
    reach = Reach(reach)
    members = _team_members(team_member_ids)
    if team is None:
        team = _make_team(record["title"], members)
    else:
        _check_free_team(team)
        team.members = list({member.id: member for member in [*team.members, *members]}.values())
        members = team.members
    _write_category(_category_with_groups(category.id), record, reach, team)
    experiment = Experiment(
        slug=category.slug, category_id=category.id, team_group_id=team.id, status=Status.PROPOSED, reach=reach,
        created_by_id=actor.id, **record,
    )
    db.session.add(experiment)
    db.session.flush()
    _watch(category, members)
    db.session.add(StatusChange(experiment_id=experiment.id, from_status=None, to_status=Status.PROPOSED, actor_id=actor.id))
    _start_learning_log(actor, experiment, category)
    db.session.flush()
    forget_cached_rules()
    return experiment
