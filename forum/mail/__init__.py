"""Outbound mail: the outbox every message leaves through, and the messages that follow the forum's events."""

from flask import Flask


def init_app(app: Flask) -> None:
    from forum.mail import outbox, subscribers

    subscribers.subscribe()
    outbox.register_jobs(app)
