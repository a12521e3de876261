"""Workshops: the group's virtual sessions, their peer-challenge threads, RSVPs, nominations and calendars."""
