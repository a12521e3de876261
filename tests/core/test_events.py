"""Domain events reach in-transaction subscribers at once and after-commit subscribers only once the cause has
committed; never after a rollback. The board's gate can hold a post instead of writing it."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.auth import services as auth_services
from forum.auth.models import User
from forum.board import gate
from forum.board import services as board_services
from forum.board.models import Category, Post, Topic
from forum.core import events
from forum.extensions import db
from forum.notifications.models import Kind, Notification
from tests.conftest import page_text


class Recorder:
    def __init__(self):
        self.now, self.after_commit = [], []

    def in_transaction(self, **fields):
        self.now.append(fields)

    def committed(self, **fields):
        self.after_commit.append(fields)


@pytest.fixture
def recorder():
    """Subscribes to every event both ways for one test."""
    recorder = Recorder()
    for event in events.EVENTS:
        event.subscribe(recorder.in_transaction)
        event.subscribe(recorder.committed, after_commit=True)
    yield recorder
    for event in events.EVENTS:
        event.unsubscribe(recorder.in_transaction)
        event.unsubscribe(recorder.committed)


@pytest.fixture
def setting(app, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    make.facilitator("fiona")
    topic_id = make.topic(aino, make.category(), raw="First post")
    reply_id = make.post(mikko, topic_id, "A reply")
    elsewhere = make.category("Elsewhere")
    return {"aino": aino, "mikko": mikko, "topic": topic_id, "reply": reply_id, "elsewhere": elsewhere}


def _user(username) -> User:
    return db.session.execute(select(User).where(User.username_key == username)).scalar_one()


def _post(post_id) -> Post:
    return db.session.get(Post, post_id, options=[joinedload(Post.topic)])


def _invite_and_accept():
    _invite, token = auth_services.invite_member(_user("fiona"), "newcomer@example.org")
    return auth_services.accept_invite(token, username="newcomer", display_name="New Comer", password="a long enough password")


ACTIONS = {
    "post_created": lambda s: board_services.create_post(_user("aino"), db.session.get(Topic, s["topic"]), "More @mikko"),
    "topic_created": lambda s: board_services.create_topic(
        _user("aino"), db.session.execute(select(Category).order_by(Category.id)).scalars().first(), "A second topic", "Words"
    ),
    "topic_moved": lambda s: board_services.move_topic(
        _user("fiona"), db.session.get(Topic, s["topic"]), db.session.get(Category, s["elsewhere"])
    ),
    "post_edited": lambda s: board_services.edit_post(_user("mikko"), _post(s["reply"]), "Edited @aino"),
    "post_deleted": lambda s: board_services.delete_post(_user("fiona"), _post(s["reply"])),
    "post_liked": lambda s: board_services.toggle_like(_user("aino"), _post(s["reply"])),
    "member_joined": lambda s: _invite_and_accept(),
}


@pytest.mark.parametrize("name", [*ACTIONS, "post_restored"])
def test_an_event_reaches_after_commit_subscribers_only_once_committed(app, setting, recorder, name):
    with app.test_request_context():
        if name == "post_restored":
            board_services.delete_post(_user("fiona"), _post(setting["reply"]))
            db.session.commit()
            recorder.now.clear(), recorder.after_commit.clear()
            board_services.restore_post(_user("fiona"), _post(setting["reply"]))
        else:
            ACTIONS[name](setting)
        announced = [fields for fields in recorder.now if set(fields) == set(getattr(events, name).fields)]
        assert announced and recorder.after_commit == []
        db.session.commit()
        assert announced[-1] in recorder.after_commit
        assert all(isinstance(value, int | list | type(None)) for value in announced[-1].values())


@pytest.mark.parametrize("name", ACTIONS)
def test_an_event_never_reaches_after_commit_subscribers_after_a_rollback(app, setting, recorder, name):
    with app.test_request_context():
        ACTIONS[name](setting)
        assert recorder.now
        db.session.rollback()
        db.session.commit()
        assert recorder.after_commit == []


def test_an_edit_that_names_a_member_anew_notifies_them_once(app, setting):
    with app.test_request_context():
        reply = _post(setting["reply"])
        board_services.edit_post(_user("mikko"), reply, "A reply, thanks to @aino")
        db.session.commit()
        board_services.edit_post(_user("mikko"), reply, "A reply, with thanks to @aino")
        db.session.commit()
        mentions = db.session.execute(
            select(func.count(Notification.id)).where(Notification.user_id == setting["aino"], Notification.kind == Kind.MENTIONED)
        ).scalar_one()
    assert mentions == 1


def _hold_questions(submission: gate.Submission) -> gate.Held | None:
    if "?" in submission.raw:
        return gate.Held(rule="test", message="Your question waits for a facilitator.")
    return None


@pytest.fixture
def question_gate():
    gate.add_rule(_hold_questions)
    yield
    gate.remove_rule(_hold_questions)


def test_the_gate_holds_a_reply_and_tells_the_author(app, client, auth, setting, question_gate, recorder):
    auth.login("aino")
    with app.app_context():
        topic = db.session.get(Topic, setting["topic"])
    held = client.post(f"/t/{topic.slug}/{topic.id}/reply", data={"raw": "May I ask?"}, follow_redirects=True)
    assert "Your question waits for a facilitator." in page_text(held)
    passed = client.post(f"/t/{topic.slug}/{topic.id}/reply", data={"raw": "Just a remark."})
    assert passed.status_code == 302
    with app.app_context():
        raws = db.session.execute(select(Post.raw).where(Post.topic_id == topic.id)).scalars().all()
    assert "Just a remark." in raws and "May I ask?" not in raws
    assert [fields["post_id"] for fields in recorder.after_commit if "mentioned_user_ids" in fields]


def test_an_approved_post_goes_through_the_gate_that_held_it(app, setting, question_gate):
    with app.test_request_context():
        topic = db.session.get(Topic, setting["topic"])
        author = db.session.get(User, setting["aino"])
        assert isinstance(board_services.create_post(author, topic, "May I ask?"), gate.Held)
        with gate.approved():
            post = board_services.create_post(author, topic, "May I ask?")
        assert isinstance(post, Post)
        assert isinstance(board_services.create_post(author, topic, "May I ask again?"), gate.Held)  # only inside


def test_the_gate_holding_a_first_post_writes_no_topic(app, client, auth, setting, question_gate):
    auth.login("aino")
    held = client.post("/c/general/new-topic", data={"title": "A question", "raw": "Who knows?"}, follow_redirects=True)
    assert "Your question waits for a facilitator." in page_text(held)
    with app.app_context():
        assert db.session.execute(select(func.count(Topic.id))).scalar_one() == 1


def test_a_subscriber_receives_only_the_fields_it_names(app, setting):
    received = []

    def on_liked(post_id):
        received.append(post_id)

    events.post_liked.subscribe(on_liked)
    try:
        with app.test_request_context():
            board_services.toggle_like(_user("aino"), _post(setting["reply"]))
            db.session.rollback()
    finally:
        events.post_liked.unsubscribe(on_liked)
    assert received == [setting["reply"]]
