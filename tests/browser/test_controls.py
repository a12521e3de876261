"""Small controls, in a real browser on a laptop (1280x800) and a phone (390x844): when the member is asked
whether to keep a draft, the safe answer is the prominent one, and the small buttons of a topic are targets of
at least 24 by 24 pixels (WCAG 2.2, 2.5.8)."""

import re

import pytest
from playwright.sync_api import expect

from forum.board.models import Topic
from forum.extensions import db
from tests.browser.conftest import check_page, wait_for_scripts
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def circle(app, make):
    """Aino's topic in Study circles, and its address."""
    aino = make.user("aino", display_name="Aino Virtanen")
    topic_id = make.topic(aino, make.category("Study circles"), title="Reading circle", raw="We meet on Tuesdays.")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


def _filled(locator) -> bool:
    """Whether a button is drawn filled with a dark colour (the primary style) rather than outlined on white."""
    return locator.evaluate("""el => {
        const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\\d+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5;
    }""")


def _keep_is_the_primary_choice(keep, discard):
    expect(keep).to_be_visible()
    expect(discard).to_be_visible()
    assert _filled(keep), "keeping the draft is the primary (filled) button"
    assert not _filled(discard), "discarding the draft is not drawn as the primary button"
    assert keep.bounding_box()["x"] < discard.bounding_box()["x"] or keep.bounding_box()["y"] < discard.bounding_box()["y"], \
        "Keep comes first"


def test_cancelling_a_draft_offers_keep_as_the_primary_choice(open_at, circle, size, console_errors):
    page = open_at(size)
    log_in(page, "aino")
    page.goto("/c/study-circles/new-topic")
    wait_for_scripts(page)
    page.get_by_label("Title").fill("Half an idea")
    page.get_by_label("Your post").fill("Something about rotas")
    page.get_by_role("link", name="Cancel").click()
    dialog = page.get_by_role("dialog", name="Keep your draft?")
    keep = dialog.get_by_role("button", name="Keep the draft")
    expect(keep).to_be_focused()
    _keep_is_the_primary_choice(keep, dialog.get_by_role("button", name="Discard the draft"))
    check_page(page, f"controls-cancel-dialog-{size}")
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_the_draft_page_offers_keep_as_the_primary_choice(open_at, circle, size):
    page = open_at(size, javascript=False)
    log_in(page, "aino")
    page.goto("/c/study-circles/new-topic")
    page.get_by_label("Title").fill("Rota")
    page.get_by_label("Your post").fill("Who hosts in May?")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1, name="Keep your draft?")).to_be_visible()
    _keep_is_the_primary_choice(page.get_by_role("link", name="Keep the draft"),
                                page.get_by_role("button", name="Discard the draft"))
    check_page(page, f"controls-cancel-nojs-{size}", javascript=False)
    page.get_by_role("button", name="Discard the draft").click()
    expect(page).to_have_url(re.compile(r"/c/study-circles$"))


def _small_targets(page) -> list[str]:
    """Shown buttons, disclosures and choosers smaller than 24 by 24 pixels (links inside a sentence are exempt
    in WCAG, and are not counted)."""
    return page.evaluate("""() => [...document.querySelectorAll(
            "main button, main summary, main select, main input[type=submit], main input[type=checkbox], main input[type=radio], main .button")]
        .filter(el => el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true}))
        // A radio or checkbox inside its label is tapped through the whole label.
        .filter(el => !(el.matches("input[type=radio], input[type=checkbox]") && el.closest("label")))
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, box]) => box.width < 24 || box.height < 24)
        .map(([el, box]) => `${el.tagName.toLowerCase()} "${(el.textContent || el.name || "").trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`)
    """)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_buttons_of_a_topic_are_big_enough_to_tap(open_at, circle, size, javascript):
    page = open_at(size, javascript=javascript)
    log_in(page, "aino")
    page.goto(circle + "?page=1")
    expect(page.get_by_label("Notifications", exact=True)).to_be_visible()
    small = _small_targets(page)
    assert small == [], "\n".join(small)
