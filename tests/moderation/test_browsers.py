"""A session's browser in words for the member-moderation page: "Firefox on Windows" rather than the raw
user-agent string (which the page keeps beside it)."""

import pytest

from forum.moderation.browsers import browser_summary

CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36"
EDGE_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
                "Safari/537.36 Edg/131.0.2903.86")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.6 Mobile/15E148 Safari/604.1")
CHROME_IPAD = ("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 "
               "Mobile/15E148 Safari/604.1")
SAFARI_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
              "Safari/605.1.15")
SAMSUNG_ANDROID = ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36")
OPERA_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
                 "Safari/537.36 OPR/115.0.0.0")
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
CHROME_OS = ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
             "Safari/537.36")


@pytest.mark.parametrize(("user_agent", "summary"), [
    (CHROME_LINUX, "Chrome on Linux"),
    (HEADLESS, "Chrome on Linux"),
    (EDGE_WINDOWS, "Edge on Windows"),
    (FIREFOX_WINDOWS, "Firefox on Windows"),
    (SAFARI_IPHONE, "Safari on iPhone"),
    (CHROME_IPAD, "Chrome on iPad"),
    (SAFARI_MAC, "Safari on macOS"),
    (SAMSUNG_ANDROID, "Samsung Internet on Android"),
    (OPERA_WINDOWS, "Opera on Windows"),
    (FIREFOX_ANDROID, "Firefox on Android"),
    (CHROME_OS, "Chrome on ChromeOS"),
])
def test_the_major_browsers_and_systems_are_named(app, user_agent, summary):
    with app.test_request_context():
        assert browser_summary(user_agent) == summary


@pytest.mark.parametrize(("user_agent", "summary"), [
    ("curl/8.5.0", "curl"),
    ("python-requests/2.32.3", "python-requests"),
    ("Mozilla/5.0 (Aino laptop)", "Unknown browser"),
    ("Mozilla/5.0 (X11; Linux x86_64) SomeNewBrowser", "A browser on Linux"),
    ("", "Unknown browser"),
    (None, "Unknown browser"),
])
def test_anything_else_is_named_honestly(app, user_agent, summary):
    """A tool is named by its first word; what cannot be told is not guessed at."""
    with app.test_request_context():
        assert browser_summary(user_agent) == summary
