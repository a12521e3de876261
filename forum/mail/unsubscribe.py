"""One-click unsubscribe: every email carries a signed link that turns off the kind of mail it is, for the
member it was sent to, without logging in (RFC 8058: List-Unsubscribe and List-Unsubscribe-Post headers).

A token names the member and the kind and is signed with the secret key: it cannot be made for another
member or another kind. It does not expire (an old email's link should still work), and using it twice is
harmless.
"""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from forum.core import links

# Kinds of mail a member can turn off, and the EmailPreferences column each one clears ("digest" sets the
# digest to off; "list:<category id>" ends mailing-list mode for that category).
PREFERENCE_OF_KIND = {
    "mentions": "mentions",
    "replies": "replies",
    "quotes": "quotes",
    "watching": "watching",
    "messages": "messages",
    "reminders": "reminders",
    "digest": "digest",
}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="fellowship.unsubscribe")


def is_known_kind(kind: str) -> bool:
    if kind.startswith("list:"):
        return kind[5:].isdigit()
    return kind in PREFERENCE_OF_KIND


def make_token(user_id: int, kind: str) -> str:
    if not is_known_kind(kind):
        raise ValueError(f"no unsubscribe for {kind!r}")
    return _serializer().dumps([user_id, kind])


def read_token(token: str) -> tuple[int, str] | None:
    """(member id, kind) that a token names, or None if it was not made here."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str) or not is_known_kind(kind):
        return None
    return user_id, kind


def unsubscribe_url(user_id: int, kind: str) -> str:
    return links.unsubscribe_url(make_token(user_id, kind))


def list_headers(user_id: int, kind: str) -> dict[str, str]:
    """The RFC 8058 headers: mail clients show an unsubscribe button that POSTs to the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
