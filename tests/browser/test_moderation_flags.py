"""A member flags a post; a facilitator sees it in the review queue and agrees, hiding it with a reason; the author
reads the reason on the post and in their notifications, and the flagger hears the outcome. axe-core finds no
WCAG 2.2 AA violation on the flag form, the review queue or the topic with a hidden post, and the pages run
without a console error (a CSP violation would be one)."""

import pytest
from playwright.sync_api import expect

from forum.board.models import Topic
from forum.extensions import db
from tests.browser.conftest import violations
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_a_flag_goes_through_the_review_queue_and_its_outcome_reaches_author_and_flagger(
    app, page, open_page, make, console_errors
):
    make.facilitator("fiona")
    aino = make.user("aino", display_name="Aino")
    make.user("ben", display_name="Ben")
    topic_id = make.topic(aino, make.category("Projects"), title="Harbour plans for the spring",
                          raw="Opening words about the harbour.")
    make.post(aino, topic_id, "The volunteers never do anything right.")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        url = f"/t/{topic.slug}/{topic.id}"

    log_in(page, "ben")
    page.goto(url)
    page.locator("#post-2").get_by_role("link", name="Flag").click()
    expect(page.get_by_role("heading", level=1, name="Flag post #2 in “Harbour plans for the spring”")).to_be_visible()
    assert violations(page) == [], "the flag form"
    page.get_by_label("Inappropriate: unkind, offensive or against the guidelines").check()
    page.get_by_label("Note for the facilitators").fill("Unkind about the volunteers.")
    page.get_by_role("button", name="Flag the post").click()
    expect(page.get_by_text("Thank you. A facilitator will look at it.")).to_be_visible()

    facilitator = open_page()
    log_in(facilitator, "fiona")
    facilitator.get_by_role("navigation", name="Main").get_by_role("link", name="Review (1)").click()
    expect(facilitator.get_by_role("heading", level=2, name="Flagged: post #2 in “Harbour plans for the spring”")) \
        .to_be_visible()
    expect(facilitator.get_by_text("Unkind about the volunteers.")).to_be_visible()
    assert violations(facilitator) == [], "/review with a flagged post"
    facilitator.get_by_label("Reason shown to the author").fill("Please keep criticism kind and specific")
    facilitator.get_by_role("button", name="Agree and hide").click()
    expect(facilitator.get_by_text("The post is hidden; the flaggers are told.")).to_be_visible()
    expect(facilitator.get_by_text("Nothing waits for review.")).to_be_visible()
    assert violations(facilitator) == [], "/review, empty"

    author = open_page()
    log_in(author, "aino")
    author.goto(url)
    hidden = author.locator("#post-2")
    expect(hidden.get_by_text("Hidden by a facilitator: Please keep criticism kind and specific")).to_be_visible()
    expect(hidden.get_by_text("The volunteers never do anything right.")).to_be_visible()
    assert violations(author) == [], "a topic with a hidden post, as its author"
    author.get_by_role("button", name="Notifications").click()
    expect(author.get_by_text("A facilitator hid your post in “Harbour plans for the spring”: "
                              "Please keep criticism kind and specific")).to_be_visible()

    page.goto(url)
    expect(page.locator("#post-2").get_by_text("A facilitator hid this post.")).to_be_visible()
    expect(page.get_by_text("The volunteers never do anything right.")).to_have_count(0)
    page.get_by_role("button", name="Notifications").click()
    expect(page.get_by_text("A facilitator agreed with your flag on a post in “Harbour plans for the spring” "
                            "and acted on it")).to_be_visible()
    assert console_errors == []
