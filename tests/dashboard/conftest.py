"""A small community whose pulse the facilitation page reads: experiments, posts placed in chosen weeks, members
who joined in chosen months, peer challenges and a workshop with answers."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from forum.auth.models import User
from forum.board.models import Post
from forum.core.models import utcnow
from forum.experiments import services as experiment_services
from forum.experiments.models import Experiment
from forum.extensions import db
from forum.workshops import services as workshop_services
from forum.workshops.models import PostMark, Workshop
from tests.workshops.conftest import Community


class Pulse(Community):
    """Community (from the workshops' tests) with ways to move things back in time."""

    def __init__(self, app, make):
        super().__init__(app, make)
        self.now = utcnow()
        self.texts = 0

    def weeks_ago(self, weeks: int):
        return self.now - timedelta(weeks=weeks)

    def _text(self, what: str) -> str:
        self.texts += 1
        return f"{what}, number {self.texts}."

    def experiment(self, title, created_weeks_ago=10, **fields):
        experiment_id = super().experiment(title)
        with self.app.app_context():
            db.session.execute(
                update(Experiment).where(Experiment.id == experiment_id)
                .values(created_at=self.weeks_ago(created_weeks_ago), **fields)
            )
            db.session.commit()
        return experiment_id

    def category_of(self, experiment_id) -> int:
        with self.app.app_context():
            return db.session.get(Experiment, experiment_id).category_id

    def joined(self, user_id, when) -> None:
        with self.app.app_context():
            db.session.execute(update(User).where(User.id == user_id).values(created_at=when))
            db.session.commit()

    def written(self, post_id, weeks_ago, **values) -> int:
        with self.app.app_context():
            db.session.execute(update(Post).where(Post.id == post_id).values(created_at=self.weeks_ago(weeks_ago), **values))
            db.session.commit()
        return post_id

    def topic(self, author_id, category_id, weeks_ago) -> int:
        """A topic whose first post was written `weeks_ago`; returns the topic's id."""
        topic_id = self.make.topic(author_id, category_id, title=self._text("A topic"), raw=self._text("Opening"))
        with self.app.app_context():
            first = db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()
        self.written(first, weeks_ago)
        return topic_id

    def reply(self, author_id, topic_id, weeks_ago, **values) -> int:
        return self.written(self.make.post(author_id, topic_id, raw=self._text("A reply")), weeks_ago, **values)

    def log_entry(self, experiment_id, weeks_ago) -> None:
        """A learning-log entry (by the facilitator) written `weeks_ago`, its post too."""
        with self.app.test_request_context():
            entry = experiment_services.add_learning_log_entry(
                db.session.get(User, self.facilitator_id), db.session.get(Experiment, experiment_id),
                date(2026, 1, 5), "Met the families.", "They want fewer forms.", "One conversation, not three.",
            )
            entry.created_at = self.weeks_ago(weeks_ago)
            post = db.session.get(Post, entry.post_id)
            post.created_at = self.weeks_ago(weeks_ago)
            db.session.commit()

    def thread(self, workshop_id) -> int:
        with self.app.app_context():
            return db.session.get(Workshop, workshop_id).topic_id

    def challenge(self, author_id, workshop_id, experiment_id, weeks_ago) -> int:
        post_id = self.reply(author_id, self.thread(workshop_id), weeks_ago)
        with self.app.test_request_context():
            workshop_services.mark_post(
                db.session.get(User, self.facilitator_id), db.session.get(Post, post_id), "challenge",
                db.session.get(Experiment, experiment_id),
            )
            db.session.commit()
        return post_id

    def respond(self, challenge_id, weeks_ago) -> int:
        with self.app.app_context():
            topic_id = db.session.get(Post, challenge_id).topic_id
        answer_id = self.reply(self.facilitator_id, topic_id, weeks_ago)
        with self.app.test_request_context():
            workshop_services.mark_responded(
                db.session.get(User, self.facilitator_id), db.session.get(PostMark, challenge_id),
                db.session.get(Post, answer_id),
            )
            db.session.commit()
        return answer_id

    def answer(self, workshop_id, user_id, answer) -> None:
        with self.app.test_request_context():
            workshop_services.rsvp(db.session.get(User, user_id), db.session.get(Workshop, workshop_id), answer)
            db.session.commit()


@pytest.fixture
def pulse(app, make):
    return Pulse(app, make)
