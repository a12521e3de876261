"""Fixtures for browser tests: the real app (CSRF on) served on a free local port, and a Chromium page
that records console errors (Chromium reports Content-Security-Policy violations there too); pages opened at a
laptop's or a phone's size, and the checks every new page gets (axe-core, width, a screenshot for review).
"""

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

from forum import create_app
from forum.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


@contextmanager
def serving(app, folder: Path, **config):
    """A live app on the test database, with CSRF protection on as in production, served on a free local
    port while the block runs; yields its base URL. `config` adds to or overrides its settings."""
    live_app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "FORUM_OUTBOX_DIR": str(folder / "outbox"),
            # The same index as the test app's, which the `search` fixture builds for tests that need one.
            "FORUM_SEARCH_INDEX_DIR": app.config["FORUM_SEARCH_INDEX_DIR"],
            "FORUM_JOBS_IMMEDIATE": True,
            "SERVER_NAME": None,
            **config,
        }
    )
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        # Release the live app's connections before the database is emptied for the next test.
        with live_app.app_context():
            db.engine.dispose()


@pytest.fixture
def live_server(app, tmp_path):
    """The base URL of a live app on the test database (see `serving`)."""
    with serving(app, tmp_path) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleErrors(list):
    """Console errors and uncaught exceptions seen by a page, as readable strings."""

    def watch(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.append(f"uncaught: {error}"))

    def _on_console(self, message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        self.append(f"{message.text} ({url or '?'}:{(message.location or {}).get('lineNumber', '?')})")


@pytest.fixture
def console_errors():
    return ConsoleErrors()


@pytest.fixture
def open_page(open_at):
    """Opens pages on a laptop's window in fresh browser contexts (no shared cookies: a second member gets
    their own)."""
    return lambda: open_at("laptop")


@pytest.fixture
def page(open_page):
    """A fresh browser page whose relative URLs go to the live server."""
    return open_page()


def wait_for_scripts(page):
    """The page's scripts have run (forum.js marks the page when all is wired): they are deferred modules,
    and a click before them takes the plain path."""
    expect(page.locator("html.enhanced")).to_have_count(1)


def open_composer(page):
    """Opens a topic's docked composer from its bar (it starts minimised), as a member does to reply."""
    wait_for_scripts(page)
    toggle = page.locator("section.composer").get_by_role("button", name="Open the composer")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()


@pytest.fixture(params=list(SIZES))
def size(request):
    """A laptop's window or a phone's screen."""
    return request.param


@pytest.fixture
def open_at(browser, live_server, console_errors):
    """Opens a page at a size, with or without JavaScript, in a fresh context (a member's own cookies)."""
    contexts = []

    def open_new(size, javascript=True):
        context = browser.new_context(base_url=live_server, viewport=SIZES[size], java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        console_errors.watch(page)
        return page

    yield open_new
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA findings, once the page has loaded. It counts a control half under a sticky bar
    or the docked composer as too small a target, which it is only while scrolled just so: the page is checked
    from its top."""
    # Its styles too: a page whose stylesheets are still on their way (a busy machine) is a row of small links.
    page.wait_for_load_state("load")
    page.evaluate("window.scrollTo(0, 0)")
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def overflow(page) -> list[str]:
    """The page's width past the screen's, with the elements that stick out (empty when it fits)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= window.innerWidth) return [];
        return [`page ${document.documentElement.scrollWidth}px wide on a ${window.innerWidth}px screen`].concat(
            [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
                .slice(0, 8)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(el.getBoundingClientRect().right)}px`));
    }""")


@contextmanager
def plain_copy(page):
    """A copy of a page opened without JavaScript, in a page that runs scripts but none of the forum's: axe-core
    and the width measurement are scripts themselves. The copy is of the document as shown (the answer to a
    refused form included), at the same size and on the forum's address, so that its styles apply."""
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        context.route("**/*.js", lambda route: route.abort())
        copy = context.new_page()
        origin = "/".join(page.url.split("/", 3)[:3])
        copy.goto(origin + "/login")
        copy.set_content(page.content())
        yield copy
    finally:
        context.close()


def check_page(page, shot: str, javascript: bool = True) -> None:
    """No WCAG 2.2 AA violation and nothing wider than the screen, and a screenshot in tests/artifacts/ for
    review. A page opened without JavaScript is checked through its plain copy."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    if javascript:
        assert violations(page) == [], f"{shot}: {page.url}"
        assert overflow(page) == [], f"{shot}: {page.url}"
        return
    with plain_copy(page) as copy:
        assert violations(copy) == [], f"{shot} without JavaScript: {page.url}"
        assert overflow(copy) == [], f"{shot} without JavaScript: {page.url}"
