"""Forms for flagging a post, hiding one, and deciding in the review queue."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.core.forms import Form
from forum.moderation.flags import KIND_LABELS, MAX_NOTE_CHARS
from forum.moderation.posts import MAX_REASON_CHARS


class FlagForm(Form):
    kind = RadioField(
        _l("Why should a facilitator look at it?"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(message=_l("Please choose why you flag this post."))],
    )
    note = TextAreaField(
        _l("Note for the facilitators"), validators=[Optional(), Length(max=MAX_NOTE_CHARS)],
        description=_l("Only facilitators read it. Needed for “Something else”."),
    )


class ReasonForm(Form):
    """A reason the author reads (hiding a post, agreeing with flags, rejecting a held post)."""

    reason = StringField(_l("Reason shown to the author"), validators=[Optional(), Length(max=MAX_REASON_CHARS)])
    next = HiddenField()


class DecisionForm(Form):
    """A decision with nothing to add (disagree, ignore, approve, show again)."""

    next = HiddenField()
