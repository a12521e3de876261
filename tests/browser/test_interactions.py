"""Everyday interactions in a real browser, on a laptop (1280x800) and a phone (390x844): the header's
notifications and messages menus, like and bookmark in place, reminder presets, keyboard shortcuts and the
reading position; each also without JavaScript. axe-core finds no WCAG 2.2 AA violation, no page is wider than
the screen, and screenshots of each size are saved in tests/artifacts/ for review."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.auth.models import User
from forum.auth.sessions import end_all_sessions
from forum.board.models import Topic
from forum.extensions import db
from tests.browser.conftest import ARTIFACTS, check_page, open_composer, overflow, wait_for_scripts
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser

@pytest.fixture
def conversation(app, make):
    """Aino's topic with replies from Mikko (one mentions her), and its address."""
    aino = make.user("aino", display_name="Aino Virtanen", timezone="Europe/Helsinki")
    mikko = make.user("mikko", display_name="Mikko Korhonen", timezone="Europe/Helsinki")
    topic_id = make.topic(aino, make.category("Learning cycles"), title="What did cycle one teach us?", raw="Please add yours.")
    make.post(mikko, topic_id, "We learned to ask before we measure.", reply_to=1)
    make.post(mikko, topic_id, "And @aino asked the best question.")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


@pytest.fixture
def long_topic(app, make):
    """A topic of 30 posts (two pages of 20), and its address."""
    aino = make.user("aino", display_name="Aino Virtanen")
    mikko = make.user("mikko", display_name="Mikko Korhonen")
    topic_id = make.topic(aino, make.category("Learning cycles"), title="A long exchange", raw="Post one.")
    for n in range(2, 31):
        make.post(mikko if n % 2 else aino, topic_id, f"Post number {n} of the long exchange.")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        return f"/t/{topic.slug}/{topic.id}"


def _open_site_menu(page, size):
    """On a phone the header's links fold behind the Menu button (a <details>): open it if it is closed."""
    if size == "phone" and not page.evaluate("document.querySelector('details[data-site-menu]').open"):
        page.locator("details[data-site-menu] > summary").click()


def _mark_page(page):
    """A mark that only survives while no new page loads: in-place actions keep it."""
    page.evaluate("window.__stayed = true")


def _stayed(page) -> bool:
    return page.evaluate("window.__stayed === true")


def test_notifications_and_messages_open_as_menus_from_the_header(open_at, conversation, size, console_errors):
    page = open_at(size)
    log_in(page, "aino")
    page.goto("/latest")
    _open_site_menu(page, size)
    bell = page.get_by_role("button", name=re.compile(r"Notifications 2 unread"))
    expect(bell).to_have_attribute("aria-expanded", "false")
    _mark_page(page)
    bell.click()
    expect(bell).to_have_attribute("aria-expanded", "true")
    menu = page.locator("#notifications-menu")
    expect(menu.get_by_role("button", name=re.compile("Mikko Korhonen mentioned you"))).to_be_visible()
    expect(menu.get_by_role("button", name=re.compile("Mikko Korhonen replied to your post"))).to_be_visible()
    expect(menu.locator("svg.kind-mentioned")).to_have_count(1)
    expect(menu.locator(".avatar")).to_have_count(2)
    assert _stayed(page)
    check_page(page, f"interactions-notifications-menu-{size}")
    # Escape closes the menu and gives focus back to the bell.
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    if size == "laptop":  # on a phone the same Escape also folds the site menu away, as it should
        expect(bell).to_be_focused()
    # Messages opens the same way, closing nothing else behind it.
    _open_site_menu(page, size)
    page.get_by_role("button", name=re.compile(r"^Messages")).click()
    expect(page.locator("#messages-menu").get_by_text("No messages yet.")).to_be_visible()
    expect(page.locator("#messages-menu").get_by_role("link", name="All messages")).to_be_visible()
    assert overflow(page) == []
    # Opening a notification from the menu goes to the topic (at the first unread post) and marks it read.
    _open_site_menu(page, size)
    bell.click()
    menu.get_by_role("button", name=re.compile("Mikko Korhonen mentioned you")).click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    _open_site_menu(page, size)
    expect(page.get_by_role("button", name=re.compile(r"Notifications 1 unread"))).to_be_visible()
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_the_bell_and_messages_lead_to_their_pages(open_at, conversation, size):
    page = open_at(size, javascript=False)
    log_in(page, "aino")
    page.goto("/latest")
    _open_site_menu(page, size)
    page.get_by_role("link", name=re.compile(r"Notifications 2 unread")).click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    page.get_by_role("button", name=re.compile("Mikko Korhonen mentioned you")).click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    _open_site_menu(page, size)
    page.get_by_role("link", name=re.compile(r"^Messages")).click()
    expect(page).to_have_url(re.compile(r"/messages$"))
    check_page(page, f"interactions-messages-page-nojs-{size}", javascript=False)


