"""A community with a Noticeboard opened by a facilitator, a member, and a way to post and pin notices."""

import re

import pytest

from forum.auth.models import User
from forum.board.models import Topic
from forum.extensions import db
from forum.noticeboard import services


class Noticeboard:
    def __init__(self, app, make):
        self.app, self.make = app, make
        self.facilitator_id = make.facilitator("fiona")
        self.member_id = make.user("aino")
        with app.test_request_context():
            self.category_id = services.ensure_noticeboard(db.session.get(User, self.facilitator_id)).id
            db.session.commit()

    def notice(self, title="Programme dates for the spring", raw="**Dates** for the [workshops](https://example.org)",
               pinned=True) -> int:
        topic_id = self.make.topic(self.facilitator_id, self.category_id, title=title, raw=raw)
        if pinned:
            self.pin(topic_id)
        return topic_id

    def pin(self, topic_id: int, pinned: bool = True) -> None:
        with self.app.test_request_context():
            services.set_pinned(db.session.get(User, self.facilitator_id), db.session.get(Topic, topic_id), pinned)
            db.session.commit()

    def url(self, topic_id: int) -> str:
        with self.app.app_context():
            topic = db.session.get(Topic, topic_id)
            return f"/t/{topic.slug}/{topic.id}"


@pytest.fixture
def noticeboard(app, make):
    return Noticeboard(app, make)


def banner(response) -> str | None:
    """The banner's visible text, or None when the page has none."""
    found = re.search(r'<section class="notice-banner".*?</section>', response.get_data(as_text=True), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else None
