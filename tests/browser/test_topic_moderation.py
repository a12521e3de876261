"""A facilitator opens a topic's Moderate page from its header, closes the topic and splits a reply off into a
new topic; the member finds the closed topic without a reply form and the split post at its new address through
its old link. axe-core finds no WCAG 2.2 AA violation on the Moderate page, with and without a form error."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import violations
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_a_facilitator_closes_and_splits_a_topic_from_its_moderate_page(page, open_page, make, console_errors):
    make.facilitator("fiona")
    aino = make.user("aino")
    category = make.category("Harbour")
    topic_id = make.topic(aino, category, "Harbour plans for the spring", "Where do the boats go?")
    make.post(aino, topic_id, "On the east wall, I think.")
    make.post(aino, topic_id, "Off topic: who has the key to the hall?")  # post 3

    log_in(page, "fiona")
    page.goto(f"/t/harbour-plans-for-the-spring/{topic_id}?page=1")
    page.get_by_role("link", name="Moderate", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate this topic")
    assert violations(page) == [], "the Moderate page"

    page.get_by_role("button", name="Move to a new topic").click()  # nothing chosen: errors name the fields
    assert violations(page) == [], "the Moderate page with errors"
    page.get_by_label("#3 aino: Off topic: who has the key to the hall?").check()
    page.get_by_label("Title of the new topic").fill("The key to the hall")
    page.get_by_role("button", name="Move to a new topic").click()
    page.goto(f"/t/{topic_id}/moderate")
    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.get_by_text("The topic is closed")).to_be_visible()

    member = open_page()
    log_in(member, "aino")
    member.goto(f"/t/harbour-plans-for-the-spring/{topic_id}?page=1")
    expect(member.get_by_text("On the east wall, I think.")).to_be_visible()
    expect(member.locator("textarea[name=raw]")).to_have_count(0)
    member.goto(f"/t/harbour-plans-for-the-spring/{topic_id}/3")
    expect(member.get_by_role("heading", level=1)).to_have_text("The key to the hall")
    expect(member.get_by_text("Off topic: who has the key to the hall?")).to_be_visible()
    # The refused split answers 400 on purpose (the browser logs that); nothing else may show up, a CSP refusal
    # above all.
    assert [error for error in console_errors if "status of 400" not in error] == []
