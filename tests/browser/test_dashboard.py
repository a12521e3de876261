"""A facilitator reads the group's pulse in the browser: the charts draw under the Content-Security-Policy (no
console errors), a chart's numbers open as a table, the quiet-weeks form shows other experiments, and axe-core finds no
WCAG 2.2 AA violation, with a table open and with the form's error showing."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import violations
from tests.browser.test_journey import log_in
from tests.dashboard.conftest import pulse  # noqa: F401  (the fixture the community is built on)
from tests.dashboard.test_pulse import community  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_facilitator_reads_the_pulse_on_an_accessible_page(page, community, console_errors):  # noqa: F811
    log_in(page, "facilitator1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Facilitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Facilitation")
    chart = page.get_by_role("img", name="Posts and active members per week: Relational commissioning")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 50
    page.get_by_text("Numbers for Relational commissioning").click()
    table = page.get_by_role("table", name="Posts and active members per week: Relational commissioning")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(13)
    assert violations(page) == [], "/facilitation with a table open"

    # The field carries min and max, so the browser itself refuses 60; a hand-made address gets the message.
    page.goto("/facilitation?weeks=60")
    expect(page.get_by_text("Give a number of weeks from 1 to 52.")).to_be_visible()
    assert violations(page) == [], "/facilitation with the form's error"
    page.get_by_label("Weeks without a learning-log entry").fill("6")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name="Experiments with a quiet learning log")).to_contain_text("Quiet garden")
    # The browser reports the refused address's 400 as an error; nothing else may appear (a CSP violation would).
    assert [e for e in console_errors if "weeks=60" not in e] == []
