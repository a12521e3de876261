"""A member's first visit, in a real browser: log in, start a topic, reply to it in place, read the
reply through the "1 reply" disclosure, then see it nested in the threaded view.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, wait_for_scripts
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "How do you run a reading circle?"
OPENING = "We meet every other Tuesday and keep losing track of who reads what."
REPLY = "We keep a shared list and rotate who chooses the next chapter."


def log_in(page, username):
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # On a phone the account links fold behind the menu button: the log-out form is there, not shown.
    expect(page.locator("form[action='/logout']")).to_be_attached()


def start_topic(page, category_name, title, text):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Categories").click()
    page.get_by_role("link", name=category_name).click()
    page.get_by_role("link", name="New topic").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your post").fill(text)
    page.get_by_role("button", name="Start topic").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def reply_to_post(page, number, text):
    """Reply to one post through the composer at the foot of the topic page (the JavaScript path)."""
    post = page.locator(f"#post-{number}")
    composer = page.locator("section.composer")
    wait_for_scripts(page)
    post.get_by_role("link", name="Reply", exact=True).click()
    expect(composer.get_by_text(re.compile(rf"Replying to @\w+ #{number}"))).to_be_visible()
    reply_box = composer.get_by_label("Your reply")
    expect(reply_box).to_be_focused()
    reply_box.fill(text)
    composer.get_by_role("button", name="Post reply").click()


def test_member_starts_a_topic_and_reads_a_reply_in_both_views(page, make, console_errors):
    make.user("aino", display_name="Aino Virtanen")
    make.category("Study circles")

    log_in(page, "aino")
    start_topic(page, "Study circles", TITLE, OPENING)
    expect(page.locator("#post-1")).to_contain_text(OPENING)

    reply_to_post(page, 1, REPLY)
    reply = page.locator("#post-2")
    expect(reply).to_contain_text(REPLY)
    expect(reply.get_by_role("link", name="in reply to @aino #1")).to_be_visible()

    disclosure = page.locator("#post-1 details.replies")
    wait_for_scripts(page)
    disclosure.get_by_text("1 reply", exact=True).click()
    expect(disclosure).to_have_attribute("open", "")
    # The fetched fragment replaces the no-JavaScript "Show the replies" link.
    expect(disclosure.get_by_role("link", name="Show the replies")).to_have_count(0)
    expect(disclosure.locator("article")).to_contain_text(REPLY)

    page.get_by_role("navigation", name="Topic view").get_by_role("link", name="Threaded").click()
    expect(page).to_have_url(re.compile(r"view=threaded"))
    expect(page.locator("#post-1")).to_have_class(re.compile(r"\bdepth-0\b"))
    expect(page.locator("#post-2")).to_have_class(re.compile(r"\bdepth-1\b"))
    expect(page.locator("#post-2")).to_contain_text(REPLY)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "journey-threaded.png"), full_page=True)

    assert console_errors == [], "console errors or CSP violations:\n" + "\n".join(console_errors)