def test_like_changes_in_place_and_is_announced(open_at, conversation, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(conversation)
    post = page.locator("#post-1")
    _mark_page(page)
    like = post.get_by_role("button", name="Like")
    like.click()
    liked = post.get_by_role("button", name="Liked")
    expect(liked).to_have_attribute("aria-pressed", "true")
    expect(post.get_by_role("link", name="1 like")).to_be_visible()
    expect(page.locator("#live-announcer")).to_have_text("You liked post #1.")
    assert _stayed(page)
    liked.click()
    expect(post.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "false")
    expect(post.locator(".like-count")).to_be_hidden()
    expect(page.locator("#live-announcer")).to_have_text("You took back your like of post #1.")
    assert _stayed(page)
    check_page(page, f"interactions-topic-{size}")
    assert console_errors == [], "\n".join(console_errors)


def test_like_after_being_logged_out_elsewhere_goes_to_the_login_page(app, open_at, conversation, size, console_errors):
    """The script's JSON 401 (not a redirect) makes it send the form the ordinary way, to the login page."""
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(conversation)
    wait_for_scripts(page)
    with app.app_context():
        mikko = db.session.execute(select(User).where(User.username == "mikko")).scalar_one()
        end_all_sessions(mikko)
        db.session.commit()
    page.locator("#post-1").get_by_role("button", name="Like").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_text("Please log in to see this page.")).to_be_visible()


