"""Workshops on a community with a Workshops category, a facilitator and an experiment with its team."""

from datetime import datetime, timedelta

import pytest

from forum.auth.models import User
from forum.experiments.models import Experiment
from forum.extensions import db
from forum.workshops import services
from forum.workshops.models import Kind


class Community:
    def __init__(self, app, make):
        self.app, self.make = app, make
        self.category_id = make.category("Workshops", slug="workshops")
        self.facilitator_id = make.facilitator()

    def experiment(self, title="Relational commissioning", team_ids=()):
        group_id = self.make.group(f"{title} team", member_ids=team_ids)
        category_id = self.make.category(title)
        with self.app.test_request_context():
            experiment = Experiment(
                slug=title.lower().replace(" ", "-"), title=title, category_id=category_id, team_group_id=group_id,
                organisations="Plymouth City Council", problem="Services built around targets.",
                principles="human,learning", learning_questions="What changes when we trust?",
            )
            db.session.add(experiment)
            db.session.commit()
            return experiment.id

    def workshop(self, title="Design workshop", kind=Kind.DESIGN, local_start=None, timezone="Europe/London",
                 duration_minutes=180, **kwargs):
        local_start = local_start or (datetime.now() + timedelta(days=10)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        with self.app.test_request_context():
            workshop = services.schedule_workshop(
                db.session.get(User, self.facilitator_id), title=title, kind=kind, local_start=local_start,
                timezone=timezone, duration_minutes=duration_minutes,
                call_link=kwargs.pop("call_link", "https://meet.example.org/hls-design"),
                agenda=kwargs.pop("agenda", "1. Welcome\n2. Design"), **kwargs,
            )
            db.session.commit()
            return workshop.id


@pytest.fixture
def community(app, make):
    return Community(app, make)

