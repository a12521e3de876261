"""A newcomer's first visit in a real browser, on a laptop and a phone, with and without JavaScript: the
welcome and its first steps, choosing a picture (and a file that is none), pictures and initials beside the
names in a topic, and putting the welcome away for good. axe-core finds no WCAG 2.2 AA violation, no page is
wider than the screen, and screenshots go to tests/artifacts/ for review."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from forum.board.models import Topic
from forum.extensions import db
from tests.browser.conftest import SIZES, check_page
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser

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
@pytest.mark.parametrize("screen", SIZES)
def test_a_newcomers_welcome_picture_and_topic(browser, live_server, place, tmp_path, console_errors, screen, javascript):
    context = browser.new_context(base_url=live_server, viewport=SIZES[screen], java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    console_errors.watch(page)
    name = f"{screen}-{'js' if javascript else 'no-js'}"
    try:
        log_in(page, "niamh")
        page.goto("/latest")
        welcome = page.get_by_role("region", name="Welcome to Fellowship, Niamh Byrne")
        expect(welcome).to_be_visible()
        check_page(page, f"avatars-{name}-1-welcome", javascript)

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
        check_page(page, f"avatars-{name}-2-picture-refused", javascript)

        page.get_by_label("Choose a picture").set_input_files(str(_photo(tmp_path / "me.jpg")))
        page.get_by_role("button", name="Upload a picture").click()
        expect(page.get_by_text("Your picture is saved.")).to_be_visible()
        picture = page.locator(".avatar-choice img.avatar")
        expect(picture).to_be_visible()
        page.wait_for_load_state("load")  # pictures included
        assert picture.evaluate("img => img.complete && img.naturalWidth") == 192
        check_page(page, f"avatars-{name}-3-picture-saved", javascript)

        page.goto(place)  # waits for the load event, pictures included
        niamhs = page.locator("#post-2 .post-head img.avatar")
        expect(niamhs).to_have_attribute("alt", "")
        assert niamhs.evaluate("img => img.complete && img.naturalWidth") == 96
        expect(page.locator("#post-1 .post-head .avatar")).to_have_text("AV")
        expect(page.get_by_role("article", name="Niamh Byrne")).to_be_visible()
        check_page(page, f"avatars-{name}-4-topic", javascript)

        page.goto("/latest")
        page.get_by_role("button", name="Got it, hide this welcome").click()
        expect(welcome).to_have_count(0)
        if javascript:
            expect(page.locator("[data-welcome-status]")).to_have_text("The welcome is hidden; you will not see it again.")
            expect(page.get_by_role("heading", level=1, name="Latest topics")).to_be_focused()
        else:
            expect(page.get_by_text("You will not see the welcome again.")).to_be_visible()
        check_page(page, f"avatars-{name}-5-welcome-hidden", javascript)
        page.reload()
        expect(page.get_by_role("heading", level=1, name="Latest topics")).to_be_visible()
        expect(welcome).to_have_count(0)
        assert console_errors == [], "console errors or CSP violations:\n" + "\n".join(console_errors)
    finally:
        context.close()

