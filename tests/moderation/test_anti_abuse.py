"""Anti-abuse: the same text twice within a minute is refused with a reason (and the text kept), and each member
may post and start conversations only so fast (Flask-Limiter, in memory or on Redis)."""

import pytest
from sqlalchemy import select

from forum import create_app
from forum.config import load_config
from forum.extensions import db, limiter
from forum.mail.inbound.models import InboundStatus
from forum.moderation.models import QueuedPost
from tests.conftest import PASSWORD, page_text
from tests.mail.conftest import clean_outbox  # noqa: F401 (a fixture)
from tests.mail.inbound.mailbox import answers_to, key_for, raw_mail, receive, text_of
from tests.moderation.member_setup import build, later, posts_by, topic_row

SAME = "Sea kale grows well by the harbour wall."


@pytest.fixture
def forum(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_DUPLICATE_POST_SECONDS", 60)
    return build(make)


def _reply(client, app, topic_id, raw):
    return client.post(f"/t/{topic_row(app, topic_id).slug}/{topic_id}/reply", data={"raw": raw})


def test_the_same_text_twice_within_a_minute_is_refused_with_the_reason_and_kept(app, client, auth, make, forum):
    other = make.topic(forum.ben, forum.category, title="Fences and hedges", raw="Which hedge?")
    auth.login("aino")
    assert _reply(client, app, forum.topic, SAME).status_code == 302
    again = _reply(client, app, forum.topic, SAME)
    text = page_text(again)
    assert again.status_code == 200 and "You posted exactly this a moment ago." in text
    assert SAME in again.get_data(as_text=True)  # still in the composer
    assert "You posted exactly this" in page_text(_reply(client, app, other, SAME))  # in another topic too
    assert _reply(client, app, other, SAME + " And beans.").status_code == 302
    assert [post.raw for post in posts_by(app, "aino")].count(SAME) == 1

    with later("forum.moderation.duplicates", seconds=61):
        assert _reply(client, app, other, SAME).status_code == 302
    assert [post.raw for post in posts_by(app, "aino")].count(SAME) == 2


def test_staff_may_post_the_same_words_twice(app, client, auth, make, forum):
    other = make.topic(forum.ben, forum.category, title="Fences and hedges", raw="Which hedge?")
    auth.login("fiona")
    _reply(client, app, forum.topic, "Welcome! Please read the guidelines.")
    _reply(client, app, other, "Welcome! Please read the guidelines.")
    assert len(posts_by(app, "fiona")) == 2


def test_a_post_waiting_for_approval_is_not_queued_twice(app, client, auth, make, forum, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_APPROVE_FIRST_POSTS", 1)
    make.user("cara")
    auth.login("cara")
    _reply(client, app, forum.topic, SAME)
    assert "You posted exactly this" in page_text(_reply(client, app, forum.topic, SAME))
    with app.app_context():
        assert len(db.session.execute(select(QueuedPost)).scalars().all()) == 1


def test_a_duplicate_by_mail_is_refused_with_the_reason(app, forum, clean_outbox):  # noqa: F811
    first_post = min(post.id for post in posts_by(app, "ben"))
    address = key_for(app, forum.aino, first_post)
    assert receive(app, raw_mail(address, SAME)).status == InboundStatus.POSTED
    outcome = receive(app, raw_mail(address, SAME))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "refused")
    assert "You posted exactly this a moment ago." in text_of(answers_to(app, "aino@example.org")[-1])


# --- rate limits ---------------------------------------------------------------------------------------

@pytest.fixture
def limited(app, tmp_path):
    """The test database, with rate limits on (in memory)."""
    limited_app = create_app({
        "TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "limited",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "FORUM_JOBS_IMMEDIATE": True,
        "FORUM_POST_LIMIT": "2 per minute", "FORUM_MESSAGE_LIMIT": "1 per minute",
    })
    yield limited_app
    # Flask-Limiter keeps its state on the one shared extension object: hand it back switched off.
    limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def _client(limited_app, username):
    client = limited_app.test_client()
    client.post("/login", data={"login": username, "password": PASSWORD})
    return client


def test_each_member_may_post_only_so_fast_and_others_are_not_held_up(limited, forum):
    aino, ben = _client(limited, "aino"), _client(limited, "ben")
    statuses = [_reply(aino, limited, forum.topic, f"Thought number {n}.").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert _reply(ben, limited, forum.topic, "My own thought.").status_code == 302


def test_each_member_may_start_conversations_only_so_fast(limited, forum):
    aino = _client(limited, "aino")

    def message(n):
        return aino.post("/messages/new", data={"recipients": "ben", "title": f"Question {n}", "raw": f"Hello {n}."})

    assert [message(n).status_code for n in range(2)] == [302, 429]


def test_rate_limits_are_kept_in_redis_when_it_is_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
