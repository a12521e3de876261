"""What a change of reach, and the gate in front of posts, mean for the people around an experiment."""

import re

from sqlalchemy import func, select

from forum.auth.models import User
from forum.board import gate
from forum.board.models import Category, Topic
from forum.experiments import services
from forum.experiments.models import Experiment, LearningLogEntry, Reach
from forum.extensions import db
from forum.notifications.models import Notification
from forum.tracking import services as tracking
from forum.tracking.models import NotificationLevel
from tests.conftest import page_text


def _notified(app, user_id) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).where(Notification.user_id == user_id)).scalar_one()


def test_a_watcher_outside_the_team_is_not_notified_once_the_experiment_is_team_only(app, make, propose):
    aino, ben, outsider = make.user("aino"), make.user("ben"), make.user("outsider")
    experiment_id = propose(aino, team=[ben])
    with app.test_request_context():
        experiment = db.session.get(Experiment, experiment_id)
        tracking.set_category_level(db.session.get(User, outsider), db.session.get(Category, experiment.category_id),
                                    NotificationLevel.WATCHING)
        db.session.commit()
        category_id = experiment.category_id
    ben_before = _notified(app, ben)  # the learning log's first post
    make.topic(aino, category_id, title="Before the change")
    assert _notified(app, outsider) == 1 and _notified(app, ben) == ben_before + 1
    with app.test_request_context():
        experiment = db.session.get(Experiment, experiment_id)
        fields = {name: getattr(experiment, name) for name in (
            "title", "country", "problem", "learning_questions", "setting", "signals", "starts_on")}
        services.edit_experiment(
            db.session.get(User, aino), experiment, organisations=experiment.organisations.splitlines(),
            principles=experiment.principle_list, reach=Reach.TEAM, **fields,
        )
        db.session.commit()
    make.topic(aino, category_id, title="After the change")
    assert _notified(app, outsider) == 1
    assert _notified(app, ben) == ben_before + 2


def test_a_held_learning_log_entry_records_nothing_and_tells_the_author_why(app, client, auth, make, propose):
    aino = make.user("aino")
    propose(aino)

    def hold_everything(submission):
        return gate.Held(rule="test", message="Your post waits for approval by a facilitator.")

    gate.add_rule(hold_everything)
    try:
        auth.login("aino")
        response = client.post(
            "/experiments/learning-cycles-in-schools/log/new",
            data={"entry_date": "2026-10-05", "did": "Ran it.", "learned": "Much.", "will_change": "Little."},
            follow_redirects=True,
        )
    finally:
        gate.remove_rule(hold_everything)
    assert "Your post waits for approval by a facilitator." in page_text(response)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(LearningLogEntry)).scalar_one() == 0
        assert db.session.execute(select(Topic.post_count).where(Topic.title.startswith("Learning log"))).scalar_one() == 1


def test_experiment_pages_carry_no_inline_scripts_styles_or_handlers(client, auth, make, propose):
    aino = make.user("aino")
    propose(aino)
    auth.login("aino")
    for url in ("/experiments", "/experiments/new", "/experiments/learning-cycles-in-schools",
                "/experiments/learning-cycles-in-schools/edit", "/experiments/learning-cycles-in-schools/status",
                "/experiments/learning-cycles-in-schools/log/new"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "script-src" in response.headers["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html), url
