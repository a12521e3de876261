"""Links: quotes point at a permalink that keeps working when the topic is retitled, only for those who may read
the post; mentions link to the member's profile; mail links are absolute at the configured base URL, also when
a job builds them outside any request."""

from types import SimpleNamespace

from sqlalchemy import select

from forum.auth.models import User
from forum.board import queries
from forum.board import services as board_services
from forum.board.models import Post, Topic, Visibility
from forum.core import links
from forum.extensions import db
from forum.notifications.models import Kind, Notification


def _first_post(app, topic_id) -> Post:
    with app.app_context():
        return db.session.execute(select(Post).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def _quote_of_first_post(app, topic_id) -> str:
    with app.test_request_context():
        post = db.session.execute(select(Post).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()
        return board_services.quote_markdown(post, db.session.get(User, post.user_id))


def test_quoting_a_post_notifies_its_author_through_the_permalink(app, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category(), raw="Learning is the strategy.")
    make.post(mikko, topic_id, _quote_of_first_post(app, topic_id) + "Yes.")
    with app.app_context():
        kinds = db.session.execute(select(Notification.kind).where(Notification.user_id == aino)).scalars().all()
    assert kinds == [Kind.QUOTED]


def test_a_quote_link_still_opens_the_post_after_the_topic_is_retitled(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category(), title="Old title here", raw="Learning is the strategy.")
    make.post(mikko, topic_id, _quote_of_first_post(app, topic_id) + "Yes.")
    with app.test_request_context():
        first = queries.post_with_topic(_first_post(app, topic_id).id)
        board_services.edit_post(db.session.get(User, aino), first, first.raw, title="A brand new title")
        db.session.commit()
    auth.login("mikko")
    page = client.get(f"/t/a-brand-new-title/{topic_id}").get_data(as_text=True)
    href = f"/p/{_first_post(app, topic_id).id}"
    assert f'<a href="{href}"' in page
    assert client.get(href).headers["Location"].endswith(f"/t/a-brand-new-title/{topic_id}?page=1#post-1")


def test_a_post_permalink_is_not_found_for_a_member_who_cannot_read_the_category(app, client, auth, make):
    aino = make.user("aino")
    make.user("pat")
    team = make.group("Team", member_ids=[aino])
    category = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    topic_id = make.topic(aino, category, raw="For the team only.")
    auth.login("pat")
    assert client.get(f"/p/{_first_post(app, topic_id).id}").status_code == 404


def test_a_mention_links_to_the_members_profile(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category(), raw="Over to @mikko")
    auth.login("aino")
    page = client.get(f"/t/a-topic-about-learning/{topic_id}").get_data(as_text=True)
    assert '<a href="/u/mikko" class="mention"' in page
    assert client.get("/u/mikko").status_code == 200


def test_mail_links_outside_a_request_are_absolute_at_the_base_url(app, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    base = app.config["FORUM_BASE_URL"]
    app.config["FORUM_BASE_URL"] = "https://forum.example.org/community/"
    try:
        with app.app_context():
            topic = db.session.get(Topic, topic_id)
            assert links.topic_url(topic, 3, absolute=True) == (
                f"https://forum.example.org/community/t/{topic.slug}/{topic_id}/3"
            )
            assert links.profile_url(SimpleNamespace(username="aino"), absolute=True) == (
                "https://forum.example.org/community/u/aino"
            )
            assert links.quoted_post("https://forum.example.org/community/p/7") == links.PostReference(post_id=7)
    finally:
        app.config["FORUM_BASE_URL"] = base


def test_mail_links_in_a_request_ignore_the_requests_host(app):
    with app.test_request_context(base_url="http://attacker.example"):
        assert links.absolute_url("auth.login") == app.config["FORUM_BASE_URL"].rstrip("/") + "/login"
        assert links.url("auth.login") == "/login"


def test_only_links_to_a_post_count_as_a_quote_source(app):
    with app.app_context():
        assert links.quoted_post("/t/some-title/12/3") == links.PostReference(topic_id=12, post_number=3)
        assert links.quoted_post("/p/5") == links.PostReference(post_id=5)
        assert links.quoted_post("/u/aino") is None
        assert links.quoted_post("https://elsewhere.example/p/5") is None
        assert links.quoted_post("/no/such/page") is None
