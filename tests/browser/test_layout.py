"""The pages a member meets, on a desktop (1280x800) and a phone (390x844), over the demo community: axe-core
finds no WCAG 2.2 AA violation (tap targets included), no page is wider than the screen, dates stay on one line
and topic titles on two at most, and the phone's menu button opens and closes the navigation, with JavaScript
and without. Screenshots of every page at both widths go to tests/artifacts/layout/ for review.

The demo community is loaded once for the module (it takes seconds), so these tests share it and leave the
database as they found it: none of them writes.
"""

import shutil
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from forum.auth.models import User
from forum.board.models import Category, Post, Topic
from forum.extensions import db
from forum.policy import can
from tests.browser.conftest import ARTIFACTS, SIZES, ConsoleErrors, overflow, serving, violations
from tests.conftest import SearchIndex, empty_database

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "fellowship-demo"
SHOTS = ARTIFACTS / "layout"

# (name, address, who looks): a visitor, a member for most, an admin for admin pages, a facilitator for the queue.
PAGES = [
    ("landing", "/", None),
    ("login", "/login", None),
    ("home", "/", "aino"),
    ("latest", "/latest", "aino"),
    ("categories", "/categories", "aino"),
    ("category", "/c/{category}", "aino"),
    ("long-topic", "{topic}", "aino"),
    ("long-topic-page-2", "{topic}?page=2", "aino"),
    ("long-topic-threaded", "{topic}?view=threaded", "aino"),
    ("topic-with-a-task-list", "{tasks}", "aino"),
    ("new-topic", "/c/{category}/new-topic", "aino"),
    ("search-results", "/search?q=learning", "aino"),
    ("notifications", "/notifications", "aino"),
    ("messages", "/messages", "aino"),
    ("preferences", "/my/preferences", "aino"),
    ("profile", "/u/aino", "aino"),
    ("experiments", "/experiments", "aino"),
    ("workshops", "/workshops", "aino"),
    ("admin-members", "/admin/users", "ruth"),
    ("admin-invitations", "/admin/invites", "ruth"),
    ("member-moderation", "/u/aino/moderate", "ruth"),  # aino's sessions (her log-in above) with their browser
    ("review-queue", "/review", "marcus"),
]


@pytest.fixture(autouse=True)
def _clean_database():
    """The demo community stays for the whole module (`demo_site` empties the database at its end)."""
    yield


@dataclass
class DemoSite:
    base_url: str
    places: dict


def _load_demo(app) -> dict:
    """The demo community (its longest topic spans pages), a flag waiting for a facilitator and an invitation;
    returns the addresses to visit."""
    from forum.auth import services as auth_services
    from forum.demo.loader import load_demo_community
    from forum.moderation import flags

    with app.test_request_context():
        load_demo_community()
        aino = db.session.execute(select(User).where(User.username_key == "aino")).scalar_one()
        jess = db.session.execute(select(User).where(User.username_key == "jess.w")).scalar_one()
        topic = db.session.execute(
            select(Topic).where(Topic.category_id.is_not(None)).order_by(Topic.post_count.desc()).limit(1)
        ).scalar_one()
        category = next(
            c for c in db.session.execute(select(Category).order_by(Category.position)).scalars()
            if can(aino, "create_topic", c)
        )
        flagged = db.session.execute(
            select(Post).where(Post.topic_id == topic.id, Post.user_id != jess.id, Post.post_number > 1).limit(1)
        ).scalar_one()
        flagged.topic = topic
        flags.flag(jess, flagged, "needs_facilitator", note="Please check the figures in this post.")
        ruth = db.session.execute(select(User).where(User.username_key == "ruth")).scalar_one()
        auth_services.invite_member(ruth, "kirsi.lindqvist-moreno@opetushallitus.example.fi", message="Welcome!")
        db.session.commit()
        tasks = next(
            t for t in db.session.execute(
                select(Topic).join(Post, Post.topic_id == Topic.id).where(Post.cooked.contains("task-list-item-checkbox"))
            ).scalars()
            if can(aino, "view_topic", t)
        )
        places = {"topic": f"/t/{topic.slug}/{topic.id}", "category": category.slug, "posts": topic.post_count,
                  "tasks": f"/t/{tasks.slug}/{tasks.id}"}
    return places


@pytest.fixture(scope="module")
def demo_site(app, tmp_path_factory):
    try:
        places = _load_demo(app)
        SearchIndex(app).rebuild()
        # Ten posts a page: the demo's longest topic spans several.
        with serving(app, tmp_path_factory.mktemp("layout"), FORUM_POSTS_PER_PAGE=10) as base_url:
            assert places["posts"] > 20, "the demo community needs a topic of three pages or more"
            yield DemoSite(base_url, places)
    finally:
        shutil.rmtree(SearchIndex(app).root, ignore_errors=True)
        empty_database(app)


@pytest.fixture(scope="module")
def logged_in(browser, demo_site):
    """Each visitor's cookies after logging in once (the pages then open in fresh contexts with them)."""
    states = {}
    for username in {who for _name, _path, who in PAGES if who}:
        context = browser.new_context(base_url=demo_site.base_url)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Username or email").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_attached()
        states[username] = context.storage_state()
        context.close()
    return states


