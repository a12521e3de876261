"""A facilitator opens the Noticeboard, posts a notice and pins it; a member sees it as a banner on the page they
are on, dismisses it and stays there. axe-core finds no WCAG 2.2 AA violation on the facilitators' page or on a
page with the banner, and the pages run without a console error (a CSP violation would be one)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import violations
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_a_pinned_notice_reaches_a_member_as_a_banner_they_can_dismiss(page, open_page, make, console_errors):
    make.facilitator("fiona")
    make.user("aino")
    make.category("Introductions")

    log_in(page, "fiona")
    page.goto("/admin/noticeboard")
    assert violations(page) == [], "/admin/noticeboard, no Noticeboard yet"
    page.get_by_role("button", name="Open the Noticeboard and post a notice").click()
    page.get_by_label("Title").fill("Programme dates for the spring")
    page.get_by_label("Your post").fill("**Launch** on 2 April; the design workshop follows a week later.")
    page.get_by_role("button", name="Start topic").click()
    expect(page.get_by_role("heading", level=1, name="Programme dates for the spring")).to_be_visible()
    page.goto("/admin/noticeboard")
    page.get_by_role("button", name="Pin Programme dates for the spring").click()
    expect(page.get_by_text("Pinned: shown as the banner")).to_be_visible()
    assert violations(page) == [], "/admin/noticeboard with a pinned notice"

    member = open_page()
    log_in(member, "aino")
    member.goto("/c/introductions")
    notice = member.get_by_role("region", name="Notice from the facilitators")
    expect(notice.get_by_role("link", name="Programme dates for the spring")).to_be_visible()
    expect(notice.get_by_text("Launch on 2 April; the design workshop follows a week later.")).to_be_visible()
    assert violations(member) == [], "a page with the banner"
    notice.get_by_role("button", name="Dismiss").click()
    expect(member.get_by_role("heading", level=1, name="Introductions")).to_be_visible()
    assert member.url.endswith("/c/introductions")
    expect(member.get_by_role("region", name="Notice from the facilitators")).to_have_count(0)
    assert console_errors == []
