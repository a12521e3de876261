"""Uploads no post shows: the composer uploads before the post exists, and a member may never post it, or
edit the link away. After FORUM_UPLOAD_ORPHAN_HOURS such an upload is deleted, unless one of its uploader's
drafts still mentions it; its file goes too once no other upload shares it (files are named by content)."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, exists, select

from forum.composer.models import Draft
from forum.core.models import utcnow
from forum.extensions import db
from forum.uploads.models import Upload, post_uploads
from forum.uploads.services import UPLOAD_LINK
from forum.uploads.storage import storage

BATCH = 500


def delete_orphaned_uploads() -> int:
    """Delete uploads no post shows and no draft mentions, once past the grace period; commits, then
    removes the files no upload uses any more. Returns how many uploads were deleted."""
    cutoff = utcnow() - timedelta(hours=current_app.config["FORUM_UPLOAD_ORPHAN_HOURS"])
    orphaned = (Upload.created_at < cutoff) & ~exists().where(post_uploads.c.upload_id == Upload.id)
    deleted, keys, after = 0, set(), 0
    while True:
        batch = db.session.execute(
            select(Upload.id, Upload.user_id, Upload.storage_key)
            .where(orphaned, Upload.id > after)
            .order_by(Upload.id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        after = batch[-1].id
        drafted = _mentioned_in_drafts({row.user_id for row in batch})
        doomed = [row for row in batch if row.id not in drafted]
        if doomed:
            # The condition again: a post written meanwhile may have linked one of them.
            result = db.session.execute(
                delete(Upload).where(Upload.id.in_([row.id for row in doomed]), orphaned),
                execution_options={"synchronize_session": False},
            )
            deleted += result.rowcount or 0
            keys.update(row.storage_key for row in doomed)
    db.session.commit()
    _delete_unused_files(keys)
    return deleted


def _mentioned_in_drafts(user_ids: set[int]) -> set[int]:
    texts = db.session.execute(
        select(Draft.raw).where(Draft.user_id.in_(user_ids), Draft.raw.contains("/uploads/"))
    ).scalars()
    return {int(found) for text in texts for found in UPLOAD_LINK.findall(text)}


def _delete_unused_files(keys: set[str]) -> None:
    """After commit: the files of deleted uploads, unless another upload (of the same content) uses them."""
    if not keys:
        return
    used = set(db.session.execute(select(Upload.storage_key).where(Upload.storage_key.in_(keys))).scalars())
    store = storage()
    for key in keys - used:
        store.delete(key)
