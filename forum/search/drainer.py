"""Indexing after a request: the changes a request queued are drained into the index by a thread of the
worker (requests do not wait for Whoosh), or before the response when FORUM_SEARCH_DRAIN is "inline" (tests).
"""

import logging
import threading
import time

from flask import current_app, g

from forum.extensions import db
from forum.search.index import drain, drain_all

log = logging.getLogger(__name__)

# After a drain that wrote something, the drainer waits this long before the next: under a stream of posts
# each drain then takes several rows and writes one segment, instead of a segment per post (segments pile up
# faster than Whoosh merges them, and every search pays for each one). New posts stay out of results
# (masked, never stale) for about this long.
DRAIN_PAUSE = 0.5


class BackgroundDrainer:
    """One thread per app in each worker process that drains whenever a request has queued index work.
    Requests do not wait for Whoosh, and changes that arrive while a drain runs are taken by the next one."""

    def __init__(self, app):
        self._app = app
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, app) -> "BackgroundDrainer":
        return app.extensions.setdefault("forum_search_drainer", cls(app))

    def nudge(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():  # none yet, or this is a forked worker
                self._thread = threading.Thread(target=self._run, name="search-drainer", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            taken = 0
            with self._app.app_context():
                try:
                    taken = drain_all()
                except Exception:  # the rows stay queued; the next nudge or the periodic job retries
                    log.exception("search: background indexing failed")
                finally:
                    db.session.remove()
            if taken:
                time.sleep(DRAIN_PAUSE)


def drain_after_request(response):
    """After a request that changed posts, topics or members, bring the index up to date: in this worker's
    drainer thread (the default), or before the response when FORUM_SEARCH_DRAIN is "inline" (tests)."""
    if not (g.pop("search_index_pending", False) and response.status_code < 400):
        return response
    if current_app.config["FORUM_SEARCH_DRAIN"] != "inline":
        BackgroundDrainer.of(current_app._get_current_object()).nudge()
        return response
    db.session.rollback()
    try:
        drain()
    except Exception:  # the rows stay queued; the periodic job retries
        log.exception("search: indexing after request failed")
        db.session.rollback()
    return response
