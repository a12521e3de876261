"""Approval at the gate: a new member's first posts, and posts with links from members with few posts, wait for a
facilitator; their author reads that they wait and finds them at the top of the topic and on their profile;
approving writes them through the one write path. Off by default; staff posts and private messages never wait."""

import pytest
from sqlalchemy import select

from forum.core.errors import NotAllowed
from forum.extensions import db
from forum.moderation import held
from forum.moderation.models import ModerationAction, QueuedPost, QueueStatus
from tests.conftest import page_text
from tests.moderation.member_setup import as_member, build, posts_by, topic_row, user


@pytest.fixture
def forum(make):
    return build(make)


@pytest.fixture
def first_posts(app, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_APPROVE_FIRST_POSTS", 2)


def _topic_url(app, forum) -> str:
    return f"/t/{topic_row(app, forum.topic).slug}/{forum.topic}"


def _reply(client, app, forum, raw):
    return client.post(f"{_topic_url(app, forum)}/reply", data={"raw": raw})


def _queued(app, status=QueueStatus.PENDING) -> list[QueuedPost]:
    with app.app_context():
        return list(db.session.execute(
            select(QueuedPost).where(QueuedPost.status == status).order_by(QueuedPost.id)
        ).scalars())


def _approve(app, queued_id, by="fiona"):
    return as_member(app, by, lambda me: held.approve(me, db.session.get(QueuedPost, queued_id)))


def test_a_new_members_first_posts_wait_and_their_author_sees_them_waiting(app, client, auth, make, forum,
                                                                           first_posts):
    cara = make.user("cara", display_name="Cara")
    auth.login("cara")
    response = _reply(client, app, forum, "My very first words here.")
    assert response.status_code == 302
    topic_page = page_text(client.get(response.location))
    assert "first posts wait for a facilitator" in topic_page
    assert "Awaiting approval" in topic_page and "My very first words here." in topic_page
    assert posts_by(app, "cara") == []
    new_topic = client.post("/c/harbour/new-topic", data={"title": "Seaweed as mulch", "raw": "Does it work?"})
    assert new_topic.status_code == 302
    profile = page_text(client.get("/u/cara"))
    assert "Awaiting approval" in profile and "My very first words here." in profile
    assert "New topic: Seaweed as mulch" in profile
    auth.logout()

    auth.login("ben")
    assert "My very first words here." not in page_text(client.get(_topic_url(app, forum)))
    assert "Awaiting approval" not in page_text(client.get("/u/cara"))
    auth.logout()

    reply, topic = _queued(app)
    assert (reply.rule, reply.user_id, topic.title) == ("first_posts", cara, "Seaweed as mulch")
    _approve(app, reply.id)
    _approve(app, topic.id)
    assert sorted(post.raw for post in posts_by(app, "cara")) == ["Does it work?", "My very first words here."]
    assert _queued(app) == [] and len(_queued(app, QueueStatus.APPROVED)) == 2

    auth.login("cara")  # two approved: the third post goes straight through
    _reply(client, app, forum, "Now I can post freely.")
    assert "Now I can post freely." in [post.raw for post in posts_by(app, "cara")]
    assert "Awaiting approval" not in page_text(client.get("/u/cara"))


def test_a_rejected_post_leaves_its_authors_waiting_list(app, client, auth, make, forum, first_posts):
    make.user("cara")
    auth.login("cara")
    _reply(client, app, forum, "Buy cheap seeds at my shop.")
    [queued] = _queued(app)
    as_member(app, "fiona", lambda me: held.reject(me, db.session.get(QueuedPost, queued.id), "Advertising"))
    assert "Buy cheap seeds" not in page_text(client.get(_topic_url(app, forum)))
    assert "Awaiting approval" not in page_text(client.get("/u/cara"))
    with app.app_context():
        assert db.session.execute(select(ModerationAction.action)).scalars().all() == ["queued_post.reject"]


def test_only_facilitators_approve(app, make, forum, first_posts):
    make.user("cara")
    with app.test_request_context():
        from forum.board import services as board
        from forum.board.models import Topic

        board.create_post(user("cara"), db.session.get(Topic, forum.topic), "Waiting for approval.")
        db.session.commit()
    [queued] = _queued(app)
    with pytest.raises(NotAllowed):
        _approve(app, queued.id, by="ben")
    assert _queued(app)[0].id == queued.id


def test_staff_posts_and_private_messages_never_wait(app, client, auth, make, forum, first_posts):
    make.facilitator("flora")
    auth.login("flora")
    _reply(client, app, forum, "Welcome, everyone.")
    assert [post.raw for post in posts_by(app, "flora")] == ["Welcome, everyone."]
    auth.logout()
    make.user("cara")
    auth.login("cara")
    client.post("/messages/new", data={"recipients": "ben", "title": "A private question", "raw": "Hello Ben."})
    assert [post.raw for post in posts_by(app, "cara")] == ["Hello Ben."] and _queued(app) == []


def test_posts_with_links_from_members_with_few_posts_wait(app, client, auth, make, forum, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_APPROVE_LINKS_BELOW_POSTS", 2)
    make.user("cara")
    auth.login("cara")
    own = app.config["FORUM_BASE_URL"]
    _reply(client, app, forum, f"As we said in {own}/t/other/3, sea kale.")  # the forum's own links are fine
    response = _reply(client, app, forum, "See [my blog](https://seeds.example.com/kale) for kale.")
    assert "Posts with links from new members wait" in page_text(client.get(response.location))
    _reply(client, app, forum, "And no links in this one.")
    assert [queued.rule for queued in _queued(app)] == ["links"]
    _reply(client, app, forum, "Now www.seeds.example.com is fine: I have two posts.")
    assert len(posts_by(app, "cara")) == 3 and len(_queued(app)) == 1


def test_approval_is_off_by_default(app, client, auth, make, forum):
    make.user("cara")
    auth.login("cara")
    _reply(client, app, forum, "Hello from https://example.com, my first post.")
    assert len(posts_by(app, "cara")) == 1 and _queued(app) == []


def test_the_waiting_list_costs_the_topic_page_at_most_one_query(app, client, auth, make, forum, count_queries,
                                                                 monkeypatch):
    make.user("cara")
    auth.login("cara")
    url = _topic_url(app, forum)
    client.get(url)

    def cost():
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.n

    off = cost()
    monkeypatch.setitem(app.config, "FORUM_APPROVE_FIRST_POSTS", 2)
    _reply(client, app, forum, "Waiting here.")
    assert cost() <= off + 1 and "Waiting here." in page_text(client.get(url))


def test_the_member_moderation_page_lists_their_waiting_posts_while_the_review_queue_has_some(
        app, client, auth, make, forum, first_posts):
    """The header's review count (a number) must not stand in for the member's waiting posts (a list): with
    something in the queue, the page once failed, and with nothing it said "None." whatever waited."""
    make.user("cara")
    auth.login("cara")
    _reply(client, app, forum, "My very first words here.")
    auth.logout()
    auth.login("fiona")
    response = client.get("/u/cara/moderate")
    assert response.status_code == 200
    waiting = page_text(response).split("Posts waiting for approval", 1)[1]
    assert "My very first words here." in waiting.split("Recent staff actions", 1)[0]