@pytest.fixture
def open_as(browser, demo_site, logged_in):
    """Opens a page for a visitor on a screen, JavaScript on or off; records console errors."""
    contexts = []

    def opener(who, screen, javascript=True):
        context = browser.new_context(
            base_url=demo_site.base_url, viewport=SIZES[screen], java_script_enabled=javascript,
            storage_state=logged_in[who] if who else None,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = ConsoleErrors()
        page.errors.watch(page)
        return page

    yield opener
    for context in contexts:
        context.close()


def _wrapped(page) -> list[str]:
    """Dates on more than one line, and topic titles in lists on more than two."""
    return page.evaluate("""() => {
        const lines = el => {
            const tops = new Set([...el.getClientRects()].map(r => Math.round(r.top)));
            return tops.size;
        };
        const dates = [...document.querySelectorAll("main time")].filter(el => lines(el) > 1)
            .map(el => `date "${el.textContent.trim()}" on ${lines(el)} lines`);
        const titles = [...document.querySelectorAll(".topic-title > a, .search-hit h3 a")].filter(el => lines(el) > 2)
            .map(el => `title "${el.textContent.trim()}" on ${lines(el)} lines`);
        return dates.concat(titles);
    }""")


@pytest.mark.parametrize("screen", SIZES)
@pytest.mark.parametrize(("name", "path", "who"), PAGES, ids=[name for name, _path, _who in PAGES])
def test_page_fits_the_screen_and_meets_wcag_aa(open_as, demo_site, name, path, who, screen):
    page = open_as(who, screen)
    response = page.goto(path.format(**demo_site.places))
    assert response.ok, f"{path}: {response.status}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{screen}-{name}.png", full_page=True)
    assert overflow(page) == []
    assert violations(page) == []
    if screen == "phone":
        assert _wrapped(page) == []
    assert page.errors == []


def _menu_button(page):
    """The header's menu button (a <summary>: Chromium names its role DisclosureTriangle, not button)."""
    return page.get_by_role("banner").locator("summary").filter(has_text="Menu")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_menu_button_opens_and_closes_the_navigation_on_a_phone(open_as, javascript):
    page = open_as("aino", "phone", javascript=javascript)
    page.goto("/latest")
    main_nav = page.get_by_role("navigation", name="Main")
    account_nav = page.get_by_role("navigation", name="Account")
    expect(main_nav).to_be_hidden()
    expect(account_nav).to_be_hidden()
    button = _menu_button(page)
    expect(button).to_be_visible()
    button.click()
    expect(main_nav.get_by_role("link", name="Categories")).to_be_visible()
    expect(account_nav.get_by_role("link", name="Preferences")).to_be_visible()
    expect(page.get_by_role("search").get_by_role("combobox").or_(
        page.get_by_role("search").get_by_role("searchbox"))).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"phone-menu-open{'' if javascript else '-without-js'}.png")
    if javascript:  # axe-core is a script itself
        assert violations(page) == []
    main_nav.get_by_role("link", name="Categories").click()
    expect(page.get_by_role("heading", level=1, name="Categories")).to_be_visible()
    expect(main_nav).to_be_hidden()  # a new page starts with the menu closed
    _menu_button(page).click()
    expect(main_nav).to_be_visible()
    _menu_button(page).click()
    expect(main_nav).to_be_hidden()
    assert page.errors == []


def _menu_expanded(page) -> bool | None:
    """Whether assistive technology is told the menu button is expanded (Chromium's accessibility tree)."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    for node in nodes:
        if not node.get("ignored") and str(node.get("name", {}).get("value", "")).startswith("Menu"):
            states = {p["name"]: p["value"]["value"] for p in node.get("properties", [])}
            if "expanded" in states:
                return states["expanded"]
    return None


def test_menu_closes_with_escape_and_says_whether_it_is_open(open_as):
    page = open_as("aino", "phone")
    page.goto("/latest")
    button = _menu_button(page)
    assert _menu_expanded(page) is False
    button.click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert _menu_expanded(page) is True
    page.keyboard.press("Escape")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(button).to_be_focused()
    assert _menu_expanded(page) is False
    button.click()
    page.mouse.click(4, 830)  # a tap outside the open menu (in the page's margin, below it) closes it
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    assert page.errors == []


def test_header_stays_in_view_on_a_phone_and_the_menu_is_not_needed_on_a_desktop(open_as):
    phone = open_as("aino", "phone")
    phone.goto("/latest")
    phone.mouse.wheel(0, 2000)
    phone.wait_for_function("window.scrollY > 500")
    box = phone.get_by_role("banner").bounding_box()
    assert box["y"] == 0 and box["height"] <= 64, box
    desktop = open_as("aino", "laptop")
    desktop.goto("/latest")
    expect(_menu_button(desktop)).to_be_hidden()
    expect(desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Categories")).to_be_visible()
    expect(desktop.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()


def test_the_menu_button_shows_unread_notifications_on_a_phone(open_as, app):
    with app.app_context():
        from forum.notifications.models import Notification

        aino = db.session.execute(select(User.id).where(User.username_key == "aino")).scalar_one()
        unread = db.session.execute(
            select(func.count(Notification.id)).where(Notification.user_id == aino, Notification.read_at.is_(None))
        ).scalar_one()
    assert unread, "the demo leaves some notifications unread"
    page = open_as("aino", "phone")
    page.goto("/latest")
    expect(_menu_button(page)).to_be_visible()
    expect(_menu_button(page)).to_contain_text(f"{unread} unread")
