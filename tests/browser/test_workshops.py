"""A facilitator schedules a design workshop in the browser, a member answers and nominates; axe-core finds
no WCAG 2.2 AA violation on the workshop pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import violations
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_a_facilitator_schedules_and_a_member_answers_and_nominates_on_accessible_pages(
    page, open_page, make, console_errors
):
    make.category("Workshops", slug="workshops")
    make.facilitator("fiona")
    make.user("aino", timezone="Europe/Helsinki")

    log_in(page, "fiona")
    page.goto("/workshops/new")
    assert violations(page) == [], "/workshops/new"
    page.get_by_role("button", name="Schedule").click()
    assert violations(page) == [], "/workshops/new showing errors"
    page.get_by_label("Title").fill("Design workshop: relational commissioning")
    page.get_by_label("Type").select_option("design")
    page.get_by_label("Starts at (in the host's time zone)").fill("2030-04-02T10:00")
    page.get_by_label("Host's time zone", exact=True).select_option("Europe/London")
    page.get_by_label("Video-call link").fill("https://meet.example.org/design")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Design workshop: relational commissioning")
    workshop_url = page.url
    assert violations(page) == [], "workshop page, facilitator"

    member = open_page()
    log_in(member, "aino")
    member.goto(workshop_url)
    expect(member.get_by_text("Apr 2, 2030, 12:00 PM (Europe/Helsinki)")).to_be_visible()
    member.get_by_label("Going", exact=True).check()
    member.get_by_role("button", name="Save my answer").click()
    expect(member.get_by_text("Going: 1 · Maybe: 0 · Not going: 0")).to_be_visible()
    member.get_by_label("Idea or experiment").fill("Trust-based grants")
    member.get_by_label("Short pitch").fill("Fund relationships, not outputs.")
    member.get_by_role("button", name="Nominate").click()
    expect(member.get_by_text("1 supporters").or_(member.get_by_text("0 supporters"))).to_be_visible()
    assert violations(member) == [], "workshop page, member"
    for url in ["/workshops", "/my/calendar"]:
        member.goto(url)
        assert violations(member) == [], url
    assert console_errors == []
