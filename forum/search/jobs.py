"""Keeping the index up to date, in the background worker (registered from create_app).

A transaction that queued index changes enqueues `search.drain` once it commits (forum.search.queue); the
same job runs every few seconds as a sweep, for changes whose enqueue was lost. Draining is idempotent: a
row is marked done only after the index has committed it."""

from flask import Flask

from forum.core.jobs import register_periodic
from forum.search.index import drain_all, ensure_index, forget_processed


def register_jobs(app: Flask) -> None:
    register_periodic(app, "search.ensure_index", ensure_index, 60)
    register_periodic(app, "search.drain", drain_all, 5)
    register_periodic(app, "search.forget_processed", forget_processed, 3600)
