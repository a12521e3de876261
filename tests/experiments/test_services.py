"""Proposing, editing, the lifecycle and the learning log, through the services."""

from datetime import date

import pytest
from sqlalchemy import func, select

from forum.auth.models import Group, User
from forum.board.models import Category, Post, Topic, Visibility
from forum.core.errors import DomainError, NotAllowed
from forum.experiments import services
from forum.experiments.models import Reach, Status, StatusChange
from forum.extensions import db
from forum.tracking.models import CategoryUser, NotificationLevel
from tests.experiments.conftest import load


def _fields(experiment, **changes):
    return {
        "title": experiment.title, "organisations": experiment.organisations.splitlines(),
        "country": experiment.country, "problem": experiment.problem, "principles": experiment.principle_list,
        "learning_questions": experiment.learning_questions, "setting": experiment.setting,
        "signals": experiment.signals, "starts_on": experiment.starts_on, "reach": experiment.reach,
    } | changes


def test_proposing_creates_category_team_watch_rows_learning_log_and_first_status(app, make, propose):
    aino, ben = make.user("aino"), make.user("ben")
    experiment_id = propose(aino, team=[ben])
    with app.test_request_context():
        experiment = load(experiment_id)
        category = db.session.get(Category, experiment.category_id)
        assert (category.name, category.slug, category.visibility) == (
            "Learning cycles in schools", "learning-cycles-in-schools", Visibility.MEMBERS
        )
        assert category.description == "Schools report on outputs, not on what pupils learn."
        team = db.session.get(Group, experiment.team_group_id)
        assert team.name == "Team: Learning cycles in schools"
        assert {m.username for m in team.members} == {"aino", "ben"}
        watching = db.session.execute(
            select(CategoryUser.user_id).where(
                CategoryUser.category_id == category.id, CategoryUser.notification_level == NotificationLevel.WATCHING
            )
        ).scalars()
        assert set(watching) == {aino, ben}
        log = db.session.get(Topic, experiment.learning_log_topic_id)
        assert log.title == "Learning log: Learning cycles in schools" and log.category_id == category.id
        first = db.session.execute(select(Post).where(Post.topic_id == log.id)).scalar_one()
        assert "what we did, what we learned, and what we will change" in first.raw
        steps = db.session.execute(select(StatusChange).where(StatusChange.experiment_id == experiment_id)).scalars().all()
        assert [(s.from_status, s.to_status) for s in steps] == [(None, Status.PROPOSED)]


def test_a_team_only_experiment_is_restricted_to_its_team_group(app, make, propose):
    aino = make.user("aino")
    experiment_id = propose(aino, reach=Reach.TEAM)
    with app.test_request_context():
        experiment = load(experiment_id)
        category = services._category_with_groups(experiment.category_id)
        assert category.visibility == Visibility.GROUPS
        assert [g.id for g in category.groups] == [experiment.team_group_id]


def test_a_second_experiment_with_the_same_title_is_refused_on_the_title(app, make, propose):
    aino = make.user("aino")
    propose(aino)
    with pytest.raises(DomainError) as refused:
        propose(aino)
    assert refused.value.field == "title"


def test_only_the_team_and_facilitators_edit_an_experiment(app, make, propose):
    aino, outsider, fiona = make.user("aino"), make.user("outsider"), make.facilitator("fiona")
    experiment_id = propose(aino)
    with app.test_request_context():
        experiment = load(experiment_id)
        with pytest.raises(NotAllowed):
            services.edit_experiment(db.session.get(User, outsider), experiment, **_fields(experiment, country="Sweden"))
        services.edit_experiment(db.session.get(User, aino), experiment, **_fields(experiment, country="Norway"))
        services.edit_experiment(db.session.get(User, fiona), experiment, **_fields(experiment, title="Learning cycles, year two"))
        db.session.commit()
        experiment = load(experiment_id)
        assert experiment.country == "Norway"
        assert db.session.get(Category, experiment.category_id).name == "Learning cycles, year two"
        assert db.session.get(Group, experiment.team_group_id).name == "Team: Learning cycles, year two"


def test_the_lifecycle_goes_forward_one_step_at_a_time(app, make, propose):
    aino = make.user("aino")
    experiment_id = propose(aino)
    with app.test_request_context():
        member, experiment = db.session.get(User, aino), load(experiment_id)
        with pytest.raises(DomainError, match="cannot become running"):
            services.change_status(member, experiment, Status.RUNNING)
        for step in (Status.DESIGNING, Status.RUNNING, Status.REFLECTING, Status.CONCLUDED):
            services.change_status(member, experiment, step, note=f"Now {step}")
        assert experiment.status == Status.CONCLUDED
        with pytest.raises(DomainError):
            services.change_status(member, experiment, Status.PAUSED)
        with pytest.raises(DomainError):
            services.change_status(member, experiment, Status.REFLECTING)


