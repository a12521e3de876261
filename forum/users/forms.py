from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from forum.auth.forms import timezone_choices
from forum.core.forms import Form


class PreferencesForm(Form):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=120)])
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=2000)])
    timezone = SelectField(
        _l("Time zone"),
        choices=timezone_choices,
        validators=[Optional()],
        description=_l("Times on the forum are shown in this zone."),
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1024)], description=_l("At least 10 characters."))
    confirm = PasswordField(_l("Repeat new password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class AvatarForm(Form):
    avatar = FileField(
        _l("Choose a picture"),
        validators=[FileRequired(_l("Choose a picture to upload."))],
        description=_l("A PNG, JPEG, GIF or WebP image; it is cut to a square around its middle."),
        render_kw={"accept": "image/png,image/jpeg,image/gif,image/webp"},
    )

