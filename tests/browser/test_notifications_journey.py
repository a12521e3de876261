"""Two members, two browsers: one replies with a @mention and an image; the other sees the bell,
opens the notification, lands on the post, and the topic then counts as read."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, open_composer
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def second_page(open_page):
    return open_page()


def _chart(tmp_path):
    path = tmp_path / "cycle-chart.png"
    image = Image.new("RGB", (120, 60), (31, 95, 153))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_mention_with_image_rings_the_bell_and_reading_clears_it(page, second_page, make, tmp_path, console_errors):
    aino = make.user("aino", display_name="Aino Virtanen")
    make.user("mikko", display_name="Mikko Korhonen")
    topic_id = make.topic(aino, make.category("Learning cycles"), title="What did cycle one teach us?", raw="Please add yours.")

    # Aino opens her topic first, so that it is read up to the start.
    log_in(second_page, "aino")
    second_page.goto(f"/t/{topic_id}")
    expect(second_page.get_by_role("heading", level=1)).to_have_text("What did cycle one teach us?")

    # Mikko replies with a mention (completed from the list) and an image from the file picker.
    log_in(page, "mikko")
    page.goto(f"/t/{topic_id}")
    open_composer(page)
    reply_box = page.locator("section.composer").get_by_label("Your reply")
    reply_box.click()
    reply_box.press_sequentially("Thanks @ain")
    option = page.get_by_role("option", name=re.compile("@aino"))
    expect(option).to_be_visible()
    reply_box.press("Enter")
    expect(reply_box).to_have_value(re.compile(r"Thanks @aino $"))
    reply_box.press_sequentially("here is our chart:")
    page.get_by_label("Attach an image or file (optional)").set_input_files(str(_chart(tmp_path)))
    expect(reply_box).to_have_value(re.compile(r"!\[cycle-chart\.png\]\(/uploads/\d+/cycle-chart\.png\)"))
    page.get_by_role("button", name="Post reply").click()
    post = page.locator("#post-2")
    expect(post.locator("a.mention")).to_have_text("@aino")
    expect(post.locator("img")).to_be_visible()

    # Aino's bell shows one unread notification; opening it lands on Mikko's post.
    second_page.goto("/latest")
    bell = second_page.get_by_role("button", name=re.compile(r"Notifications 1 unread"))
    expect(bell).to_be_visible()
    bell.click()
    second_page.locator("#notifications-menu").get_by_role("button", name=re.compile("Mikko Korhonen mentioned you")).click()
    expect(second_page).to_have_url(re.compile(r"#post-2$"))
    expect(second_page.locator("#post-2 img")).to_be_visible()
    expect(second_page.get_by_role("button", name=re.compile(r"^Notifications$"))).to_be_visible()

    # The post scrolled into view, so the topic is read: it leaves the unread list.
    second_page.wait_for_timeout(2500)
    second_page.goto("/unread")
    expect(second_page.get_by_text("What did cycle one teach us?")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mention-with-image.png"), full_page=True)
    assert console_errors == [], "console errors or CSP violations:\n" + "\n".join(console_errors)
