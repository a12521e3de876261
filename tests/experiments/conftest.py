import pytest

from forum.auth.models import User
from forum.experiments import services
from forum.experiments.models import Experiment, Principle, Reach
from forum.extensions import db


@pytest.fixture
def propose(app):
    """Propose an experiment through the service, as member `member_id`, and commit; returns its id."""

    def run(member_id, title="Learning cycles in schools", reach=Reach.GROUP, team=(), **fields):
        record = {
            "organisations": ["Finnish National Agency for Education"], "country": "Finland",
            "problem": "Schools report on outputs, not on what pupils learn.", "principles": [Principle.LEARNING],
            "learning_questions": "What changes when teachers own the questions?", "setting": "Three schools",
            "signals": "Teachers' own stories", "starts_on": None,
        } | fields
        with app.test_request_context():
            experiment = services.propose_experiment(
                db.session.get(User, member_id), title=title, reach=reach, team_member_ids=team, **record
            )
            db.session.commit()
            return experiment.id

    return run


def load(experiment_id) -> Experiment:
    return db.session.get(Experiment, experiment_id)
