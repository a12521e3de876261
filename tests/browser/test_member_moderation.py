"""A facilitator silences a member from their profile, and the member reads why on the page they are on; the
facilitator suspends another member, whose open page logs them out and whose login says why and until when.
axe-core finds no WCAG 2.2 AA violation on the member-moderation page or a page with the notice, and the pages
run without a console error (a CSP violation would be one)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import violations
from tests.browser.test_journey import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

REASON = "Repeated personal remarks about other members"


def test_a_facilitator_silences_and_suspends_members_who_read_why(page, open_page, make, console_errors):
    make.facilitator("fiona")
    make.user("aino", display_name="Aino Virtanen")
    make.user("ben", display_name="Ben")
    make.category("Harbour")

    ben = open_page()
    log_in(ben, "ben")

    log_in(page, "fiona")
    page.goto("/u/aino")
    page.get_by_role("link", name="Moderate this member").click()
    expect(page.get_by_role("heading", level=1, name="Moderate Aino Virtanen")).to_be_visible()
    assert violations(page) == [], "the member-moderation page"
    silence = page.get_by_role("region", name="Read only (silence)")
    silence.get_by_label("For how many days").fill("3")
    silence.get_by_label("Reason").fill(REASON)
    silence.get_by_role("button", name="Silence").click()
    expect(page.get_by_text("Aino Virtanen is read only")).to_be_visible()
    expect(page.get_by_role("button", name="Lift the silence")).to_be_visible()

    aino = open_page()
    log_in(aino, "aino")
    aino.goto("/c/harbour")
    notice = aino.get_by_role("region", name="Your account")
    expect(notice).to_contain_text("You are read-only until")
    expect(notice).to_contain_text(REASON)
    assert violations(aino) == [], "a page with the read-only notice"

    page.goto("/u/ben/moderate")
    suspend = page.get_by_role("region", name="Suspension")
    suspend.get_by_label("For how many days").fill("7")
    suspend.get_by_label("Reason").fill("Spam")
    suspend.get_by_role("button", name="Suspend").click()
    expect(page.get_by_text("Ben is suspended")).to_be_visible()

    ben.goto("/c/harbour")
    expect(ben.get_by_role("navigation", name="Account").get_by_role("link", name="Log in")).to_be_visible()
    ben.goto("/login")
    ben.get_by_label("Username or email").fill("ben")
    ben.get_by_label("Password").fill(PASSWORD)
    ben.get_by_role("button", name="Log in").click()
    expect(ben.get_by_text("Your account is suspended until")).to_contain_text("The reason: Spam")
    refused_login = "the server responded with a status of 403 (FORBIDDEN)"  # the login page's own answer
    assert [error for error in console_errors if refused_login not in error or "/login" not in error] == []
