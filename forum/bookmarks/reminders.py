"""Reminder presets for bookmarks ("in two hours", "tomorrow", "next week"), worked out in the member's zone.

"Tomorrow" and "next week" mean a morning, as in Discourse: 08:00 local time the next day, and 08:00 on the
next Monday. Wall-clock times are turned into UTC with the zone's rules for that day, so a reminder set
across a daylight-saving change still rings at 08:00.
"""

from datetime import datetime, time, timedelta, tzinfo

from flask_babel import lazy_gettext as _l

from forum.core.i18n import local_to_utc

MORNING = time(8, 0)
MONDAY = 0

NONE = "none"
CUSTOM = "custom"
LABELS = {
    NONE: _l("No reminder"),
    "two_hours": _l("In two hours"),
    "tomorrow": _l("Tomorrow"),
    "next_week": _l("Next week"),
    CUSTOM: _l("Custom time"),
}
PRESETS = tuple(LABELS)


def _morning(day, zone: tzinfo) -> datetime:
    return local_to_utc(datetime.combine(day, MORNING), zone)


def reminder_time(preset: str, now: datetime, zone: tzinfo) -> datetime | None:
    """The aware UTC time a preset names, seen from `now` (aware) in `zone`; None for no reminder or custom."""
    today = now.astimezone(zone).date()
    if preset == "two_hours":
        return now + timedelta(hours=2)
    if preset == "tomorrow":
        return _morning(today + timedelta(days=1), zone)
    if preset == "next_week":
        days_to_monday = (MONDAY - today.weekday()) % 7 or 7
        return _morning(today + timedelta(days=days_to_monday), zone)
    return None
