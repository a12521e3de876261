"""Search in a real browser: top matches as you type, the results page, its tips, and WCAG checks."""

import re

import pytest
from playwright.sync_api import expect

from forum.board.models import Visibility
from tests.browser.conftest import violations
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def community(make, search):
    aino = make.user("aino", display_name="Aino Virtanen", organisation="Finnish National Agency for Education")
    lounge = make.category("Lounge", visibility=Visibility.MEMBERS)
    topic = make.topic(aino, lounge, "Learning cycles in Jyväskylä", "Teachers in Jyväskylä restart each week.")
    make.post(aino, topic, "A reply about `<script>alert('x')</script>` safety.")
    search.sync()
    return topic


def test_top_matches_appear_as_you_type_and_open_with_the_keyboard(page, community, console_errors):
    log_in(page, "aino")
    box = page.get_by_role("combobox", name="Search the forum")
    box.press_sequentially("learn", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_contain_text("Learning cycles in Jyväskylä")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/t/learning-cycles-in-jyvaskyla/{community}"))
    # Members are among the top matches too, found by organisation.
    box = page.get_by_role("combobox", name="Search the forum")
    box.press_sequentially("finnish", delay=30)
    expect(page.get_by_role("option", name=re.compile("Aino Virtanen"))).to_be_visible()
    assert console_errors == []


def test_the_results_page_highlights_words_and_meets_wcag_aa(page, community, console_errors):
    log_in(page, "aino")
    box = page.get_by_role("combobox", name="Search the forum")
    box.fill("jyvaskyla")
    box.press("Enter")  # no option chosen: the form goes to the full results page
    expect(page.get_by_role("heading", name="1 post found")).to_be_visible()
    expect(page.locator("mark.hit").first).to_have_text("Jyväskylä")
    page.get_by_text("Search tips").click()
    expect(page.get_by_text("The exact phrase.")).to_be_visible()
    assert violations(page) == []
    page.goto("/search?q=safety")
    expect(page.locator(".search-snippet")).to_contain_text("<script>alert('x')</script>")
    page.goto("/search?q=rota+before:someday")
    expect(page.get_by_role("alert")).to_contain_text("Write dates as year-month-day")
    assert violations(page) == []
    assert console_errors == []