def test_a_paused_experiment_resumes_at_any_stage_before_concluded(app, make, propose):
    aino = make.user("aino")
    experiment_id = propose(aino)
    with app.test_request_context():
        member, experiment = db.session.get(User, aino), load(experiment_id)
        services.change_status(member, experiment, Status.DESIGNING)
        services.change_status(member, experiment, Status.PAUSED, note="Summer break")
        with pytest.raises(DomainError):
            services.change_status(member, experiment, Status.CONCLUDED)
        with pytest.raises(DomainError):
            services.change_status(member, experiment, Status.PAUSED)
        services.change_status(member, experiment, Status.RUNNING, note="Back after the break")
        steps = db.session.execute(
            select(StatusChange.to_status, StatusChange.note).where(StatusChange.experiment_id == experiment_id)
            .order_by(StatusChange.id)
        ).all()
        assert [tuple(s) for s in steps] == [
            (Status.PROPOSED, None), (Status.DESIGNING, None), (Status.PAUSED, "Summer break"),
            (Status.RUNNING, "Back after the break"),
        ]


def test_only_the_team_and_facilitators_change_the_status(app, make, propose):
    aino, outsider, fiona = make.user("aino"), make.user("outsider"), make.facilitator("fiona")
    experiment_id = propose(aino)
    with app.test_request_context():
        experiment = load(experiment_id)
        with pytest.raises(NotAllowed):
            services.change_status(db.session.get(User, outsider), experiment, Status.DESIGNING)
        services.change_status(db.session.get(User, fiona), experiment, Status.DESIGNING)
        assert experiment.status == Status.DESIGNING


def test_a_learning_log_entry_is_a_post_in_the_learning_log_topic(app, make, propose):
    aino, outsider = make.user("aino"), make.user("outsider")
    experiment_id = propose(aino)
    with app.test_request_context():
        experiment = load(experiment_id)
        with pytest.raises(NotAllowed):
            services.add_learning_log_entry(
                db.session.get(User, outsider), experiment, date(2026, 3, 2), "Visited", "Much", "Everything"
            )
        entry = services.add_learning_log_entry(
            db.session.get(User, aino), experiment, date(2026, 3, 2), "Ran two workshops.",
            "Teachers want fewer forms.", "Drop the weekly form.",
        )
        post = db.session.get(Post, entry.post_id)
        assert post.topic_id == experiment.learning_log_topic_id and post.post_number == 2
        assert "2026-03-02" in post.raw and "Teachers want fewer forms." in post.raw
        assert "What we will change" in post.raw


def test_a_facilitator_turns_a_plain_category_into_an_experiment(app, make):
    aino, fiona = make.user("aino"), make.facilitator("fiona")
    category_id = make.category("Plymouth neighbourhoods")
    topic_id = make.topic(aino, category_id, title="Our first month")
    with app.test_request_context():
        category = db.session.get(Category, category_id)
        record = {
            "organisations": ["Plymouth City Council"], "country": "United Kingdom", "problem": "Commissioning by outputs.",
            "principles": ["systems"], "learning_questions": "What do neighbourhoods need?", "team_member_ids": [aino],
        }
        with pytest.raises(NotAllowed):
            services.experiment_from_category(db.session.get(User, aino), category, **record)
        experiment = services.experiment_from_category(db.session.get(User, fiona), category, reach=Reach.TEAM, **record)
        db.session.commit()
        assert (experiment.slug, experiment.title, experiment.status) == (
            "plymouth-neighbourhoods", "Plymouth neighbourhoods", Status.PROPOSED
        )
        assert db.session.get(Topic, topic_id).category_id == category_id
        assert db.session.get(Category, category_id).visibility == Visibility.GROUPS
        with pytest.raises(DomainError, match="already an experiment"):
            services.experiment_from_category(db.session.get(User, fiona), category, **record)


def test_a_group_the_community_already_has_becomes_the_team_of_a_converted_category(app, make):
    aino, ben, fiona = make.user("aino"), make.user("ben"), make.facilitator("fiona")
    group_id = make.group("Plymouth team", member_ids=[aino])
    first, second = make.category("Plymouth neighbourhoods"), make.category("Plymouth hubs")
    record = {
        "organisations": ["Plymouth City Council"], "country": None, "problem": "Commissioning by outputs.",
        "principles": ["systems"], "learning_questions": "What do neighbourhoods need?",
    }
    with app.test_request_context():
        group = db.session.get(Group, group_id)
        experiment = services.experiment_from_category(
            db.session.get(User, fiona), db.session.get(Category, first), team=group, team_member_ids=[ben], **record
        )
        db.session.commit()
        assert experiment.team_group_id == group_id
        assert {member.id for member in db.session.get(Group, group_id).members} == {aino, ben}
        assert db.session.execute(select(func.count(Group.id))).scalar_one() == 1  # no second group was made
        with pytest.raises(DomainError, match="already another experiment's team"):
            services.experiment_from_category(
                db.session.get(User, fiona), db.session.get(Category, second), team=group, **record
            )
