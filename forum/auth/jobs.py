"""Password reset mail, built and queued by the background worker (registered from create_app)."""

from flask import Flask

from forum.auth.services import send_reset_links
from forum.core.jobs import register_periodic


def register_jobs(app: Flask) -> None:
    # Enqueued when a reset is requested; the sweep sends requests whose enqueue was lost.
    register_periodic(app, "auth.send_reset_links", send_reset_links, 60)
