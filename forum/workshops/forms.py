"""Forms of the workshop pages (each posts with its CSRF token)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.core.forms import Form
from forum.core.i18n import timezone_names
from forum.workshops.models import Answer, Kind, MarkKind

KIND_LABELS = {
    Kind.LAUNCH: _l("Launch"),
    Kind.DESIGN: _l("Experiment design workshop"),
    Kind.SHARING: _l("Sharing and reflection workshop"),
    Kind.OTHER: _l("Other"),
}
ANSWER_LABELS = {Answer.GOING: _l("Going"), Answer.MAYBE: _l("Maybe"), Answer.NOT_GOING: _l("Not going")}
MARK_LABELS = {
    MarkKind.CHALLENGE: _l("Challenge"),
    MarkKind.QUESTION: _l("Question"),
    MarkKind.SUGGESTION: _l("Suggestion"),
    MarkKind.REFLECTION: _l("Reflection"),
}


class WorkshopForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Please give a title.")), Length(max=200)])
    kind = SelectField(_l("Type"), choices=list(KIND_LABELS.items()))
    local_start = DateTimeLocalField(
        _l("Starts at (in the host's time zone)"), format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=_l("Give the date and time it starts."))],
    )
    timezone = SelectField(_l("Host's time zone"))
    duration_minutes = IntegerField(
        _l("Duration in minutes"), default=180,
        validators=[DataRequired(message=_l("Give the duration.")), NumberRange(min=15, max=720)],
    )
    call_link = StringField(
        _l("Video-call link"), validators=[Optional(), Length(max=500)],
        description=_l("Shown to members only."),
    )
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=10000)])
    organisations = TextAreaField(
        _l("Featured organisations"), validators=[Optional(), Length(max=2000)], description=_l("One per line."),
    )
    experiment_ids = SelectMultipleField(_l("Featured experiments"), coerce=int, validators=[Optional()])

    def __init__(self, *args, experiments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [(name, name) for name in timezone_names()]
        self.experiment_ids.choices = [(e.id, e.title) for e in experiments]


class RsvpForm(Form):
    answer = RadioField(_l("Will you come?"), choices=list(ANSWER_LABELS.items()), validators=[DataRequired()])


# The workshop page holds several forms: their fields get ids of their own (a label whose `for` names an id
# used twice labels the wrong control), while their names stay as the views and tests post them.
class NominationForm(Form):
    title = StringField(_l("Idea or experiment"), validators=[DataRequired(message=_l("Please give a title.")),
                                                             Length(max=200)], id="nomination-title")
    pitch = TextAreaField(_l("Short pitch"), validators=[DataRequired(message=_l("Please write a short pitch.")),
                                                         Length(max=2000)], id="nomination-pitch")
    experiment_id = SelectField(_l("Experiment (if it has one)"), coerce=int, validators=[Optional()],
                                id="nomination-experiment")

    def __init__(self, *args, experiments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.experiment_id.choices = [(0, _l("None yet"))] + [(e.id, e.title) for e in experiments]


class MarkForm(Form):
    post_number = IntegerField(_l("Post number in the thread"), validators=[DataRequired(), NumberRange(min=1)],
                               id="mark-post-number")
    kind = SelectField(_l("Type"), choices=list(MARK_LABELS.items()), id="mark-kind")
    experiment_id = SelectField(_l("Addressed to (for a challenge)"), coerce=int, validators=[Optional()],
                                id="mark-experiment")

    def __init__(self, *args, experiments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.experiment_id.choices = [(0, _l("No experiment"))] + [(e.id, e.title) for e in experiments]


class RespondedForm(Form):
    answer_number = IntegerField(_l("Number of the post that answers it"),
                                 validators=[DataRequired(), NumberRange(min=1)])


class SummaryForm(Form):
    raw = TextAreaField(_l("Summary"), validators=[DataRequired(message=_l("Please write the summary."))])


class ActionForm(Form):
    """A button (support, select, cancel, reset): the CSRF token only."""
