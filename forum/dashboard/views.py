"""The facilitation page (/facilitation): facilitators and administrators only."""

from dataclasses import dataclass
from datetime import date, datetime

from babel import dates as babel_dates
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from forum.dashboard import charts, queries
from forum.dashboard.forms import DEFAULT_WEEKS, QuietWeeksForm
from forum.experiments.services import status_label
from forum.policy import can
from forum.workshops.forms import ANSWER_LABELS, KIND_LABELS

bp = Blueprint("dashboard", __name__)


@dataclass(frozen=True)
class Panel:
    """One chart and the table with its numbers."""

    chart_id: str
    heading: str
    href: str | None
    note: str | None
    chart: Markup
    caption: str
    rows: list[tuple[str, int, int]]  # (week, posts, active members)


def _skeleton(value: date, skeleton: str) -> str:
    return babel_dates.format_skeleton(skeleton, value, locale=get_locale())


def _panel(chart_id: str, heading: str, series: queries.Series, weeks: list[datetime], href=None, note=None) -> Panel:
    days = [week.date() for week in weeks]
    title = _("Posts and active members per week: %(name)s", name=heading)
    description = _(
        "%(posts)s posts in the %(n)s weeks from %(first)s; at most %(members)s active members in a week.",
        posts=series.total_posts, n=len(days), first=_skeleton(days[0], "yMMMd"), members=max(series.members),
    )
    chart = charts.weekly_chart(charts.WeeklyChart(
        chart_id=chart_id, title=title, description=description, week_labels=[_skeleton(d, "MMMd") for d in days],
        posts=series.posts, members=series.members, posts_label=_("Posts"), members_label=_("Active members"),
    ))
    rows = [(_skeleton(d, "yMMMd"), p, m) for d, p, m in zip(days, series.posts, series.members, strict=True)]
    return Panel(chart_id, heading, href, note, chart, title, rows)


def _cohort_name(cohort: queries.Cohort, first_month: datetime) -> str:
    if cohort.month is None:
        return _("Joined before %(month)s", month=_skeleton(first_month.date(), "yMMMM"))
    return _("Joined in %(month)s", month=_skeleton(cohort.month, "yMMMM"))


def _quiet_weeks() -> tuple[QuietWeeksForm, int, bool]:
    """The form, the number of weeks to use, and whether the one asked for was refused."""
    asked = "weeks" in request.args
    form = QuietWeeksForm(formdata=request.args if asked else None)
    if asked and not form.validate():
        return form, DEFAULT_WEEKS, True
    return form, form.weeks.data, False


@bp.route("/facilitation")
@login_required
def index():
    if not can(current_user, "view_dashboard"):
        abort(403)
    form, weeks, refused = _quiet_weeks()
    data = queries.dashboard(current_user, weeks)
    experiment_panels = [
        _panel(f"chart-experiment-{experiment.id}", experiment.title, series, data.weeks,
               href=url_for("experiments.show", slug=experiment.slug))
        for experiment, series in data.experiments
    ]
    cohort_panels = [
        _panel(
            f"chart-cohort-{cohort.month.isoformat() if cohort.month else 'earlier'}",
            _cohort_name(cohort, data.cohort_months[0]), cohort.series, data.weeks,
            note=ngettext("%(num)d member joined.", "%(num)d members joined.", cohort.joined),
        )
        for cohort in data.cohorts
    ]
    html = render_template(
        "dashboard/index.html", data=data, form=form, experiment_panels=experiment_panels,
        cohort_panels=cohort_panels, answers=ANSWER_LABELS, kinds=KIND_LABELS, list_limit=queries.LIST_LIMIT, status_label=status_label,
    )
    return html, 400 if refused else 200
