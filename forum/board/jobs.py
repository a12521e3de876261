"""The board's background jobs (registered from create_app)."""

from flask import Flask

from forum.board.view_counts import fold_pending
from forum.core.jobs import register_periodic


def register_jobs(app: Flask) -> None:
    register_periodic(app, "board.fold_view_counts", fold_pending, 30)
