"""Bookmark reminders, sent by the background worker (registered from create_app)."""

from flask import Flask

from forum.bookmarks.services import send_due_reminders
from forum.core.jobs import register_periodic


def register_jobs(app: Flask) -> None:
    register_periodic(app, "bookmarks.send_reminders", send_due_reminders, 60)
