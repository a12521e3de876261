from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.auth.forms import role_choices
from forum.auth.models import MentionPolicy
from forum.board.models import Visibility
from forum.core.forms import Form


class CategoryForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    slug = StringField(_l("Address"), validators=[Optional(), Length(max=80)], description=_l("Used in links: /c/address. Left empty, it is made from the name."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    colour = StringField(_l("Colour"), default="#3b6ea5", validators=[DataRequired(), Length(min=7, max=7)], description=_l("A hex colour such as #3b6ea5."))
    parent_id = SelectField(_l("Parent category"), coerce=int, validators=[Optional()])
    position = IntegerField(_l("Position"), default=0, validators=[Optional(), NumberRange(min=-1000, max=1000)])
    visibility = SelectField(
        _l("Who can read it"),
        choices=[
            (Visibility.PUBLIC.value, _l("Everyone, including visitors who are not logged in")),
            (Visibility.MEMBERS.value, _l("All members")),
            (Visibility.GROUPS.value, _l("Only the groups chosen below (and facilitators)")),
        ],
        default=Visibility.MEMBERS.value,
    )
    groups = SelectMultipleField(_l("Groups"), coerce=int, validators=[Optional()])
    staff_only_topics = BooleanField(_l("Only facilitators start topics here (members reply)"))


class GroupForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    mention_policy = SelectField(
        _l("Who may @mention (and message) the whole group"),
        choices=[
            (MentionPolicy.GROUP_MEMBERS.value, _l("Members of the group (and facilitators)")),
            (MentionPolicy.ALL_MEMBERS.value, _l("Every member")),
            (MentionPolicy.STAFF.value, _l("Facilitators only")),
            (MentionPolicy.NOBODY.value, _l("Nobody but administrators")),
        ],
        default=MentionPolicy.GROUP_MEMBERS.value,
    )


class GroupMemberForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])


class RoleForm(Form):
    role = SelectField(
        _l("Role"),
        choices=role_choices,
    )
