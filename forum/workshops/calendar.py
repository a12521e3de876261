"""iCalendar (RFC 5545) for workshops: one .ics per workshop and each member's feed at a secret URL.

Times go out in UTC (DTSTART/DTEND with a Z), which every calendar (Google, Outlook, Apple) shows in the
reader's own zone; each event's UID stays the same for the workshop's life, so an edit updates the event
instead of adding one. The feed's URL carries a token signed with the SECRET_KEY from the member's id and the
nonce stored in calendar_feeds: a new nonce revokes the old URL."""

from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer

from forum.auth.models import User
from forum.core import links
from forum.core.models import utcnow
from forum.extensions import db
from forum.workshops.models import CalendarFeed, Workshop

PRODID = "-//Fellowship forum//Workshops//EN"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="fellowship.calendar-feed")


def feed_token(feed: CalendarFeed) -> str:
    return _serializer().dumps([feed.user_id, feed.nonce])


def member_for_token(token: str) -> User | None:
    """The member whose current feed token this is, or None (forged, reset, or the member is suspended)."""
    try:
        user_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    feed = db.session.get(CalendarFeed, user_id) if isinstance(user_id, int) else None
    if feed is None or feed.nonce != nonce:
        return None
    member = db.session.get(User, user_id)
    return member if member is not None and member.is_active else None


def _uid(workshop: Workshop) -> str:
    host = links.absolute_url("workshops.index").split("/")[2]
    return f"workshop-{workshop.id}@{host}"


def _event(workshop: Workshop, show_call_link: bool) -> Event:
    event = Event()
    event.add("uid", _uid(workshop))
    event.add("dtstamp", utcnow())
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.starts_at + timedelta(minutes=workshop.duration_minutes))
    event.add("summary", workshop.title)
    page = links.absolute_url("workshops.show", slug=workshop.slug)
    event.add("url", page)
    description = "\n\n".join(part for part in (workshop.agenda, page) if part)
    event.add("description", description)
    if show_call_link and workshop.call_link:
        event.add("location", workshop.call_link)
    event.add("status", "CANCELLED" if workshop.cancelled_at else "CONFIRMED")
    return event


def to_ical(workshops: list[Workshop], *, show_call_link: bool, name: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for workshop in workshops:
        calendar.add_component(_event(workshop, show_call_link))
    return calendar.to_ical()
