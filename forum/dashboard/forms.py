"""The dashboard's one question: after how many weeks without an entry a learning log counts as quiet."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from forum.core.forms import Form

DEFAULT_WEEKS = 4
MAX_WEEKS = 52


class QuietWeeksForm(Form):
    """Read from the query string (a GET changes nothing, so it carries no CSRF token)."""

    class Meta:
        csrf = False

    weeks = IntegerField(
        _l("Weeks without a learning-log entry"), default=DEFAULT_WEEKS,
        validators=[
            InputRequired(message=_l("Give a number of weeks.")),
            NumberRange(min=1, max=MAX_WEEKS, message=_l("Give a number of weeks from 1 to %(max)s.", max=MAX_WEEKS)),
        ],
    )
