"""A newcomer's first visit in a real browser, on a laptop and a phone, with and without JavaScript: the
welcome and its first steps, choosing a picture (and a file that is none), pictures and initials beside the
names in a topic, and putting the welcome away for good. axe-core finds no WCAG 2.2 AA violation, no page is
wider than the screen, and screenshots go to tests/artifacts/ for review."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect

from forum.board.models import Topic
from forum.extensions import db
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
SCREENS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def _check(page, name: str, checker=None) -> None:
    """No WCAG AA violation, nothing wider than the screen, and a screenshot for review. axe-core needs
    JavaScript: for a page open without it, `checker` (a page with JavaScript but none of the forum's scripts)
    checks a copy of its document."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"avatars-{name}.png"), full_page=True)
    if checker is not None:
        checker.set_content(page.content())
    target = checker or page
    assert _violations(target) == [], f"{name}: {page.url}"
    overflow = target.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {page.url} is {overflow}px wider than the screen"


def _checker(browser, live_server, viewport):
    """A page on the forum's address whose own scripts never load, for checking copies of pages."""
    context = browser.new_context(base_url=live_server, viewport=viewport)
    context.route("**/*.js", lambda route: route.abort())
    checker = context.new_page()
    checker.goto("/login")
    return context, checker


def _photo(path):
    image = Image.new("RGB", (480, 320), (240, 200, 60))
    image.paste((30, 90, 170), (160, 0, 320, 320))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def place(app, make):
    """Aino's topic in Introductions, with a reply from Niamh, who joined today."""
    aino = make.user("aino", display_name="Aino Virtanen", organisation="EDUFI")
    niamh = make.user("niamh", display_name="Niamh Byrne", organisation="Plymouth City Council")
    category = make.category("Introductions", slug="introductions")
    topic_id = make.topic(aino, category, title="Hello from Jyväskylä", raw="Who else works on vocational education?")
    make.post(niamh, topic_id, "Hello Aino, family hubs here.")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}?page=1"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_a_newcomers_welcome_picture_and_topic(browser, live_server, place, tmp_path, console_errors, screen, javascript):
    context = browser.new_context(base_url=live_server, viewport=SCREENS[screen], java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    console_errors.watch(page)
    name = f"{screen}-{'js' if javascript else 'no-js'}"
    checker_context, checker = (None, None) if javascript else _checker(browser, live_server, SCREENS[screen])
    try:
        log_in(page, "niamh")
        page.goto("/latest")
        welcome = page.get_by_role("region", name="Welcome to Fellowship, Niamh Byrne")
        expect(welcome).to_be_visible()
        _check(page, f"{name}-1-welcome", checker)

        welcome.get_by_role("link", name="Introduce yourself").click()
        expect(page).to_have_url(f"{live_server}/c/introductions/new-topic")
        page.goto("/latest")

        welcome.get_by_role("link", name="Set your preferences").click()
        expect(page.locator(".avatar-choice .avatar")).to_have_text("NB")
        notes = tmp_path / "notes.txt"
        notes.write_text("Just some words, not a picture.")
        page.get_by_label("Choose a picture").set_input_files(str(notes))
        page.get_by_role("button", name="Upload a picture").click()
        expect(page.locator("#avatar-error")).to_contain_text("not a picture we can use")
        _check(page, f"{name}-2-picture-refused", checker)

        page.get_by_label("Choose a picture").set_input_files(str(_photo(tmp_path / "me.jpg")))
        page.get_by_role("button", name="Upload a picture").click()
        expect(page.get_by_text("Your picture is saved.")).to_be_visible()
        picture = page.locator(".avatar-choice img.avatar")
        expect(picture).to_be_visible()
        page.wait_for_load_state("load")  # pictures included
        assert picture.evaluate("img => img.complete && img.naturalWidth") == 192
        _check(page, f"{name}-3-picture-saved", checker)

        page.goto(place)  # waits for the load event, pictures included
        niamhs = page.locator("#post-2 .post-head img.avatar")
        expect(niamhs).to_have_attribute("alt", "")
        assert niamhs.evaluate("img => img.complete && img.naturalWidth") == 96
        expect(page.locator("#post-1 .post-head .avatar")).to_have_text("AV")
        expect(page.get_by_role("article", name="Niamh Byrne")).to_be_visible()
        _check(page, f"{name}-4-topic", checker)

        page.goto("/latest")
        page.get_by_role("button", name="Got it, hide this welcome").click()
        expect(welcome).to_have_count(0)
        if javascript:
            expect(page.locator("[data-welcome-status]")).to_have_text("The welcome is hidden; you will not see it again.")
            expect(page.get_by_role("heading", level=1, name="Latest topics")).to_be_focused()
        else:
            expect(page.get_by_text("You will not see the welcome again.")).to_be_visible()
        _check(page, f"{name}-5-welcome-hidden", checker)
        page.reload()
        expect(page.get_by_role("heading", level=1, name="Latest topics")).to_be_visible()
        expect(welcome).to_have_count(0)
        assert console_errors == [], "console errors or CSP violations:\n" + "\n".join(console_errors)
    finally:
        context.close()
        if checker_context is not None:
            checker_context.close()

