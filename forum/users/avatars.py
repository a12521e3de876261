"""Members' pictures, and initials on a colour of their own for those without one, so that people are told
apart at a glance. A picture goes through the same decoding limits as an attachment (forum.uploads.images),
is cut square and re-encoded at a few sizes (which drops EXIF and anything else the file carried), and is
named by its content: its address changes with it, so browsers may keep it for good. Services flush, never
commit."""

import hashlib
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from forum.auth.models import User
from forum.core import links
from forum.core.errors import DomainError
from forum.extensions import db
from forum.policy import is_member
from forum.uploads import images
from forum.uploads.storage import storage

# The sides (in pixels) each picture is kept at; DISPLAY_SIDES picks one at twice the shown size, for sharp
# pictures on high-density screens.
SIDES = (48, 64, 96, 192)
DISPLAY_SIDES = {24: 48, 32: 64, 40: 96, 48: 96, 96: 192}
# The size of the avatars beside the names offered as you type (static/js/lib/listbox.js draws them so).
SUGGESTION_SIZE = 24
# As many colours as avatars.css has .avatar-c0 … classes (each with text contrast of at least 4.5:1).
PALETTE_SIZE = 12
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg"}
IMAGE_ENDPOINT = "users.avatar_image"
VIRAMA = 9  # the canonical combining class of the viramas of Indic scripts


class AvatarRefused(DomainError):
    def __init__(self, message):
        super().__init__(message, field="avatar")


def initials(display_name: str, username: str = "") -> str:
    """Up to two letters: of the first and the last word of the name (marks kept with their letter)."""
    words = [word for word in unicodedata.normalize("NFC", display_name).split() if word[0].isalnum()]
    if not words:
        words = [word for word in [username] if word and word[0].isalnum()]
    if not words:
        return "?"
    letters = [words[0]] if len(words) == 1 else [words[0], words[-1]]
    return "".join(_first_letter(word) for word in letters).upper()


def _first_letter(word: str) -> str:
    """The first character with the marks that follow it (a Devanagari consonant with its vowel sign), but
    not a virama, which would leave a half letter joining nothing."""
    end = 1
    while end < len(word) and unicodedata.category(word[end]).startswith("M") and unicodedata.combining(word[end]) != VIRAMA:
        end += 1
    return word[:end]


def colour_index(username: str) -> int:
    """The member's colour, from their username: the same on every page, process and day."""
    digest = hashlib.sha256(username.lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % PALETTE_SIZE


def display_side(size: int) -> int:
    """The stored side to show at `size` CSS pixels."""
    return DISPLAY_SIDES.get(size) or next((side for side in SIDES if side >= 2 * size), SIDES[-1])


def picture_url(user: User, size: int) -> str:
    """The address of the member's picture (they have one) as shown at `size` CSS pixels."""
    return links.url(IMAGE_ENDPOINT, user_id=user.id, side=display_side(size), name=user.avatar)


def for_script(user: User, size: int) -> dict:
    """What a script needs to draw the member's avatar as macros/avatar.html does: the picture's address (None
    for a member without one), and the initials on their colour otherwise."""
    return {
        "url": picture_url(user, size) if user.avatar else None,
        "initials": initials(user.display_name, user.username),
        "colour": colour_index(user.username),
    }


def storage_key(name: str, side: int) -> str:
    digest, extension = name.rsplit(".", 1)
    return f"avatars/{digest[:2]}/{digest}-{side}.{extension}"


def content_type(name: str) -> str:
    return CONTENT_TYPES["." + name.rsplit(".", 1)[1]]


def set_avatar(user: User, data: bytes) -> str | None:
    """Make `data` the member's picture; returns the picture it replaces (for delete_unused_files after
    commit). Raises AvatarRefused with the reason, or images.ImageTooLarge."""
    if not is_member(user):
        raise AvatarRefused(_l("Please log in to choose a picture."))
    if not data:
        raise AvatarRefused(_l("That file is empty."))
    limit = current_app.config["FORUM_MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise AvatarRefused(_l("Pictures are limited to %(mb)d MB.", mb=limit // (1024 * 1024)))
    try:
        found = images.square_versions(data, SIDES)
    except images.ImageTooLarge as error:
        raise AvatarRefused(error.message) from None
    if found is None:
        raise AvatarRefused(_l("That file is not a picture we can use: choose a PNG, JPEG, GIF or WebP image."))
    versions, _type, extension = found
    name = hashlib.sha256(versions[SIDES[-1]]).hexdigest() + extension
    store = storage()
    # Written even when present: the clean-up after another member's change may have just removed them.
    for side, body in versions.items():
        store.save(storage_key(name, side), body)
    previous, user.avatar = user.avatar, name
    db.session.flush()
    return previous if previous != name else None


def remove_avatar(user: User) -> str | None:
    """Back to initials; returns the picture removed (for delete_unused_files after commit)."""
    previous, user.avatar = user.avatar, None
    db.session.flush()
    return previous


def delete_unused_files(name: str | None) -> None:
    """After commit: a picture's files, unless another member uses the same picture."""
    if name is None:
        return
    if db.session.execute(select(exists().where(User.avatar == name))).scalar():
        return
    store = storage()
    for side in SIDES:
        store.delete(storage_key(name, side))
