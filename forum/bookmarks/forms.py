from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, StringField
from wtforms.validators import Length, Optional

from forum.core.forms import Form


class BookmarkForm(Form):
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=500)])
    reminder_at = DateTimeLocalField(
        _l("Custom time"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("In your time zone, with “Custom time” chosen. You will get a notification then."),
    )
