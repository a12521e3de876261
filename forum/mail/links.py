"""Links that mail hands out to its own pages: the preference that controls an email, on /my/email."""

from forum.core import links
from forum.mail.unsubscribe import PREFERENCE_OF_KIND, is_known_kind

PREFERENCES = "mail.preferences"


def preference_anchor(kind: str) -> str:
    """The HTML id of the control for `kind` on /my/email (a kind of PREFERENCE_OF_KIND, or "list:<id>")."""
    if not is_known_kind(kind):
        raise ValueError(f"no email preference for {kind!r}")
    if kind.startswith("list:"):
        return f"email-list-{int(kind[5:])}"
    return f"email-{PREFERENCE_OF_KIND[kind]}"


def preference_url(kind: str) -> str:
    """The absolute link, for mail, to the preference that controls `kind`."""
    return links.url(PREFERENCES, absolute=True, anchor=preference_anchor(kind))
