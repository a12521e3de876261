from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.core.forms import Form
from forum.experiments.models import Principle, Reach

TEXT_CAP = 20_000


def principle_choices():
    return [
        (Principle.HUMAN.value, _l("Human: working with people's own variety of needs and strengths")),
        (Principle.LEARNING.value, _l("Learning: learning and adapting as the continuous job")),
        (Principle.SYSTEMS.value, _l("Systems: the health of the whole system that creates outcomes")),
    ]


def reach_choices():
    return [
        (Reach.GROUP.value, _l("The whole group (members read its category)")),
        (Reach.TEAM.value, _l("The team and the facilitators only")),
    ]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(label, required_message=None, description=None):
    validators = [DataRequired(message=required_message)] if required_message else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=TEXT_CAP)], description=description)


class ExperimentForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Please give a title.")), Length(max=200)])
    organisations = _text(
        _l("Organisation(s)"), _l("Name at least one organisation."), _l("One organisation per line.")
    )
    country = StringField(_l("Country"), validators=[Optional(), Length(max=80)])
    problem = _text(_l("The public-management problem"), _l("Describe the problem the experiment works on."))
    principles = CheckboxesField(
        _l("Principles it tests"), choices=principle_choices(),
        validators=[DataRequired(message=_l("Choose at least one principle."))],
    )
    learning_questions = _text(_l("Learning questions"), _l("Give at least one learning question."))
    setting = _text(_l("Where, and with whom"))
    signals = _text(_l("How you will know what is changing"))
    starts_on = DateField(_l("Start date"), validators=[Optional()], description=_l("For example 2026-09-01."))
    reach = RadioField(_l("Who reads its category"), choices=reach_choices(), default=Reach.GROUP.value)


class ProposeForm(ExperimentForm):
    team = StringField(
        _l("Other team members"), validators=[Optional(), Length(max=1000)],
        description=_l("Their usernames, separated by commas. You are on the team."),
    )


class StatusForm(Form):
    to_status = SelectField(_l("New status"), validators=[DataRequired(message=_l("Choose a status."))])
    note = TextAreaField(
        _l("Note"), validators=[Optional(), Length(max=TEXT_CAP)],
        description=_l("Why the experiment moves on: it is shown in its timeline."),
    )


class LearningLogForm(Form):
    entry_date = DateField(_l("Date"), validators=[DataRequired(message=_l("Give the entry a date."))])
    did = _text(_l("What we did"), _l("Please fill this in."))
    learned = _text(_l("What we learned"), _l("Please fill this in."))
    will_change = _text(_l("What we will change"), _l("Please fill this in."))


class FromCategoryForm(ExperimentForm):
    team = StringField(
        _l("Team members"), validators=[Optional(), Length(max=1000)],
        description=_l("Their usernames, separated by commas."),
    )


class EditForm(ExperimentForm):
    team = StringField(
        _l("Team members"), validators=[Optional(), Length(max=1000)],
        description=_l("Their usernames, separated by commas. Leave yourself out to leave the team."),
    )
