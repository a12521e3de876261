"""Scheduling, RSVPs, nominations, peer-challenge marks and the pinned summary, through the services."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from forum.auth.models import User
from forum.board.models import Post, Topic
from forum.core.errors import DomainError, NotAllowed
from forum.extensions import db
from forum.workshops import services
from forum.workshops.models import Answer, Kind, MarkKind, Nomination, Rsvp, Workshop, workshop_experiments


def user(user_id):
    return db.session.get(User, user_id)


def test_a_member_cannot_schedule_a_workshop(app, make, community):
    member_id = make.user()
    with app.test_request_context(), pytest.raises(NotAllowed):
        services.schedule_workshop(
            user(member_id), title="My own workshop", kind=Kind.OTHER, local_start=datetime(2030, 5, 1, 10),
            timezone="Europe/London", duration_minutes=60,
        )


def test_scheduling_opens_the_peer_challenge_thread_in_the_workshops_category(app, community):
    workshop_id = community.workshop(title="Launch of the cohort", kind=Kind.LAUNCH)
    with app.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        topic = db.session.get(Topic, workshop.topic_id)
        assert topic.category_id == community.category_id
        assert topic.title == "Launch of the cohort"


def test_a_workshop_in_london_after_the_clock_change_starts_at_the_right_utc_instant(app, community):
    # 2 April 2030 is after the clocks go forward (31 March): 10:00 in London is then 09:00 UTC, not 10:00.
    workshop_id = community.workshop(local_start=datetime(2030, 4, 2, 10, 0), timezone="Europe/London")
    with app.test_request_context():
        assert db.session.get(Workshop, workshop_id).starts_at == datetime(2030, 4, 2, 9, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused_with_a_clear_message(app, community):
    with app.test_request_context(), pytest.raises(DomainError) as error:
        services.schedule_workshop(
            user(community.facilitator_id), title="Too early", kind=Kind.OTHER,
            local_start=datetime(2030, 3, 31, 1, 30), timezone="Europe/London", duration_minutes=60,
        )
    assert "does not exist in Europe/London" in str(error.value.message)
    assert error.value.field == "local_start"


def test_answering_again_replaces_the_rsvp(app, make, community):
    member_id, workshop_id = make.user(), community.workshop()
    with app.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        services.rsvp(user(member_id), workshop, Answer.GOING)
        services.rsvp(user(member_id), workshop, Answer.NOT_GOING)
        db.session.commit()
        rows = db.session.execute(select(Rsvp).where(Rsvp.workshop_id == workshop_id)).scalars().all()
        assert [(row.user_id, row.answer) for row in rows] == [(member_id, Answer.NOT_GOING)]


def test_nominations_are_for_design_workshops_only(app, make, community):
    member_id, workshop_id = make.user(), community.workshop(kind=Kind.SHARING)
    with app.test_request_context(), pytest.raises(DomainError):
        services.nominate(user(member_id), db.session.get(Workshop, workshop_id), "An idea", "Pitch")


def test_supporting_twice_withdraws_the_support(app, make, community):
    member_id, workshop_id = make.user(), community.workshop()
    with app.test_request_context():
        nomination = services.nominate(
            user(member_id), db.session.get(Workshop, workshop_id), "Trust-based grants", "Fund relationships."
        )
        assert services.support(user(member_id), nomination) is True
        assert services.support(user(member_id), nomination) is False


def test_only_facilitators_select_a_nomination_and_its_experiment_is_featured(app, make, community):
    member_id = make.user()
    experiment_id = community.experiment(team_ids=[member_id])
    workshop_id = community.workshop()
    with app.test_request_context():
        from forum.experiments.models import Experiment

        nomination = services.nominate(
            user(member_id), db.session.get(Workshop, workshop_id), "Relational commissioning", "Help us design it.",
            experiment=db.session.get(Experiment, experiment_id),
        )
        with pytest.raises(NotAllowed):
            services.select_nomination(user(member_id), nomination)
        assert services.select_nomination(user(community.facilitator_id), nomination).id == experiment_id
        db.session.commit()
        linked = db.session.execute(
            select(workshop_experiments.c.experiment_id).where(workshop_experiments.c.workshop_id == workshop_id)
        ).scalars().all()
        assert linked == [experiment_id]
        assert db.session.get(Nomination, nomination.id).selected_at is not None


def test_selecting_an_idea_without_an_experiment_proposes_one_for_the_nominator_and_features_it(
    app, make, community
):
    nominator_id = make.user("amira", organisation="Plymouth City Council")
    workshop_id = community.workshop()
    with app.test_request_context():
        from forum.experiments.models import Experiment, Status

        nomination = services.nominate(
            user(nominator_id), db.session.get(Workshop, workshop_id), "Trust-based grants", "Fund relationships.",
        )
        experiment = services.select_nomination(user(community.facilitator_id), nomination)
        db.session.commit()
        experiment = db.session.get(Experiment, experiment.id)
        assert (experiment.title, experiment.status, experiment.problem) == (
            "Trust-based grants", Status.PROPOSED, "Fund relationships.")
        assert experiment.organisations == "Plymouth City Council"
        assert experiment.created_by_id == nominator_id
        assert db.session.get(Nomination, nomination.id).experiment_id == experiment.id
        assert db.session.execute(
            select(workshop_experiments.c.experiment_id).where(workshop_experiments.c.workshop_id == workshop_id)
        ).scalars().all() == [experiment.id]
        from forum.auth.models import group_members

        assert db.session.execute(
            select(group_members.c.user_id).where(group_members.c.group_id == experiment.team_group_id)
        ).scalars().all() == [nominator_id]


def test_a_challenge_is_answered_by_the_addressed_team_only(app, make, community):
    challenger_id, team_member_id, outsider_id = make.user(), make.user(), make.user()
    experiment_id = community.experiment(team_ids=[team_member_id])
    workshop_id = community.workshop()
    with app.test_request_context():
        topic_id = db.session.get(Workshop, workshop_id).topic_id
    challenge_id = make.post(challenger_id, topic_id, "How will you know the trust is working?")
    answer_id = make.post(team_member_id, topic_id, "We ask the families every month.")
    with app.test_request_context():
        from forum.experiments.models import Experiment

        challenge = db.session.get(Post, challenge_id)
        with pytest.raises(NotAllowed):
            services.mark_post(user(outsider_id), challenge, MarkKind.CHALLENGE, db.session.get(Experiment, experiment_id))
        mark = services.mark_post(
            user(challenger_id), challenge, MarkKind.CHALLENGE, db.session.get(Experiment, experiment_id)
        )
        with pytest.raises(NotAllowed):
            services.mark_responded(user(outsider_id), mark, db.session.get(Post, answer_id))
        services.mark_responded(user(team_member_id), mark, db.session.get(Post, answer_id))
        db.session.commit()
        assert mark.response_post_id == answer_id and mark.responded_at is not None


def test_a_challenge_must_be_addressed_to_an_experiment(app, make, community):
    member_id, workshop_id = make.user(), community.workshop()
    with app.test_request_context():
        topic_id = db.session.get(Workshop, workshop_id).topic_id
    post_id = make.post(member_id, topic_id, "A challenge to nobody.")
    with app.test_request_context(), pytest.raises(DomainError):
        services.mark_post(user(member_id), db.session.get(Post, post_id), MarkKind.CHALLENGE)


def test_posts_outside_a_workshop_thread_cannot_be_marked(app, make, community):
    member_id = make.user()
    topic_id = make.topic(member_id, make.category("General"))
    with app.test_request_context():
        post = db.session.execute(select(Post).where(Post.topic_id == topic_id)).scalar_one()
        with pytest.raises(DomainError):
            services.mark_post(user(member_id), post, MarkKind.QUESTION)


def test_the_facilitators_summary_pins_the_thread(app, community):
    workshop_id = community.workshop()
    with app.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        post = services.post_summary(user(community.facilitator_id), workshop, "What we learned together.")
        db.session.commit()
        assert db.session.get(Topic, workshop.topic_id).is_pinned
        assert workshop.summary_post_id == post.id


def test_the_first_workshop_opens_the_workshops_category_for_a_facilitator(app, make):
    facilitator_id = make.facilitator()
    with app.test_request_context():
        workshop = services.schedule_workshop(
            user(facilitator_id), title="The very first launch", kind=Kind.LAUNCH,
            local_start=datetime(2030, 5, 1, 10), timezone="Europe/Helsinki", duration_minutes=90,
        )
        db.session.commit()
        from forum.board.models import Category

        category = db.session.get(Category, db.session.get(Topic, workshop.topic_id).category_id)
        assert (category.slug, category.name) == ("workshops", "Workshops")


def test_an_experiment_page_can_list_its_workshops_and_the_challenges_addressed_to_it(app, make, community):
    from forum.experiments.models import Experiment
    from forum.workshops import queries

    member_id = make.user()
    experiment_id = community.experiment()
    workshop_id = community.workshop(experiment_ids=[experiment_id])
    with app.test_request_context():
        topic_id = db.session.get(Workshop, workshop_id).topic_id
    post_id = make.post(member_id, topic_id, "What would failure look like?")
    with app.test_request_context():
        services.mark_post(
            user(member_id), db.session.get(Post, post_id), MarkKind.CHALLENGE, db.session.get(Experiment, experiment_id)
        )
        db.session.commit()
        assert [w.id for w in queries.workshops_featuring(experiment_id)] == [workshop_id]
        [(mark, post, workshop)] = queries.challenges_addressed_to(experiment_id)
        assert (post.id, workshop.id, mark.responded_at) == (post_id, workshop_id, None)


def test_a_workshop_adopts_a_thread_already_in_the_workshops_category_but_not_one_elsewhere(app, make, community):
    author_id = make.user()
    thread_id = make.topic(author_id, community.category_id, "Launch: peer challenge thread")
    elsewhere_id = make.topic(author_id, make.category("General"), "Not a workshop thread")
    with app.test_request_context():
        from forum.board.models import Topic

        facilitator = user(community.facilitator_id)
        fields = {"kind": "launch", "local_start": datetime(2026, 10, 1, 10), "timezone": "Europe/London",
                  "duration_minutes": 120}
        workshop = services.schedule_workshop(
            facilitator, title="Launch", thread=db.session.get(Topic, thread_id), **fields
        )
        assert workshop.topic_id == thread_id
        for topic_id in (elsewhere_id, thread_id):  # another category; another workshop's thread
            with pytest.raises(DomainError, match="Workshops category that no other workshop has"):
                services.schedule_workshop(facilitator, title="Again", thread=db.session.get(Topic, topic_id), **fields)
