"""Search in a real browser: top matches as you type, the results page, its tips, and WCAG checks."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from forum.board.models import Visibility
from tests.browser.conftest import ARTIFACTS, violations
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


def _menu_button(page):
    """The phone header's Menu button (a <summary>)."""
    return page.get_by_role("banner").locator("summary").filter(has_text="Menu")


def test_escape_closes_the_top_matches_first_and_then_the_phone_menu(page, community, console_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "aino")
    main_nav = page.get_by_role("navigation", name="Main")
    _menu_button(page).click()
    box = page.get_by_role("combobox", name="Search the forum")
    box.press_sequentially("learn", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option").first).to_be_visible()
    # With the list open, Escape closes the list and nothing else: the menu stays open, the words stay.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("learn")
    expect(main_nav).to_be_visible()
    expect(box).to_be_focused()
    # With no list open, Escape is the menu's: it closes, and focus goes back to its button.
    box.press("Escape")
    expect(main_nav).to_be_hidden()
    expect(_menu_button(page)).to_be_focused()
    # A box with too few letters for a list, in a menu opened again: Escape closes the menu at once.
    _menu_button(page).click()
    box.press_sequentially("l")
    box.press("Escape")
    expect(main_nav).to_be_hidden()
    assert console_errors == []


def test_escape_keeps_the_top_matches_closed_while_an_answer_is_on_its_way(page, community, console_errors):
    log_in(page, "aino")
    box = page.get_by_role("combobox", name="Search the forum")
    box.press_sequentially("learn", delay=30)
    listbox = page.locator("#quick-search-list")  # the list itself: a role query would skip it when hidden
    expect(listbox.get_by_role("option").first).to_be_visible()
    box.press_sequentially("i")  # a new look-up starts after a pause ...
    box.press("Escape")  # ... and Escape comes first
    expect(listbox).to_be_hidden()
    page.wait_for_timeout(800)  # past the pause and the answer
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert console_errors == []


def _photo(path):
    image = Image.new("RGB", (200, 200), (240, 200, 60))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_top_matches_show_the_members_and_the_topic_authors_avatars(page, community, tmp_path, console_errors):
    log_in(page, "aino")
    page.goto("/my/preferences")
    page.get_by_label("Choose a picture").set_input_files(str(_photo(tmp_path / "me.jpg")))
    page.get_by_role("button", name="Upload a picture").click()
    expect(page.get_by_text("Your picture is saved.")).to_be_visible()
    box = page.get_by_role("combobox", name="Search the forum")
    box.press_sequentially("learn", delay=30)
    topic = page.get_by_role("option", name="Learning cycles in Jyväskylä — Lounge", exact=True)
    expect(topic.locator("img.avatar")).to_have_attribute("alt", "")
    box.fill("")
    box.press_sequentially("finnish", delay=30)
    member = page.get_by_role("option", name=re.compile("^Aino Virtanen — @aino"))
    picture = member.locator("img.avatar")
    expect(picture).to_have_attribute("alt", "")
    expect(picture).to_have_attribute("src", re.compile(r"^/avatars/\d+/48/"))
    page.wait_for_function("img => img.complete && img.naturalWidth === 48", arg=picture.element_handle())
    assert picture.bounding_box()["width"] == 24
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-top-matches-avatars.png"))
    assert violations(page) == []
    assert console_errors == []
