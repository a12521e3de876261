"""Accepting uploads: the type is decided by the content, never by the name; images are decoded with
size limits and re-encoded (which drops EXIF and anything hidden in the file); only an allow-list of
document types is kept. Services flush, never commit."""

import codecs
import hashlib
import itertools
import re
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, func, insert, select

from forum.board.models import Post, Topic
from forum.core.errors import DomainError
from forum.extensions import db
from forum.policy import is_member, is_staff, visible_posts_filter, visible_topics_filter
from forum.uploads import archives, images
from forum.uploads.models import Upload, post_uploads
from forum.uploads.storage import storage

ZIP_DOCUMENTS = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
OPEN_DOCUMENTS = {
    b"application/vnd.oasis.opendocument.text": ".odt",
    b"application/vnd.oasis.opendocument.spreadsheet": ".ods",
    b"application/vnd.oasis.opendocument.presentation": ".odp",
}
UPLOAD_LINK = re.compile(r"/uploads/(\d{1,12})/")
TEXT_STEP = 64 * 1024


class UploadRefused(DomainError):
    pass


def _refuse(message):
    raise UploadRefused(message, field="file")


def _document(data: bytes, name: str) -> tuple[str, str] | None:
    """(content type, extension) for an allowed document, judged by its content."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_document(data)
    return _text_document(data, name)


def _zip_document(data: bytes) -> tuple[str, str] | None:
    """An OpenDocument (by its `mimetype` entry) or OOXML file (by its parts); raises UnsafeArchive for a bomb."""
    try:
        with archives.open_archive(data) as archive:
            names = archive.namelist()
            office_open_xml = _office_open_xml(names)
            if office_open_xml is None and "mimetype" not in names:
                return None  # some other archive: not worth unpacking
            archives.check_unpacked(archive, data)
            kind = archives.read_mimetype(archive)
    except archives.DamagedArchive:
        return None
    if kind is not None:
        extension = OPEN_DOCUMENTS.get(kind.strip())
        return (kind.strip().decode("ascii"), extension) if extension else None
    return office_open_xml


def _office_open_xml(names: list[str]) -> tuple[str, str] | None:
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in ZIP_DOCUMENTS.items():
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


def _text_document(data: bytes, name: str) -> tuple[str, str] | None:
    head = data[:4096].lstrip().lower()
    if b"\x00" in data or head.startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"#!")):
        return None
    if not _is_utf8(data):
        return None
    return ("text/csv", ".csv") if name.lower().endswith(".csv") else ("text/plain", ".txt")


def _is_utf8(data: bytes) -> bool:
    """Checked in steps: decoding 8 MB at once would build a string of up to 32 MB only to drop it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), TEXT_STEP):
            decoder.decode(view[start:start + TEXT_STEP])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _safe_name(name: str, extension: str) -> str:
    """Letters of any script (with their marks: vowel signs, accents), digits, `_ . -`; any run of anything
    else (spaces, quotes, `;`, line breaks, direction marks) becomes one dash. NFC first, so that a letter
    sent decomposed (as macOS does) stays one letter."""
    stem = unicodedata.normalize("NFC", name).rsplit(".", 1)[0]
    stem = "".join("".join(run) if kept else "-" for kept, run in itertools.groupby(stem, key=_name_character))
    return (stem.strip("-.")[:80] or "file") + extension


def _name_character(character: str) -> bool:
    return character.isalnum() or character in "_.-" or unicodedata.category(character).startswith("M")


def _judged(data: bytes, filename: str) -> tuple[bytes, str, str, int | None, int | None]:
    """The bytes to keep, their type, extension, and width and height for an image; refuses anything else."""
    image = images.reencoded(data)
    if image is not None:
        return image
    document = _document(data, filename)
    if document is None:
        _refuse(_l("That kind of file cannot be attached. Images, PDF, text, CSV and office documents can."))
    content_type, extension = document
    return data, content_type, extension, None, None


