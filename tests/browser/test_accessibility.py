"""WCAG 2.2 AA checks with axe-core on the pages a member meets first, logged out and logged in."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from forum.board.models import Post, Topic, Visibility
from forum.extensions import db
from tests.browser.conftest import violations
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def community(app, make):
    aino = make.user("aino", display_name="Aino Virtanen", organisation="EDUFI")
    mikko = make.user("mikko")
    open_category = make.category("About the group", visibility=Visibility.PUBLIC, description="Who we are")
    topic_id = make.topic(aino, open_category, title="Learning cycles in Jyväskylä", raw="| a | b |\n|---|---|\n| 1 | 2 |")
    make.post(mikko, topic_id, "> quoted\n\nA **reply** with a [link](/latest).", reply_to=1)
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


def test_public_pages_meet_wcag_aa(page, community, console_errors):
    for url in ["/", "/login", "/password/forgot", community, "/no-such-page"]:
        page.goto(url)
        assert violations(page) == [], url
    # The browser reports the 404 page's own status as an error; nothing else may appear.
    assert [e for e in console_errors if "/no-such-page" not in e] == []


def test_member_pages_meet_wcag_aa(app, page, community, console_errors):
    with app.app_context():  # not always 1: PostgreSQL's ids go on counting after other tests' rows are gone
        first_post = db.session.execute(select(func.min(Post.id))).scalar_one()
    log_in(page, "aino")
    pages = ["/latest", "/categories", "/c/about-the-group", community, f"{community}?view=threaded",
             f"{community}/reply?to=1", "/c/about-the-group/new-topic", "/u/aino", "/my/preferences",
             "/new", "/unread", "/notifications", "/bookmarks", "/messages", "/messages/new", f"/p/{first_post}/bookmark"]
    for url in pages:
        page.goto(url)
        assert violations(page) == [], url
    page.goto("/c/about-the-group/new-topic")
    page.get_by_role("button", name="Start topic").click()
    assert violations(page) == [], "new topic form showing errors"
    assert console_errors == []


def test_the_skip_link_shows_when_focused_and_covers_nothing(page, community, console_errors):
    log_in(page, "aino")
    page.goto("/latest")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    link, brand = skip.bounding_box(), page.get_by_role("link", name="Fellowship").bounding_box()
    assert link["y"] + link["height"] <= brand["y"] or link["x"] + link["width"] <= brand["x"], "it lies over the brand"
    assert violations(page) == []
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert console_errors == []
