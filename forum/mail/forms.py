"""The member's email preferences (/my/email) and the unsubscribe button."""

from babel.dates import get_day_names
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import InputRequired

from forum.core.forms import Form
from forum.mail.models import DigestFrequency

AWAY_MINUTES = (0, 10, 60, 240, 1440)


def _away_label(minutes: int) -> str:
    if minutes == 0:
        return str(_l("Whenever, even while I am on the site"))
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext(
            "When I have not been on the site for an hour",
            "When I have not been on the site for %(num)d hours", hours,
        )
    return ngettext(
        "When I have not been on the site for a minute",
        "When I have not been on the site for %(num)d minutes", minutes,
    )


class EmailPreferencesForm(Form):
    """Rendered with prefix "email": each control's id (#email-mentions, #email-digest) is the anchor that
    mail links to (forum/mail/links.py)."""

    mentions = BooleanField(_l("Someone mentions me or a group I am in"))
    replies = BooleanField(_l("Someone replies to my post"))
    quotes = BooleanField(_l("Someone quotes my post"))
    watching = BooleanField(_l("New topics and posts in what I watch"))
    messages = BooleanField(_l("Private messages to me"))
    reminders = BooleanField(_l("My bookmark reminders"))
    away_minutes = SelectField(_l("Send these emails"), coerce=int, validators=[InputRequired()])
    digest = SelectField(
        _l("Digest of what is new"),
        choices=[
            SelectChoice(DigestFrequency.DAILY.value, _l("Daily")),
            SelectChoice(DigestFrequency.WEEKLY.value, _l("Weekly")),
            SelectChoice(DigestFrequency.OFF.value, _l("Never")),
        ],
        description=_l("Sent only when you have not visited since the last one, and only if there is something new."),
    )
    digest_hour = SelectField(_l("At"), coerce=int, description=_l("In your time zone."))
    digest_weekday = SelectField(_l("On (weekly digest)"), coerce=int)
    lists = SelectMultipleField(_l("Every new post by email in"), coerce=int)

    def __init__(self, *args, away_minutes: int = 10, categories=(), **kwargs):
        super().__init__(*args, prefix="email", **kwargs)
        minutes = sorted({*AWAY_MINUTES, away_minutes})
        self.away_minutes.choices = [SelectChoice(m, _away_label(m)) for m in minutes]
        self.digest_hour.choices = [SelectChoice(hour, f"{hour:02d}:00") for hour in range(24)]
        days = get_day_names("wide", locale=get_locale())
        self.digest_weekday.choices = [SelectChoice(day, days[day]) for day in range(7)]
        self.lists.choices = [SelectChoice(category.id, category.name) for category in categories]


class UnsubscribeForm(Form):
    """Only its CSRF token: the link's token says who and what."""


class RetryAddressForm(Form):
    """'My address works now': clears a recorded delivery failure."""
