"""A session's browser in words ("Firefox on Windows") for the administrators' list of a member's sessions.

A small mapping of the major browsers and systems, not a full user-agent parser: enough to tell a member's
devices apart at a glance. The page keeps the raw string beside it for anything this does not name.
"""

import re

from flask_babel import gettext as _

# (token in the user-agent, name), first match wins: browsers built on Chrome also say "Chrome/" and "Safari/",
# so they come before it, and Chrome before Safari.
BROWSERS = [
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),  # on Android
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),  # HeadlessChrome/ too
    ("Chromium/", "Chromium"),
    ("Version/", "Safari"),  # Safari says its own version under "Version/"
]

# Android and ChromeOS say "Linux" too, and iPhones "like Mac OS X": the more particular come first.
SYSTEMS = [
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]

# A tool rather than a browser names itself first: "curl/8.5.0", "python-requests/2.32".
_PRODUCT = re.compile(r"^([A-Za-z][\w.-]*)/")


def _first_named(user_agent: str, names: list[tuple[str, str]]) -> str | None:
    return next((name for token, name in names if token in user_agent), None)


def browser_summary(user_agent: str | None) -> str:
    """"Chrome on Linux", "Safari on iPhone"; a tool by its own name; "Unknown browser" when nothing says."""
    user_agent = user_agent or ""
    browser = _first_named(user_agent, BROWSERS)
    system = _first_named(user_agent, SYSTEMS)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s", system=system)
    product = _PRODUCT.match(user_agent)
    if product and product.group(1) != "Mozilla":
        return product.group(1)
    return _("Unknown browser")
