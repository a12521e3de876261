"""Workshops: the group's virtual sessions, their peer-challenge threads, RSVPs, nominations and calendars."""

from flask import Flask


def init_app(_app: Flask) -> None:
    """Fill the experiment pages' places for workshops and the challenges addressed to the experiment."""
    from forum.workshops import sections

    sections.register()
