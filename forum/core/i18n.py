"""Locale and time zone of the viewer, and the template filters that format dates and numbers.

Times are stored in UTC; they are converted only here, at the edge. A member's zone comes from their
profile; without one, from the `tz` cookie that the browser sets (see static/js/forum.js).
"""

from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel import dates as babel_dates
from babel.dates import get_datetime_format
from flask import current_app, g, has_request_context, request
from flask_babel import (
    force_locale,
    format_datetime,
    format_decimal,
    format_timedelta,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user

from forum.core.models import utcnow

TZ_COOKIE = "tz"


@cache
def timezone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


def is_valid_timezone(name: str | None) -> bool:
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in timezone_names()


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    cookie = request.cookies.get(TZ_COOKIE)
    return cookie if is_valid_timezone(cookie) else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def select_locale() -> str:
    supported = current_app.config["FORUM_LOCALES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _medium_format() -> tuple:
    """(locale, zone, pattern) for this request, worked out once: pages format many times."""
    if "_medium_datetime" not in g:
        locale = get_locale()
        g._medium_datetime = (locale, ZoneInfo(str(get_timezone())), get_datetime_format("medium", locale=locale))
    return g._medium_datetime


def datetime_filter(value: datetime | None, fmt: str = "medium") -> str:
    """A date and time in the viewer's zone and language; "medium" is e.g. "Nov 26, 2026, 5:40 AM"."""
    if value is None:
        return ""
    if fmt == "medium":
        # Babel's medium datetime shows seconds; a forum wants the date and the minute.
        locale, zone, pattern = _medium_format()
        local = value.astimezone(zone)
        day = babel_dates.format_date(local.date(), "medium", locale=locale)
        clock = babel_dates.format_time(local.timetz(), "short", locale=locale)
        return pattern.replace("{1}", day).replace("{0}", clock)
    return format_datetime(value, fmt)


# Times members type are kept within years that every zone can show (year 1 or 9999 overflows on conversion).
TYPED_YEARS = range(1900, 3000)


def local_to_utc(local: datetime, zone: tzinfo) -> datetime | None:
    """A wall-clock time typed in `zone` as an aware UTC time; None outside TYPED_YEARS."""
    if local.year not in TYPED_YEARS:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


def ago_filter(value: datetime | None) -> str:
    """'3 hours ago' in the viewer's language."""
    if value is None:
        return ""
    return format_timedelta(value - utcnow(), add_direction=True, granularity="minute", threshold=0.9)


def number_filter(value: int | float) -> str:
    # Below a thousand no locale we serve groups or changes digits; lists show many such counts.
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)
    return format_decimal(value)


def iso_filter(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="seconds")


_CACHED = ("_medium_datetime", "_translations")


@contextmanager
def in_members_language(locale: str | None, timezone: str | None):
    """Format and translate for one member (an email built by a job, or for another member than the viewer):
    their language and time zone, or the forum's defaults; the viewer's are back afterwards."""
    locale = locale if locale in current_app.config["FORUM_LOCALES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    zone = timezone if is_valid_timezone(timezone) else current_app.config["BABEL_DEFAULT_TIMEZONE"]
    saved = {key: g.pop(key) for key in _CACHED if key in g}
    try:
        with force_locale(Locale.parse(locale)):
            _set_zone(ZoneInfo(zone))
            yield
    finally:
        for key in _CACHED:
            g.pop(key, None)
        for key, value in saved.items():
            setattr(g, key, value)
        _set_zone(None)


def _set_zone(zone: tzinfo | None) -> None:
    """Flask-Babel keeps the selected zone on its context object; None makes it ask the selector again."""
    from flask_babel import _get_current_context

    ctx = _get_current_context()
    if ctx is not None:
        ctx.babel_tzinfo = zone


def _request_translations():
    """The viewer's translations, looked up once per request (a page translates dozens of strings)."""
    if "_translations" not in g:
        g._translations = get_translations()
    return g._translations


def install_template_gettext(app) -> None:
    """Template gettext that reuses the request's translations; Jinja's new-style gettext formats and escapes."""
    app.jinja_env.install_gettext_callables(
        lambda string: _request_translations().ugettext(string),
        lambda singular, plural, n: _request_translations().ungettext(singular, plural, n),
        newstyle=True,
    )


def register_filters(app) -> None:
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(ago_filter, "ago")
    app.add_template_filter(number_filter, "number")
    app.add_template_filter(iso_filter, "iso")
