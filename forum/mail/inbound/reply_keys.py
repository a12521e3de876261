"""Reply keys: the secret in a notification email's Reply-To (``reply+<key>@<incoming domain>``).

A key is random (160 bits, in hex: mail software and our parser may change an address's case), bound to the member it was mailed to and the post it is about, and stored only as
its SHA-256: a copy of the database does not let anyone post as a member. A reply is matched by its key alone,
never by the In-Reply-To or References it names (Discourse PR #43058: a guessed Message-ID let mail into a
private topic). A key is good for KEY_LIFETIME after the email that carried it: long enough for a member back
from a holiday, short enough that an old forwarded email cannot be used to post for ever.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.inbound.models import ReplyKey

KEY_LIFETIME = timedelta(days=90)
_REPLY_ADDRESS = re.compile(r"^reply\+([0-9a-f]{32,64})@(.+)$", re.IGNORECASE)


def inbound_domain() -> str:
    """The domain the forum receives mail for (the mail domain when no incoming domain is configured)."""
    return (current_app.config.get("FORUM_INBOUND_DOMAIN") or current_app.config["FORUM_MAIL_DOMAIN"]).lower()


def _hash(key: str) -> str:
    return hashlib.sha256(key.lower().encode("ascii")).hexdigest()


def issue_key(user_id: int, post_id: int) -> str:
    """A new key for one email to the member about the post; only its hash is stored (in this transaction)."""
    key = secrets.token_hex(20)
    db.session.add(ReplyKey(key_hash=_hash(key), user_id=user_id, post_id=post_id))
    return key


def reply_address(key: str) -> str:
    return f"reply+{key}@{inbound_domain()}"


def key_in(address: str | None) -> str | None:
    """The key of a reply address at our incoming domain, or None for any other address."""
    match = _REPLY_ADDRESS.match((address or "").strip().strip("<>"))
    if match is None or match.group(2).lower() != inbound_domain():
        return None
    return match.group(1)


def find_key(address: str | None) -> ReplyKey | None:
    """The stored key a reply address names (expired or not: the caller tells the sender which), or None."""
    key = key_in(address)
    if key is None:
        return None
    return db.session.execute(select(ReplyKey).where(ReplyKey.key_hash == _hash(key))).scalar_one_or_none()


def is_expired(reply_key: ReplyKey) -> bool:
    return reply_key.created_at < utcnow() - KEY_LIFETIME
