"""Workshops: the group's virtual sessions, their peer-challenge threads, RSVPs, nominations and calendars."""

from flask import Flask


def init_app(_app: Flask) -> None:
    """Fill the experiment pages' places for workshops and the challenges addressed to the experiment, and mark
    the posts of peer-challenge threads on their topic pages."""
    from forum.workshops import sections, thread_marks

    sections.register()
    thread_marks.register()
