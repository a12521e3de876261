"""The composer of issue 22 in a real browser, on a laptop (1280x800) and a phone (390x844), with and without
JavaScript: the notice of a restored draft and its Discard, Cancel asking about the draft, the composer docked
at the foot of a topic with its toolbar and shortcuts, @mentions listed at the caret, recipients of a private
message completed like mentions, the Drafts page; axe-core finds no WCAG 2.2 AA violation and no page is wider
than the window. Screenshots of each page at both widths go to tests/artifacts/.
"""

import re

import pytest
from playwright.sync_api import expect

from forum.board.models import Topic
from forum.extensions import db
from tests.browser.conftest import SIZES, check_page, open_composer, wait_for_scripts
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser

@pytest.fixture
def circle(app, make):
    """Aino's topic with a few replies (enough to scroll), Mikko, and a group Aino belongs to."""
    aino = make.user("aino", display_name="Aino Virtanen")
    mikko = make.user("mikko", display_name="Mikko Korhonen")
    make.group("aino-circle", member_ids=[aino, mikko])
    category = make.category("Study circles")
    topic_id = make.topic(aino, category, title="Reading circle", raw="We meet on Tuesdays.")
    for n in range(2, 9):
        make.post(mikko if n % 2 else aino, topic_id, f"Reply number {n}: " + "words " * 40)
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return {"topic": f"/t/{topic.slug}/{topic.id}", "topic_id": topic.id, "category": "/c/study-circles"}


def _typing_in_a_reply(page, circle, text):
    """Mikko types `text` in the docked composer of the circle's topic, opened from its bar; the text box."""
    log_in(page, "mikko")
    page.goto(circle["topic"] + "?page=1")
    area = page.locator("section.composer").get_by_label("Your reply")
    open_composer(page)
    area.click()
    area.press_sequentially(text)
    return area


def test_restored_draft_is_announced_and_discarded_in_place(open_at, circle, size, console_errors):
    page = open_at(size)
    log_in(page, "aino")
    page.goto(circle["category"] + "/new-topic")
    page.get_by_label("Title").fill("Spring meeting")
    page.get_by_label("Your post").fill("Notes from the last meeting")
    expect(page.locator(".draft-status")).to_have_text("Draft saved")

    page.goto(circle["category"] + "/new-topic")
    notice = page.locator(".draft-notice")
    wait_for_scripts(page)
    expect(notice).to_contain_text(re.compile(r"Draft restored from .*\d"))
    expect(page.get_by_label("Your post")).to_have_value("Notes from the last meeting")
    check_page(page, f"composer-draft-notice-{size}")
    notice.get_by_role("button", name="Discard").click()
    expect(notice).to_have_count(0)
    expect(page.get_by_label("Your post")).to_have_value("")
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.locator(".draft-status")).to_have_text("Draft discarded")
    page.reload()
    expect(page.locator(".draft-notice")).to_have_count(0)
    expect(page.get_by_label("Your post")).to_have_value("")

    # Keep puts the notice away and leaves the text for the member to carry on.
    page.get_by_label("Your post").fill("A second start")
    expect(page.locator(".draft-status")).to_have_text("Draft saved")
    page.reload()
    wait_for_scripts(page)
    page.locator(".draft-notice").get_by_role("link", name="Keep").click()
    expect(page.locator(".draft-notice")).to_have_count(0)
    expect(page.get_by_label("Your post")).to_be_focused()
    assert console_errors == [], "\n".join(console_errors)


