"""Periodic work: fold view counts, send bookmark reminders, deliver queued mail, keep the search index.

In production, cron runs `flask --app wsgi forum run-jobs` every minute. So that the embedded default
needs no cron, each worker process also runs the jobs after a request when they are due.
"""

import logging
import time

from flask import current_app, request

from forum.extensions import db

log = logging.getLogger(__name__)

_last_run = 0.0


def run_jobs(rebuild_in_background: bool = False) -> dict[str, int]:
    """Run every periodic job once; returns what each did."""
    from forum.auth.services import send_reset_links
    from forum.board.view_counts import fold_pending
    from forum.bookmarks.services import send_due_reminders
    from forum.core.outbox import deliver_due
    from forum.search import index as search_index
    from forum.uploads.cleanup import delete_orphaned_uploads

    report = {"topics_with_new_views": fold_pending()}
    report["reminders"] = send_due_reminders()
    report["search_queue_forgotten"] = search_index.forget_processed()
    report["reset_links"] = send_reset_links()
    db.session.commit()
    report["mail_sent"], report["mail_failed"] = deliver_due()
    report["uploads_deleted"] = delete_orphaned_uploads()
    report["search_rebuilt"] = int(search_index.ensure_index(background=rebuild_in_background))
    report["search_indexed"] = search_index.drain_all()
    return report


def run_jobs_if_due(response):
    """After-request hook: run the jobs at most every FORUM_JOBS_SECONDS per process."""
    global _last_run
    now = time.monotonic()
    if request.endpoint == "static" or now - _last_run < current_app.config["FORUM_JOBS_SECONDS"]:
        return response
    _last_run = now
    try:
        db.session.rollback()
        run_jobs(rebuild_in_background=True)
    except Exception:  # a failed job is retried next time; the member's response is not affected
        log.exception("periodic jobs failed")
        db.session.rollback()
    return response
