from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from forum.core.forms import Form

# The service checks the configured limit; this cap only stops absurd bodies early.
RAW_FIELD_CAP = 200_000


class TopicForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Please give a title.")), Length(max=200)])
    raw = TextAreaField(
        _l("Your post"),
        validators=[DataRequired(message=_l("Please write something.")), Length(max=RAW_FIELD_CAP)],
        description=_l("Markdown: **bold**, _italic_, [links](https://…), lists, > quotes, `code`, tables and - [ ] tasks."),
    )
    attachment = FileField(
        _l("Attach an image or file (optional)"),
        description=_l("Images, PDF, text, CSV and office documents up to 8 MB."),
    )


class ReplyForm(Form):
    raw = TextAreaField(
        _l("Your reply"),
        validators=[DataRequired(message=_l("Please write something.")), Length(max=RAW_FIELD_CAP)],
        description=_l("Markdown: **bold**, _italic_, [links](https://…), lists, > quotes, `code`, tables and - [ ] tasks."),
    )
    reply_to = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])
    attachment = FileField(
        _l("Attach an image or file (optional)"),
        description=_l("Images, PDF, text, CSV and office documents up to 8 MB."),
    )


class EditPostForm(Form):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    raw = TextAreaField(
        _l("Post"), validators=[DataRequired(message=_l("Please write something.")), Length(max=RAW_FIELD_CAP)]
    )
    reason = StringField(
        _l("Reason for the edit (optional)"), validators=[Optional(), Length(max=255)],
        description=_l("Shown in the post's history, and to its author if you edit someone else's post."),
    )
