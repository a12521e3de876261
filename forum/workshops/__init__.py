"""Workshops: the group's virtual sessions, their peer-challenge threads, RSVPs, nominations and calendars."""

from flask import Flask


def init_app(_app: Flask) -> None:
    """Fill the experiment pages' places for workshops and the challenges addressed to the experiment, and make
    workshops findable by search (type:workshop); mark the posts of peer-challenge threads on their topic pages."""
    from forum.workshops import search, sections, thread_marks

    sections.register()
    search.register()
    thread_marks.register()