def test_cancel_offers_to_discard_the_draft(open_at, circle, size, console_errors):
    page = open_at(size)
    log_in(page, "aino")
    page.goto(circle["category"] + "/new-topic")
    wait_for_scripts(page)
    page.get_by_label("Title").fill("Half an idea")
    page.get_by_label("Your post").fill("Something about rotas")
    page.get_by_role("link", name="Cancel").click()
    dialog = page.get_by_role("dialog", name="Keep your draft?")
    expect(dialog).to_be_visible()
    check_page(page, f"composer-cancel-dialog-{size}")
    dialog.get_by_role("button", name="Go on writing").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Your post")).to_be_focused()

    page.get_by_role("link", name="Cancel").click()
    dialog.get_by_role("button", name="Keep the draft").click()
    expect(page).to_have_url(re.compile(r"/c/study-circles$"))
    page.goto("/drafts")
    expect(page.get_by_role("heading", name="New topic in Study circles")).to_be_visible()
    expect(page.get_by_text("Half an idea")).to_be_visible()
    check_page(page, f"composer-drafts-{size}")

    page.get_by_role("link", name=re.compile("^Open")).click()
    wait_for_scripts(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("dialog", name="Keep your draft?").get_by_role("button", name="Discard the draft").click()
    expect(page).to_have_url(re.compile(r"/c/study-circles$"))
    page.goto("/drafts")
    expect(page.get_by_text("No drafts.")).to_be_visible()
    assert console_errors == [], "\n".join(console_errors)


def test_docked_composer_stays_while_reading_with_toolbar_and_shortcuts(open_at, circle, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(circle["topic"] + "?page=1")
    composer = page.locator("section.composer")
    expect(composer).to_have_class(re.compile(r"\bdocked\b"))
    area = composer.get_by_label("Your reply")

    # Reading first: it starts as its bar, which opens it (as Discourse's opens on Reply).
    toggle = composer.get_by_role("button", name="Open the composer")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(area).to_be_hidden()
    assert composer.bounding_box()["height"] < 80
    composer.get_by_role("heading", name="Reply to this topic").click()
    expect(area).to_be_visible()
    # Whatever scrolls inside it, its Post reply button stays in sight.
    expect(composer.get_by_role("button", name="Post reply")).to_be_in_viewport()

    # Docked at the foot of the window while the member scrolls; the page is padded so the last post shows.
    page.mouse.wheel(0, 600)
    box = composer.bounding_box()
    assert abs(box["y"] + box["height"] - SIZES[size]["height"]) <= 1
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = page.locator("article.post").last.bounding_box()
    assert last["y"] + last["height"] <= composer.bounding_box()["y"] + 1, "the composer hides the last post"

    # Toolbar buttons name their shortcuts; the shortcuts work from the text box.
    toolbar = composer.get_by_role("toolbar", name="Formatting")
    for name in ["Bold (Ctrl+B)", "Italic (Ctrl+I)", "Link (Ctrl+K)", "Quote (Ctrl+Shift+.)", "Bulleted list (Ctrl+Shift+8)", "Code (Ctrl+E)", "Image (Ctrl+Shift+G)"]:
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_be_visible()
    area.fill("We read slowly")
    area.evaluate("a => a.setSelectionRange(3, 7)")
    area.press("Control+b")
    expect(area).to_have_value("We **read** slowly")
    area.press("End")
    area.press("Control+i")
    expect(area).to_have_value("We **read** slowly_italic text_")
    # The placeholder is selected, so typing replaces it; a selected word becomes a link's text.
    area.press_sequentially("gently")
    area.evaluate("a => { var i = a.value.indexOf('gently'); a.setSelectionRange(i, i + 6); }")
    toolbar.get_by_role("button", name="Link (Ctrl+K)").click()
    expect(area).to_have_value("We **read** slowly_[gently](https://)_")
    area.fill("first\nsecond")
    area.evaluate("a => a.setSelectionRange(0, a.value.length)")
    toolbar.get_by_role("button", name=re.compile("^Bulleted list")).click()
    expect(area).to_have_value("- first\n- second")
    # One tab stop: the arrow keys move between the buttons.
    toolbar.get_by_role("button", name="Bold (Ctrl+B)").focus()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Italic (Ctrl+I)")).to_be_focused()

    # With the preview shown, it sits beside the text on a wide screen and under it on a phone.
    composer.get_by_role("button", name="Show preview").click()
    expect(composer.locator(".preview-body li").first).to_have_text("first")
    text_box, preview_box = area.bounding_box(), composer.locator(".preview").bounding_box()
    if size == "laptop":
        assert preview_box["x"] >= text_box["x"] + text_box["width"], "preview beside the text"
    else:
        assert preview_box["y"] >= text_box["y"] + text_box["height"], "preview under the text"
    check_page(page, f"composer-docked-{size}")

    # Escape minimises it to its bar; the button (or Reply on a post) opens it again.
    area.focus()
    page.keyboard.press("Escape")
    expect(area).to_be_hidden()
    toggle = composer.get_by_role("button", name="Open the composer")
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert composer.bounding_box()["height"] < 80
    check_page(page, f"composer-docked-minimised-{size}")
    page.locator("#post-3").get_by_role("link", name="Reply", exact=True).click()
    expect(area).to_be_visible()
    expect(area).to_be_focused()
    expect(composer.get_by_text("Replying to @mikko #3")).to_be_visible()
    area.fill("We read **slowly**, and that is fine.")
    composer.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-9 strong")).to_have_text("slowly")
    assert console_errors == [], "\n".join(console_errors)


def test_composer_opens_by_itself_for_a_draft_or_a_link_to_it(open_at, circle, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(circle["topic"] + "?page=1#composer")
    composer = page.locator("section.composer")
    area = composer.get_by_label("Your reply")
    expect(area).to_be_visible()
    area.fill("Half a thought")
    expect(composer.locator(".draft-status")).to_have_text("Draft saved")

    # Back on the topic another day: the draft waits in an open composer, with its notice.
    page.goto(circle["topic"])
    expect(composer.locator(".draft-notice")).to_contain_text("Draft restored from")
    expect(area).to_be_visible()
    expect(area).to_have_value("Half a thought")
    assert console_errors == [], "\n".join(console_errors)


def test_mention_list_opens_at_the_caret_with_members_and_groups(open_at, circle, size, console_errors):
    page = open_at(size)
    area = _typing_in_a_reply(page, circle, "A first line\nand then thanks to @ain")
    menu = page.get_by_role("listbox")
    expect(menu.get_by_role("option", name=re.compile("@aino —"))).to_be_visible()
    expect(menu.get_by_role("option", name=re.compile("@aino-circle — aino-circle"))).to_be_visible()
    area_box, menu_box = area.bounding_box(), menu.bounding_box()
    # Not under the box's left edge but where the caret is: on the second line, after the text (or, on a
    # narrow screen, as near it as the window allows: against its right margin).
    window_width = SIZES[size]["width"]
    near_caret = menu_box["x"] > area_box["x"] + 60 or menu_box["x"] + menu_box["width"] >= window_width - 8.5
    assert near_caret and menu_box["x"] > area_box["x"], (menu_box, area_box)
    assert menu_box["y"] + menu_box["height"] <= SIZES[size]["height"], "the list stays within the window"
    check_page(page, f"composer-mentions-{size}")
    area.press("ArrowDown")
    area.press("Enter")
    expect(area).to_have_value("A first line\nand then thanks to @aino-circle ")
    assert console_errors == [], "\n".join(console_errors)


def test_private_message_recipients_complete_like_mentions(open_at, circle, size, console_errors):
    page = open_at(size)
    log_in(page, "aino")
    page.goto("/messages/new")
    wait_for_scripts(page)
    to = page.get_by_role("combobox", name=re.compile("^To"))
    to.press_sequentially("mik")
    expect(page.get_by_role("option", name=re.compile("@mikko — Mikko Korhonen"))).to_be_visible()
    expect(to).to_have_attribute("aria-expanded", "true")
    check_page(page, f"composer-recipients-{size}")
    to.press("Enter")
    expect(to).to_have_value("mikko, ")
    to.press_sequentially("aino-c")
    page.get_by_role("option", name=re.compile("@aino-circle")).click()
    expect(to).to_have_value("mikko, aino-circle, ")
    page.get_by_label("Subject").fill("Next session")
    with page.expect_response(lambda r: r.url.endswith("/drafts/message:0") and r.request.method == "PUT"):
        page.get_by_label("Message").fill("Shall we meet on Thursday?")
    expect(page.locator(".draft-status")).to_have_text("Draft saved")
    # Kept as a draft, recipients and all: back another time, it is all there, with the notice.
    page.goto("/messages/new")
    expect(page.locator(".draft-notice")).to_contain_text("Draft restored from")
    expect(to).to_have_value("mikko, aino-circle, ")
    expect(page.get_by_label("Message")).to_have_value("Shall we meet on Thursday?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1, name="Next session")).to_be_visible()
    expect(page.locator(".topic-meta")).to_contain_text("aino-circle")
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_the_same_journeys_work(open_at, circle, size, console_errors):
    page = open_at(size, javascript=False)
    log_in(page, "aino")
    # A topic's composer is today's form at the end of the page, not docked, with no toolbar.
    page.goto(circle["topic"] + "?page=1")
    composer = page.locator("section.composer")
    expect(composer).not_to_have_class(re.compile(r"\bdocked\b"))
    expect(composer.get_by_role("toolbar")).to_have_count(0)
    check_page(page, f"composer-topic-nojs-{size}", javascript=False)
    composer.get_by_label("Your reply").fill("Half a reply")
    composer.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()

    # The kept draft is announced when the member comes back; Discard is a form POST.
    page.goto(circle["topic"] + "?page=1")
    notice = page.locator("section.composer .draft-notice")
    expect(notice).to_contain_text("Draft restored from")
    expect(page.locator("section.composer").get_by_label("Your reply")).to_have_value("Half a reply")
    notice.get_by_role("button", name="Discard").click()
    expect(page.get_by_text("Draft discarded.")).to_be_visible()
    expect(page.locator("section.composer").get_by_label("Your reply")).to_have_value("")

    # Cancel on the new-topic page asks on a page of its own.
    page.goto(circle["category"] + "/new-topic")
    page.get_by_label("Title").fill("Rota")
    page.get_by_label("Your post").fill("Who hosts in May?")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1, name="Keep your draft?")).to_be_visible()
    check_page(page, f"composer-cancel-nojs-{size}", javascript=False)
    page.get_by_role("link", name="Keep the draft").click()
    expect(page).to_have_url(re.compile(r"/c/study-circles$"))
    page.goto("/drafts")
    expect(page.get_by_text("Who hosts in May?")).to_be_visible()
    check_page(page, f"composer-drafts-nojs-{size}", javascript=False)
    page.get_by_role("button", name=re.compile("^Discard")).click()
    expect(page.get_by_text("No drafts.")).to_be_visible()

    # A private message: recipients typed by hand.
    page.goto("/messages/new")
    page.get_by_label(re.compile("^To")).fill("mikko, aino-circle")
    page.get_by_label("Subject").fill("Without scripts")
    page.get_by_label("Message").fill("Plain forms still work.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1, name="Without scripts")).to_be_visible()
    assert console_errors == [], "\n".join(console_errors)


def test_a_file_picked_before_preview_goes_with_the_post_without_javascript(open_at, circle, tmp_path, console_errors):
    from PIL import Image

    chart = tmp_path / "rota.png"
    Image.new("RGB", (16, 16), "teal").save(chart)
    page = open_at("laptop", javascript=False)
    log_in(page, "aino")
    page.goto(circle["topic"] + "/reply")
    page.get_by_label("Your reply").fill("Here is the rota")
    page.get_by_label("Attach an image or file (optional)").set_input_files(str(chart))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("rota.png is attached")).to_be_visible()
    expect(page.locator(".preview-static img")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_value(re.compile(r"!\[rota\.png\]\(/uploads/\d+/rota\.png\)"))
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-9 img")).to_be_visible()
    assert console_errors == [], "\n".join(console_errors)


def test_escape_closes_an_open_name_list_but_not_the_composer(open_at, circle, size, console_errors):
    page = open_at(size)
    composer = page.locator("section.composer")
    area = _typing_in_a_reply(page, circle, "Thanks @ain")
    menu = page.get_by_role("listbox")
    expect(menu.get_by_role("option").first).to_be_visible()
    area.press("Escape")
    expect(menu).to_be_hidden()
    expect(area).to_be_visible()
    expect(area).to_be_focused()
    expect(area).to_have_value("Thanks @ain")
    # With no list open, Escape minimises the composer as before.
    area.press("Escape")
    expect(area).to_be_hidden()
    # Escape before the names come back: the composer minimises and no list turns up later, nor on reopening.
    composer.get_by_role("button", name="Open the composer").click()
    expect(area).to_be_focused()
    area.press("End")
    area.press_sequentially(" and @mik")
    area.press("Escape")
    expect(area).to_be_hidden()
    page.wait_for_timeout(800)  # past the pause after typing and the answer from the server
    composer.get_by_role("button", name="Open the composer").click()
    expect(area).to_be_visible()
    page.wait_for_timeout(300)
    names = page.locator("ul.completion-menu")  # the list itself: a role query would skip it when hidden
    expect(names).to_have_count(1)
    expect(names).to_be_hidden()
    assert console_errors == [], "\n".join(console_errors)


def test_name_options_show_members_avatars_and_a_group_icon(open_at, circle, size, console_errors):
    page = open_at(size)
    _typing_in_a_reply(page, circle, "Thanks @ain")
    menu = page.get_by_role("listbox")
    aino = menu.get_by_role("option", name="@aino — Aino Virtanen", exact=True)
    expect(aino).to_be_visible()
    # Initials on the member's colour, hidden from screen readers, which read the name beside them.
    initials = aino.locator(".avatar")
    expect(initials).to_have_text("AV")
    expect(initials).to_have_attribute("aria-hidden", "true")
    expect(initials).to_have_class(re.compile(r"\bavatar-24\b.*\bavatar-c\d+\b"))
    group = menu.get_by_role("option", name=re.compile("^@aino-circle — aino-circle"))
    expect(group.locator(".avatar")).to_have_count(0)
    expect(group.locator("svg use")).to_have_attribute("href", re.compile(r"/static/img/icons\.svg#users$"))
    box, avatar_box = aino.bounding_box(), initials.bounding_box()
    assert avatar_box["width"] == 24 and avatar_box["x"] < box["x"] + 16, "a small avatar at the start of the option"
    assert console_errors == [], "\n".join(console_errors)
