"""Uploads' background jobs (registered from create_app)."""

from flask import Flask

from forum.core.jobs import register_periodic
from forum.uploads.cleanup import delete_orphaned_uploads


def register_jobs(app: Flask) -> None:
    # Orphans are kept for FORUM_UPLOAD_ORPHAN_HOURS (a day by default): an hourly look is plenty.
    register_periodic(app, "uploads.delete_orphans", delete_orphaned_uploads, 3600)
