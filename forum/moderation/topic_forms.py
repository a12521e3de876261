"""The forms of a topic's Moderate page: one small form per action, each with its CSRF token."""

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.core.forms import Form
from forum.moderation.models import TimerAction

REASON_MAX = 500


def _reason():
    return StringField(
        _l("Reason (optional)"), validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("Kept in the staff action log."),
    )


class StateForm(Form):
    """Close, open, pin, archive, unlist…: one button per change (its name is the button's value)."""

    reason = _reason()


class CategoryChoice(SelectField):
    def __init__(self, label, **kwargs):
        super().__init__(label, coerce=int, validators=[DataRequired(message=_l("Choose a category."))], **kwargs)


class MoveForm(Form):
    category_id = CategoryChoice(_l("Move to category"))
    reason = _reason()


class PostChoices(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SplitForm(Form):
    post_numbers = PostChoices(
        _l("Posts to move"), coerce=int, validators=[DataRequired(message=_l("Choose the posts to move."))],
    )
    title = StringField(
        _l("Title of the new topic"), validators=[DataRequired(message=_l("Please give a title.")), Length(max=255)],
    )
    category_id = CategoryChoice(_l("Category of the new topic"))
    reason = _reason()


class MergeForm(Form):
    target = StringField(
        _l("Merge into topic"), validators=[DataRequired(message=_l("Name the topic to merge into.")), Length(max=500)],
        description=_l("Its number or its address, e.g. https://…/t/our-topic/42. All posts of this topic are added "
                       "to the end of that one, and this topic's links lead there."),
    )
    reason = _reason()


def timer_choices():
    return [
        (TimerAction.CLOSE.value, _l("Close the topic")),
        (TimerAction.OPEN.value, _l("Open the topic")),
        (TimerAction.PUBLISH.value, _l("Publish the topic (list it)")),
    ]


class TimerForm(Form):
    action = SelectField(_l("What happens"), choices=timer_choices())
    run_at = DateTimeLocalField(
        _l("When"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(message=_l("Choose a time."))],
        description=_l("In your time zone."),
    )


class OwnerForm(Form):
    username = StringField(
        _l("New owner (username)"), validators=[DataRequired(message=_l("Name a member.")), Length(max=40)],
        description=_l("They become the author of the topic and of its first post."),
    )
    reason = _reason()


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token (e.g. cancelling a timer)."""
