from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from forum.auth.models import Role
from forum.core.forms import Form
from forum.core.i18n import timezone_names

ROLE_LABELS = {Role.MEMBER: _l("Member"), Role.FACILITATOR: _l("Facilitator"), Role.ADMIN: _l("Administrator")}


def role_choices():
    return [(role.value, label) for role, label in ROLE_LABELS.items()]


def timezone_choices():
    return [("", _l("Same as my browser"))] + [(name, name.replace("_", " ")) for name in timezone_names()]


class LoginForm(Form):
    login = StringField(_l("Username or email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class LogoutEverywhereForm(Form):
    """Only the CSRF token: the button on the preferences page."""


class AcceptInviteForm(Form):
    display_name = StringField(
        _l("Display name"), validators=[DataRequired(), Length(max=80)], description=_l("How others see you, e.g. Aino Virtanen.")
    )
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=3, max=20)],
        description=_l("Used in @mentions and your profile address; 3–20 letters, digits, dots, dashes or underscores."),
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10, max=1024)], description=_l("At least 10 characters."))
    confirm = PasswordField(_l("Repeat password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    organisation = StringField(
        _l("Organisation (optional)"), validators=[Optional(), Length(max=120)],
        description=_l("Where you work, shown beside your name on your posts."),
    )
    bio = StringField(
        _l("About you, in one line (optional)"), validators=[Optional(), Length(max=200)],
        description=_l("Shown on your profile; you can say more in your preferences later."),
    )
    timezone = SelectField(_l("Time zone"), choices=timezone_choices, validators=[Optional()])


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=1024)], description=_l("At least 10 characters."))
    confirm = PasswordField(_l("Repeat new password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class InviteForm(Form):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Role"),
        choices=role_choices,
        default=Role.MEMBER.value,
    )
    groups = SelectMultipleField(_l("Groups"), coerce=int, validators=[Optional()])
    message = TextAreaField(_l("Personal message (optional)"), validators=[Optional(), Length(max=2000)])
