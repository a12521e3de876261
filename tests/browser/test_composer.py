"""The composer in a browser: live preview, a draft saved as you type and found again on another device."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_composer
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_preview_and_draft_follow_the_member(page, open_page, make, console_errors):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category("General"), title="Reading circle", raw="Opening post")
    log_in(page, "aino")
    page.goto(f"/t/{topic_id}")
    open_composer(page)
    composer = page.locator("section.composer")
    composer.get_by_role("button", name="Show preview").click()
    composer.get_by_label("Your reply").fill("We read **two chapters** a month")
    expect(composer.locator(".preview-body strong")).to_have_text("two chapters")
    expect(composer.locator(".draft-status")).to_have_text("Draft saved")

    laptop = open_page()
    log_in(laptop, "aino")
    laptop.goto(f"/t/{topic_id}")
    expect(laptop.locator("section.composer").get_by_label("Your reply")).to_have_value("We read **two chapters** a month")
    laptop.locator("section.composer").get_by_role("button", name="Post reply").click()
    expect(laptop.locator("#post-2 strong")).to_have_text("two chapters")
    laptop.goto(f"/t/{topic_id}?page=1")
    expect(laptop.locator("section.composer").get_by_label("Your reply")).to_have_value("")
    assert console_errors == [], "\n".join(console_errors)
