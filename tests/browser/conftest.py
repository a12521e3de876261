"""Fixtures for browser tests: the real app (CSRF on) served on a free local port, and a Chromium page
that records console errors (Chromium reports Content-Security-Policy violations there too).
"""

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
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
def open_page(browser, live_server, console_errors):
    """Opens pages in fresh browser contexts (no shared cookies: a second member gets their own)."""
    contexts = []

    def open_new():
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        new_page = context.new_page()
        console_errors.watch(new_page)
        return new_page

    yield open_new
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A fresh browser page whose relative URLs go to the live server."""
    return open_page()


def wait_for_scripts(page):
    """The page's scripts have run: its modules are deferred, and a click before them takes the plain path.
    The docked composer is their last step on a topic page."""
    expect(page.locator("section.composer.docked")).to_have_count(1)


def open_composer(page):
    """Opens a topic's docked composer from its bar (it starts minimised), as a member does to reply."""
    wait_for_scripts(page)
    toggle = page.locator("section.composer").get_by_role("button", name="Open the composer")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
