"""The experiments' pages run a small number of queries, whatever the length of the log and timeline."""

from datetime import date

from forum.auth.models import User
from forum.experiments import services
from forum.experiments.models import Experiment, Status
from forum.extensions import db

MAX_QUERIES = 12
URLS = {
    "index": "/experiments",
    "filtered index": "/experiments?country=Finland&principle=learning",
    "page": "/experiments/learning-cycles-in-schools",
}


def _counts(client, count_queries):
    counts = {}
    for name, url in URLS.items():
        client.get(url)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = counter.n
    return counts


def test_experiment_pages_run_a_small_constant_number_of_queries(app, client, auth, make, propose, count_queries):
    aino, ben = make.user("aino"), make.user("ben")
    experiment_id = propose(aino, team=[ben])
    auth.login("ben")
    small = _counts(client, count_queries)
    with app.test_request_context():
        member = db.session.get(User, aino)
        experiment = db.session.get(Experiment, experiment_id)
        for step in (Status.DESIGNING, Status.RUNNING, Status.PAUSED, Status.RUNNING):
            services.change_status(member, experiment, step, note="A step")
        for day in range(1, 8):
            services.add_learning_log_entry(member, experiment, date(2026, 3, day), "Did", "Learned", "Change")
        db.session.commit()
    for n in range(3):
        propose(aino, title=f"Another experiment {n}")
    large = _counts(client, count_queries)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
