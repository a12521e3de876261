"""The latest pinned notice shows at the top of every page for a member until they open or dismiss it."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.auth.models import Group, User
from forum.board import queries as board_queries
from forum.board import services as board_services
from forum.board.models import Category, Post, Visibility
from forum.extensions import db
from forum.tracking.models import TopicUser
from tests.conftest import page_text
from tests.noticeboard.conftest import banner


@pytest.fixture
def member(noticeboard, auth):
    auth.login("aino")
    return noticeboard.member_id


def test_a_member_sees_the_pinned_notice_on_every_page_with_a_link_and_a_plain_excerpt(client, make, noticeboard, member):
    notice = noticeboard.notice()
    other = noticeboard.url(make.topic(member, make.category("General"), title="Something else"))
    for url in ("/latest", "/categories", "/my/preferences", "/notifications", other):
        text = banner(client.get(url))
        assert text == "Notice Programme dates for the spring Dates for the workshops Dismiss the notice “Programme dates for the spring”", url
    html = client.get("/latest").get_data(as_text=True)
    assert f'<a href="{noticeboard.url(notice)}">Programme dates for the spring</a>' in html
    assert 'aria-label="Notice from the facilitators"' in html


def test_opening_the_notice_makes_the_banner_go(client, noticeboard, member):
    notice = noticeboard.notice()
    page = client.get(noticeboard.url(notice))
    assert banner(page) is None  # not on the notice itself
    assert banner(client.get("/latest")) is None


def test_dismissing_marks_the_notice_read_and_goes_back_to_the_page(app, client, make, noticeboard, member):
    notice = noticeboard.notice()
    make.post(noticeboard.facilitator_id, notice, "A reply the member has not read.")
    response = client.post(f"/noticeboard/{notice}/dismiss", data={"next": "/categories?page=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/categories?page=1"
    assert banner(client.get("/categories")) is None
    with app.app_context():
        # The notice is read; its replies are not.
        assert db.session.get(TopicUser, (member, notice)).last_read_post_number == 1


def test_dismissing_is_for_this_member_only(client, auth, make, noticeboard, member):
    notice = noticeboard.notice()
    client.post(f"/noticeboard/{notice}/dismiss")
    make.user("mikko")
    auth.logout()
    auth.login("mikko")
    assert "Programme dates for the spring" in banner(client.get("/latest"))


def test_a_newer_pinned_notice_shows_after_the_last_one_was_read(client, noticeboard, member):
    first = noticeboard.notice()
    client.post(f"/noticeboard/{first}/dismiss")
    noticeboard.notice(title="Learning log template for cycle 2", raw="Please use the new template.")
    assert banner(client.get("/latest")).startswith("Notice Learning log template for cycle 2 Please use")


def test_only_the_newest_pinned_notice_shows_and_an_unpinned_one_never(client, noticeboard, member):
    older = noticeboard.notice(title="Older pinned notice")
    noticeboard.notice(title="Newest notice, not pinned", pinned=False)
    assert "Older pinned notice" in banner(client.get("/latest"))
    noticeboard.pin(older, pinned=False)
    assert banner(client.get("/latest")) is None


def test_a_deleted_notice_does_not_show(app, client, noticeboard, member):
    notice = noticeboard.notice()
    with app.test_request_context():
        first_id = db.session.execute(select(Post.id).where(Post.topic_id == notice, Post.post_number == 1)).scalar_one()
        board_services.delete_post(db.session.get(User, noticeboard.facilitator_id), board_queries.post_with_topic(first_id))
        db.session.commit()
    assert banner(client.get("/latest")) is None


def test_a_notice_in_a_noticeboard_the_member_cannot_read_never_shows(app, client, auth, make, noticeboard, member):
    insider = make.user("ishbel")
    group = make.group("Facilitators' circle", [insider])
    with app.test_request_context():
        category = db.session.get(Category, noticeboard.category_id, options=[selectinload(Category.groups)])
        board_services.save_category(
            make._system_admin(), category, name=category.name, slug=category.slug, visibility=Visibility.GROUPS,
            groups=[db.session.get(Group, group)], staff_only_topics=True,
        )
        db.session.commit()
    noticeboard.notice()
    assert banner(client.get("/latest")) is None
    auth.logout()
    auth.login("ishbel")
    assert "Programme dates" in banner(client.get("/latest"))


def test_the_author_of_a_notice_does_not_see_it_as_a_banner(client, auth, noticeboard):
    noticeboard.notice()
    auth.login("fiona")
    assert banner(client.get("/latest")) is None


def test_a_visitor_sees_no_banner(client, noticeboard):
    notice = noticeboard.notice()
    with client.application.app_context():
        db.session.get(Category, noticeboard.category_id).visibility = Visibility.PUBLIC
        db.session.commit()
    assert client.get(noticeboard.url(notice)).status_code == 200
    assert banner(client.get("/latest")) is None


# --- dismissing: POST with the form's token, and back to a page of this site only ---------------------------

def test_dismissing_needs_a_post(client, noticeboard, member):
    notice = noticeboard.notice()
    assert client.get(f"/noticeboard/{notice}/dismiss").status_code == 405
    assert banner(client.get("/latest")) is not None


def test_dismissing_needs_the_forms_csrf_token(app, client, noticeboard, member, monkeypatch):
    notice = noticeboard.notice()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/noticeboard/{notice}/dismiss").status_code == 400
    page = client.get("/latest")
    assert banner(page) is not None
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert client.post(f"/noticeboard/{notice}/dismiss", data={"csrf_token": token}).status_code == 302
    assert banner(client.get("/latest")) is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_dismissing_never_sends_the_member_to_another_site(client, noticeboard, member, target):
    notice = noticeboard.notice()
    response = client.post(f"/noticeboard/{notice}/dismiss", data={"next": target})
    assert response.headers["Location"] == "/latest"


def test_a_topic_outside_the_noticeboard_cannot_be_dismissed_through_it(app, client, make, noticeboard, member):
    topic = make.topic(member, make.category("General"))
    assert client.post(f"/noticeboard/{topic}/dismiss").status_code == 404
    assert client.post("/noticeboard/999999/dismiss").status_code == 404
    with app.app_context():
        assert db.session.get(TopicUser, (member, topic)).last_read_post_number == 1  # as its author, unchanged


def test_the_excerpt_is_plain_text_and_short(client, noticeboard, member):
    noticeboard.notice(raw="# Heading\n\n<script>alert(1)</script>\n\n```\ncode block\n```\n\n" + "word " * 100)
    text = banner(client.get("/latest"))
    assert "Heading word word" in text and "script" not in text and "code block" not in text
    assert "…" in text and len(text) < 300
    assert "<script>" not in page_text(client.get("/latest"))