def _quota(user) -> int:
    return current_app.config["FORUM_UPLOAD_STAFF_QUOTA_BYTES" if is_staff(user) else "FORUM_UPLOAD_QUOTA_BYTES"]


def _stored_bytes(user) -> int:
    """What a member's uploads take in storage: the same file uploaded twice is kept, and counted, once."""
    per_file = (
        select(func.max(Upload.size).label("size")).where(Upload.user_id == user.id).group_by(Upload.sha256).subquery()
    )
    return db.session.execute(select(func.coalesce(func.sum(per_file.c.size), 0))).scalar_one()


def _already_has(user, digest: str) -> bool:
    return bool(db.session.execute(select(exists().where(Upload.user_id == user.id, Upload.sha256 == digest))).scalar())


def _refuse_over_quota(quota: int) -> None:
    _refuse(_l("Your uploads have used all of your %(mb)d MB of space.", mb=quota // (1024 * 1024)))


def store_upload(user, filename: str, data: bytes) -> Upload:
    """Check, clean and keep an uploaded file for `user`; raises a DomainError with the reason (UploadRefused,
    archives.UnsafeArchive or images.ImageTooLarge)."""
    if not is_member(user):
        _refuse(_l("Please log in to upload."))
    limit = current_app.config["FORUM_MAX_UPLOAD_BYTES"]
    if not data:
        _refuse(_l("That file is empty."))
    if len(data) > limit:
        _refuse(_l("Files are limited to %(mb)d MB.", mb=limit // (1024 * 1024)))
    quota = _quota(user)
    used = _stored_bytes(user)
    if used >= quota:
        _refuse_over_quota(quota)
    data, content_type, extension, width, height = _judged(data, filename)
    digest = hashlib.sha256(data).hexdigest()
    if used + len(data) > quota and not _already_has(user, digest):
        _refuse_over_quota(quota)
    key = f"{digest[:2]}/{digest}{extension}"
    # Written even when present: the clean-up may have just removed a file another upload of these bytes left.
    storage().save(key, data)
    upload = Upload(
        user_id=user.id, storage_key=key, sha256=digest, original_name=_safe_name(filename, extension),
        content_type=content_type, size=len(data), width=width, height=height,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def markdown_for(upload: Upload) -> str:
    url = f"/uploads/{upload.id}/{upload.original_name}"
    if upload.is_image:
        return f"![{upload.original_name}]({url})"
    return f"[{upload.original_name}]({url})"


def link_post_uploads(post: Post) -> None:
    """Record which of its author's uploads a post shows (that is what lets readers fetch them), and forget
    those an edit has taken out (the uploader can still fetch them; the clean-up deletes them later)."""
    ids = {int(i) for i in UPLOAD_LINK.findall(post.raw)}
    own = set()
    if ids:
        own = set(db.session.execute(select(Upload.id).where(Upload.id.in_(ids), Upload.user_id == post.user_id)).scalars())
    linked = set(db.session.execute(select(post_uploads.c.upload_id).where(post_uploads.c.post_id == post.id)).scalars())
    if linked - own:
        db.session.execute(
            delete(post_uploads).where(post_uploads.c.post_id == post.id, post_uploads.c.upload_id.in_(linked - own))
        )
    if own - linked:
        db.session.execute(insert(post_uploads), [{"post_id": post.id, "upload_id": i} for i in sorted(own - linked)])


def can_view_upload(user, upload: Upload) -> bool:
    """The uploader, or a member who can read a (not deleted) post that shows it."""
    if is_member(user) and user.id == upload.user_id:
        return True
    shown = exists().where(
        post_uploads.c.upload_id == upload.id,
        post_uploads.c.post_id == Post.id,
        visible_posts_filter(),
        Post.topic_id == Topic.id,
        visible_topics_filter(user, include_private=True),
    )
    return bool(db.session.execute(select(shown)).scalar())