def test_without_javascript_like_posts_and_comes_back_to_the_post(open_at, conversation, size):
    page = open_at(size, javascript=False)
    log_in(page, "mikko")
    page.goto(conversation)
    page.locator("#post-1").get_by_role("button", name="Like").click()
    expect(page).to_have_url(re.compile(r"#post-1$"))
    expect(page.locator("#post-1").get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#post-1").get_by_role("link", name="1 like")).to_be_visible()


def test_a_bookmark_menu_opened_just_above_the_open_composer_comes_into_view(open_at, long_topic, size, console_errors):
    page = open_at(size)
    log_in(page, "aino")
    page.goto(long_topic + "?page=1")
    open_composer(page)
    composer = page.locator("section.composer")
    post = page.locator("#post-3")
    # The post's actions sit just above the composer, so its menu would open underneath it.
    summary = post.locator("summary", has_text="Bookmark")
    summary.evaluate("(s, c) => window.scrollBy(0, s.getBoundingClientRect().bottom - c.getBoundingClientRect().top + 4)",
                     composer.element_handle())
    summary.click()
    save = post.get_by_role("button", name="Save bookmark")
    expect(save).to_be_visible()
    page.wait_for_timeout(400)  # a smooth scroll, where the reader asks for one, has ended
    # On a laptop the whole menu shows; a phone's open composer leaves room for its top at least.
    last = save if size == "laptop" else post.get_by_role("radio").first
    box = last.bounding_box()
    assert box["y"] + box["height"] <= composer.bounding_box()["y"], "under the composer"
    assert console_errors == [], "\n".join(console_errors)


def test_bookmark_with_a_reminder_preset_in_place(open_at, conversation, size, console_errors):
    page = open_at(size)
    log_in(page, "aino")
    page.goto(conversation)
    post = page.locator("#post-2")
    _mark_page(page)
    post.locator("summary", has_text="Bookmark").click()
    group = post.get_by_role("group", name="Remind me")
    expect(group.get_by_role("radio", name=re.compile("^Tomorrow"))).to_be_visible()
    check_page(page, f"interactions-bookmark-menu-{size}")
    group.get_by_role("radio", name=re.compile("^Tomorrow")).check()
    post.get_by_role("button", name="Save bookmark").click()
    expect(post.locator("summary")).to_have_text("Bookmarked")
    expect(page.locator("#live-announcer")).to_have_text(re.compile(r"^Bookmarked\. You will be reminded .*8:00"))
    expect(post.locator("summary")).to_be_focused()
    assert _stayed(page)
    # A custom time: typing one picks "Custom time".
    post.locator("summary").click()
    post.get_by_label("Custom reminder time").fill("2031-05-02T09:30")
    expect(group.get_by_role("radio", name="Custom time")).to_be_checked()
    post.get_by_role("button", name="Save bookmark").click()
    expect(page.locator("#live-announcer")).to_have_text(re.compile(r"reminded .*2031.*9:30"))
    # Removing it in place.
    post.locator("summary").click()
    post.get_by_role("button", name="Remove bookmark").click()
    expect(post.locator("summary")).to_have_text("Bookmark")
    expect(page.locator("#live-announcer")).to_have_text("Bookmark removed.")
    assert _stayed(page)
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_the_bookmark_menu_posts_and_comes_back(open_at, conversation, size):
    page = open_at(size, javascript=False)
    log_in(page, "aino")
    page.goto(conversation)
    post = page.locator("#post-2")
    post.locator("summary", has_text="Bookmark").click()
    post.get_by_role("radio", name=re.compile("^Next week")).check()
    post.get_by_role("button", name="Save bookmark").click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
    expect(page.get_by_role("status").filter(has_text="You will be reminded")).to_be_visible()
    expect(page.locator("#post-2 summary")).to_have_text("Bookmarked")
    page.goto("/bookmarks")
    expect(page.get_by_text(re.compile(r"Reminder:.*8:00"))).to_be_visible()
    check_page(page, f"interactions-bookmarks-nojs-{size}", javascript=False)


def test_keyboard_shortcuts_move_like_reply_and_list_themselves(open_at, conversation, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(conversation)
    page.locator("h1").click()
    page.keyboard.press("j")
    expect(page.locator("#post-1")).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator("#post-2")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator("#post-1")).to_be_focused()
    expect(page.locator("#post-1")).to_have_class(re.compile("is-selected"))
    # With a modifier held the browser's own shortcut wins: nothing moves.
    page.keyboard.press("Control+j")
    expect(page.locator("#post-1")).to_be_focused()
    page.keyboard.press("l")
    expect(page.locator("#post-1").get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("r")
    reply_box = page.locator("section.composer textarea")
    expect(reply_box).to_be_focused()
    expect(page.locator(".replying-to")).to_contain_text("@aino #1")
    # Typing in a field types: j is a letter there.
    reply_box.press_sequentially("jk")
    expect(reply_box).to_have_value(re.compile("jk$"))
    expect(page.locator("#post-1").get_by_role("button", name="Liked")).to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("Next post")).to_be_visible()
    check_page(page, f"interactions-shortcuts-{size}")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_no_shortcut_is_offered(open_at, conversation, size):
    page = open_at(size, javascript=False)
    log_in(page, "mikko")
    page.goto(conversation)
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_reading_position_follows_the_reader_and_jumps_to_any_post(open_at, long_topic, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(long_topic + "?page=1")
    position = page.get_by_role("navigation", name="Position in this topic")
    expect(position.locator(".position-now")).to_have_text("1 of 30")
    check_page(page, f"interactions-reading-position-{size}")
    # Scrolling down the page moves the count along.
    page.locator("#post-12").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('post-12').scrollIntoView({block: 'start'})")
    expect(position.locator(".position-now")).to_have_text("12 of 30")
    # A post on this page: in place.
    _mark_page(page)
    position.get_by_label("Go to post").fill("17")
    position.get_by_role("button", name="Go").click()
    expect(page.locator("#post-17")).to_be_focused()
    expect(page.locator("#post-17")).to_be_in_viewport()
    expect(position.locator(".position-now")).to_have_text("17 of 30")
    assert _stayed(page)
    # A post on the next page: the form loads the page that holds it.
    position.get_by_label("Go to post").fill("26")
    position.get_by_role("button", name="Go").click()
    expect(page).to_have_url(re.compile(r"page=2#post-26$"))
    expect(page.locator("#post-26")).to_be_in_viewport()
    expect(position.locator(".position-now")).to_have_text("26 of 30")
    # A link to a post counts that post, not the one before it peeking out above; j starts from it.
    page.goto(long_topic + "/5")
    expect(position.locator(".position-now")).to_have_text("5 of 30")
    page.keyboard.press("j")
    expect(page.locator("#post-5")).to_have_class(re.compile("is-selected"))
    page.keyboard.press("j")
    expect(page.locator("#post-6")).to_have_class(re.compile("is-selected"))
    expect(position.locator(".position-now")).to_have_text("6 of 30")
    assert overflow(page) == []
    assert console_errors == [], "\n".join(console_errors)


def test_without_javascript_go_to_post_still_gets_there(open_at, long_topic, size):
    page = open_at(size, javascript=False)
    log_in(page, "mikko")
    page.goto(long_topic + "?page=1")
    position = page.get_by_role("navigation", name="Position in this topic")
    expect(position.locator(".position-now")).to_have_text("1 of 30")
    position.get_by_label("Go to post").fill("26")
    position.get_by_role("button", name="Go").click()
    expect(page).to_have_url(re.compile(r"page=2#post-26$"))
    expect(page.get_by_role("navigation", name="Position in this topic").locator(".position-now")).to_have_text("21 of 30")
    check_page(page, f"interactions-reading-position-nojs-{size}", javascript=False)


def _bottom_of_header_and_top_of_position(page) -> list[float]:
    """After two frames (the header's size observer has run), where the header ends and the bar begins."""
    return page.evaluate("""() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done([
        document.querySelector('.site-header').getBoundingClientRect().bottom,
        document.querySelector('.reading-position').getBoundingClientRect().top]))))""")


def test_on_a_phone_the_reading_position_stays_below_a_header_grown_by_large_text(open_at, long_topic, console_errors):
    page = open_at("phone")
    log_in(page, "mikko")
    page.goto(long_topic + "?page=1")
    wait_for_scripts(page)
    page.locator("#post-12").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 400)")
    header, position = _bottom_of_header_and_top_of_position(page)
    assert header <= position + 0.5, (header, position)
    # Text at twice its size (as a reader's setting or 200% zoom makes it): the header grows taller.
    page.evaluate("document.querySelector('.site-header').style.fontSize = '200%'")
    grown, position = _bottom_of_header_and_top_of_position(page)
    assert grown > header + 10
    assert grown <= position + 0.5, f"the header (to {grown}px) covers the reading position (from {position}px)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "interactions-reading-position-large-header-phone.png"))
    assert console_errors == [], "\n".join(console_errors)


def test_a_new_notification_level_is_saved_in_place_and_named(open_at, conversation, size, console_errors):
    page = open_at(size)
    log_in(page, "mikko")
    page.goto(conversation)
    _mark_page(page)
    page.get_by_label("Notifications", exact=True).select_option("watching")
    expect(page.locator("#live-announcer")).to_have_text(re.compile(r"^You are now watching this topic"))
    page.get_by_label("Notifications", exact=True).select_option("muted")
    expect(page.locator("#live-announcer")).to_have_text(re.compile(r"^You have muted this topic"))
    assert _stayed(page)
    assert console_errors == [], "\n".join(console_errors)


@pytest.fixture
def busy_inbox(app, make):
    """Aino's topic where Mikko has mentioned her ten times: a full notifications menu."""
    aino = make.user("aino", display_name="Aino Virtanen")
    mikko = make.user("mikko", display_name="Mikko Korhonen")
    topic_id = make.topic(aino, make.category("Learning cycles"), title="What did cycle one teach us?", raw="Please add yours.")
    for n in range(10):
        make.post(mikko, topic_id, f"Point {n + 1} for @aino: we learned to ask before we measure.")


def test_on_a_phone_the_notifications_menu_fits_the_screen_and_its_foot_is_reachable(open_at, busy_inbox, console_errors):
    page = open_at("phone")
    log_in(page, "aino")
    page.goto("/latest")
    wait_for_scripts(page)
    _open_site_menu(page, "phone")
    page.get_by_role("button", name=re.compile(r"^Notifications")).click()
    menu = page.locator("#notifications-menu")
    expect(menu.get_by_role("button", name=re.compile("Mikko Korhonen mentioned you")).first).to_be_visible()
    # However long the list, its foot is on the screen without scrolling, and stays there while scrolling.
    foot = [menu.get_by_role("link", name="All notifications"), menu.get_by_role("button", name="Mark all as read")]
    for control in foot:
        expect(control).to_be_in_viewport()
    menu.get_by_role("button", name=re.compile("Mikko Korhonen mentioned you")).nth(5).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "interactions-notifications-menu-scrolled-phone.png"))
    for control in foot:
        expect(control).to_be_in_viewport()
    menu.get_by_role("button", name="Mark all as read").click()
    _open_site_menu(page, "phone")
    expect(page.get_by_role("button", name=re.compile(r"^Notifications"))).not_to_contain_text("unread")
    page.get_by_role("button", name=re.compile(r"^Notifications")).click()
    menu.get_by_role("link", name="All notifications").click()
    expect(page).to_have_url(re.compile(r"/notifications$"))
    assert console_errors == [], "\n".join(console_errors)


