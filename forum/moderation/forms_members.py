"""The forms of the member-moderation page."""

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.core.forms import Form
from forum.moderation.members import REASON_LENGTH

MAX_DAYS = 3650


class RestrictForm(Form):
    """Silence or suspend: for a number of days, until a time in the staff member's zone, or until lifted."""

    days = IntegerField(
        _l("For how many days"), validators=[Optional(), NumberRange(min=1, max=MAX_DAYS)],
        description=_l("Or give an end below. With neither, it lasts until a facilitator lifts it."),
    )
    until = DateTimeLocalField(
        _l("Until"), format="%Y-%m-%dT%H:%M", validators=[Optional()], description=_l("In your time zone."),
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(message=_l("Give a reason: the member will read it.")),
                                  Length(max=REASON_LENGTH)],
        description=_l("The member reads this."),
    )


class LiftForm(Form):
    reason = StringField(_l("Note for the log (optional)"), validators=[Optional(), Length(max=REASON_LENGTH)])


class ResetProfileForm(Form):
    reason = StringField(_l("Reason for the log (optional)"), validators=[Optional(), Length(max=REASON_LENGTH)])
