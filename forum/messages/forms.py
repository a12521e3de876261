from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from forum.board.forms import RAW_FIELD_CAP
from forum.core.forms import Form


class MessageForm(Form):
    recipients = StringField(
        _l("To"),
        validators=[DataRequired(message=_l("Add at least one member or group.")), Length(max=1000)],
        description=_l("Usernames or group names, separated by commas, e.g. aino, mikko.k, team-learning-cycles."),
    )
    title = StringField(_l("Subject"), validators=[DataRequired(message=_l("Please give a subject.")), Length(max=200)])
    raw = TextAreaField(
        _l("Message"), validators=[DataRequired(message=_l("Please write something.")), Length(max=RAW_FIELD_CAP)]
    )
