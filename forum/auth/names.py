"""Names members choose: kept without invisible characters, and refused when they would pass for another's.

A display name may not look like a facilitator's or administrator's (its "skeleton" — case, width, accents,
spacing, punctuation and a few look-alike letters folded away — equals theirs). A username may not differ
from an existing one only by case or by dots, dashes and underscores at its ends.
"""

import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.auth.models import Role, User
from forum.core.errors import DomainError
from forum.core.text import visible_text
from forum.extensions import db

# Look-alikes left after NFKD and case folding: Cyrillic and Greek letters drawn like Latin ones, digits
# drawn like letters, and i/l (a capital I folds to i; l, 1 and | look like it).
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
        "у": "y", "х": "x", "ѕ": "s", "і": "l", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "l", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "ω": "w", "γ": "y",
        "ı": "l", "ɡ": "g", "ɑ": "a", "0": "o", "1": "l", "i": "l", "|": "l",
    }
)
_STAFF_ROLES = (Role.FACILITATOR, Role.ADMIN)


def clean_name(text: str) -> str:
    """`text` in NFKC form (full-width letters become plain ones), without invisible characters, its runs
    of white space made single spaces."""
    return visible_text(text, "NFKC")


def skeleton(text: str) -> str:
    """What a name looks like, for comparison: 'Ｒúth  Аdmin.' and 'ruth admin' have the same skeleton."""
    folded = unicodedata.normalize("NFKD", clean_name(text).casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).translate(_CONFUSABLES)
    folded = "".join(ch for ch in folded if ch.isalnum())
    return folded.replace("rn", "m").replace("vv", "w")


def check_display_name(display_name: str, user_id: int | None = None) -> None:
    """Refuse a display name that would pass for the name of a facilitator or administrator (other than
    the member `user_id` themself). Staff are few: their names are compared here, not in SQL."""
    if not display_name:
        raise DomainError(_l("Please give a display name."), field="display_name")
    mine = skeleton(display_name)
    staff = db.session.execute(
        select(User.username, User.display_name).where(User.role.in_(_STAFF_ROLES), User.id != (user_id or 0))
    ).all()
    if any(mine in (skeleton(username), skeleton(name)) for username, name in staff):
        raise DomainError(
            _l("That name is too close to the name of a facilitator or administrator. Please choose another."),
            field="display_name",
        )


def username_stem(username: str) -> str:
    """The part of a username that tells it apart: without case, or dots, dashes and underscores at its ends."""
    return username.strip("._-").casefold()


def near_usernames(username: str) -> list[str]:
    """Existing usernames with the same stem (a username starts with a letter or digit, so only its end
    can differ by punctuation)."""
    stem = username_stem(username)
    pattern = stem.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    candidates = db.session.execute(select(User.username_key).where(User.username_key.like(pattern, escape="\\"))).scalars()
    return [key for key in candidates if username_stem(key) == stem]
