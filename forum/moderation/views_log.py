"""The staff action log at /admin/log: filter, page through, export as CSV. Nothing here changes it."""

import csv
import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, render_template, request
from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from forum.core.forms import Form
from forum.core.i18n import local_to_utc
from forum.core.pagination import requested_page
from forum.moderation import log
from forum.moderation.blueprint import bp
from forum.policy import can

PER_PAGE = 50


class LogFilterForm(Form):
    """Read from the query string (a GET changes nothing, so it carries no CSRF token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = StringField(_l("Done by (username)"), validators=[Optional(), Length(max=40)])
    subject = StringField(_l("About member (username)"), validators=[Optional(), Length(max=40)])
    since = DateField(_l("From"), validators=[Optional()], description=_l("For example 2026-09-01."))
    until = DateField(_l("To (inclusive)"), validators=[Optional()])


def _filters(form: LogFilterForm) -> log.LogFilters:
    zone = ZoneInfo(str(get_timezone()))

    def day_start(day):
        return local_to_utc(datetime.combine(day, time()), zone) if day else None

    return log.LogFilters(
        action=form.action.data or None, actor_id=log.member_id(form.actor.data),
        subject_user_id=log.member_id(form.subject.data), since=day_start(form.since.data),
        until=day_start(form.until.data + timedelta(days=1)) if form.until.data else None,
    )


def _form() -> tuple[LogFilterForm, bool]:
    form = LogFilterForm(formdata=request.args)
    form.action.choices = [("", _l("Any"))] + [(action, log.action_label(action)) for action in log.known_actions()]
    return form, form.validate()


def _staff_only() -> None:
    if not can(current_user, "view_moderation_log"):
        abort(403)


@bp.get("/admin/log")
@login_required
def staff_log():
    _staff_only()
    form, valid = _form()
    filters = _filters(form) if valid else log.LogFilters()
    page = log.log_page(filters, requested_page(), PER_PAGE)
    args = {name: value for name, value in request.args.items() if name != "page" and value}
    return render_template("moderation/log.html", form=form, page=page, args=args), (200 if valid else 400)


@bp.get("/admin/log.csv")
@login_required
def staff_log_csv():
    _staff_only()
    form, valid = _form()
    if not valid:
        abort(400)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "time_utc", "actor", "action", "target_type", "target_id", "member", "reason", "before",
                     "after"])
    for row in log.log_rows(_filters(form)):
        entry = row.entry
        writer.writerow([
            entry.id, entry.created_at.isoformat(), row.actor.username if row.actor else "", entry.action,
            entry.target_type, entry.target_id, row.subject.username if row.subject else "",
            _cell(entry.reason), _cell(entry.before), _cell(entry.after),
        ])
    name = f"{current_app.config['FORUM_NAME'].lower()}-staff-log.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _cell(value: str | None) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): a leading =, +, - or @ is quoted."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