def test_on_a_phone_the_menu_names_notifications_and_messages_in_words(open_at, conversation):
    page = open_at("phone")
    log_in(page, "aino")
    page.goto("/latest")
    _open_site_menu(page, "phone")
    account = page.get_by_role("navigation", name="Account")
    for label in ("Notifications", "Messages"):
        words = account.get_by_text(label, exact=True)
        expect(words).to_be_in_viewport()
        assert words.bounding_box()["width"] > 40, f"{label} is shown in words, not only to screen readers"
    # Words, not an icon beside a stray underlined space: only the words are underlined.
    bell = account.get_by_role("button", name=re.compile("^Notifications"))
    assert bell.evaluate("el => getComputedStyle(el).textDecorationLine") == "none"
    assert bell.get_by_text("Notifications", exact=True).evaluate("el => getComputedStyle(el).textDecorationLine") == "underline"


def test_unread_notifications_stand_out_by_more_than_colour(open_at, conversation, size):
    """WCAG 1.4.1: an unread notification has a dot and bolder words, not only another colour or hidden text."""
    page = open_at(size)
    log_in(page, "aino")
    page.goto("/notifications")
    page.get_by_role("button", name=re.compile("Mikko Korhonen mentioned you")).click()
    page.goto("/latest")
    _open_site_menu(page, size)
    page.get_by_role("button", name=re.compile(r"^Notifications")).click()
    menu = page.locator("#notifications-menu")
    unread = menu.locator("li", has_text="replied to your post")
    read = menu.locator("li", has_text="mentioned you")
    expect(unread).to_be_visible()
    looks = """el => {
        const text = el.querySelector(".notification-text"), box = text.getBoundingClientRect();
        // What is drawn just before the words, on their first line: a dot, or nothing.
        const before = [...el.querySelectorAll("button *")].filter(e => {
            const b = e.getBoundingClientRect();
            return b.width >= 6 && b.width <= 14 && b.height >= 6 && b.right <= box.left && b.top < box.top + 20 && b.bottom > box.top
                && getComputedStyle(e).backgroundColor !== "rgba(0, 0, 0, 0)" && getComputedStyle(e).borderRadius === "50%";
        });
        return {weight: Number(getComputedStyle(text).fontWeight), dot: before.length > 0};
    }"""
    unread_look, read_look = unread.evaluate(looks), read.evaluate(looks)
    assert unread_look["dot"] and not read_look["dot"], (unread_look, read_look)
    assert unread_look["weight"] > read_look["weight"], (unread_look, read_look)
    check_page(page, f"interactions-notifications-read-and-unread-{size}")
