"""Pages of experiments: the index with its filters, proposing, the experiment's page, editing, status changes
and learning-log entries. Rules live in services; who sees an experiment is who reads its category."""

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.board import queries as board_queries
from forum.board.gate import Held
from forum.core import links
from forum.core.forms import commit_or_show_error
from forum.experiments import queries, sections, services
from forum.experiments.forms import (
    EditForm,
    ExperimentForm,
    FromCategoryForm,
    LearningLogForm,
    ProposeForm,
    StatusForm,
)
from forum.experiments.models import Experiment, Principle, Reach, Status
from forum.policy import can, is_member

bp = Blueprint("experiments", __name__)


def _readable(slug: str) -> Experiment:
    experiment = queries.experiment_by_slug(slug)
    if experiment is None:
        abort(404)
    if not can(current_user, "view_experiment", experiment):
        if not is_member(current_user):
            abort(current_app.login_manager.unauthorized())
        abort(404)
    return experiment


def _enum_arg(name: str, kind):
    try:
        return kind(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/experiments")
def index():
    filters = queries.Filters(
        status=_enum_arg("status", Status), organisation=request.args.get("organisation", "").strip() or None,
        country=request.args.get("country", "").strip() or None, principle=_enum_arg("principle", Principle),
    )
    organisations, countries = queries.filter_choices(current_user)
    return render_template(
        "experiments/index.html", experiments=queries.visible_experiments(current_user, filters), filters=filters,
        organisations=organisations, countries=countries, statuses=list(Status), principles=list(Principle),
        status_label=services.status_label, principle_label=services.principle_label,
        plain_categories=queries.plain_categories() if can(current_user, "turn_category_into_experiment") else [],
    )


def _record(form: ExperimentForm) -> dict:
    return {
        "title": form.title.data or "", "organisations": (form.organisations.data or "").splitlines(),
        "country": form.country.data, "problem": form.problem.data or "", "principles": form.principles.data or [],
        "learning_questions": form.learning_questions.data or "", "setting": form.setting.data,
        "signals": form.signals.data, "starts_on": form.starts_on.data, "reach": Reach(form.reach.data or Reach.GROUP),
    }


@bp.route("/experiments/new", methods=["GET", "POST"])
@login_required
def new():
    if not can(current_user, "propose_experiment"):
        abort(403)
    form = ProposeForm()
    if form.validate_on_submit():
        member_ids, unknown = queries.members_by_username((form.team.data or "").split(","))
        if unknown:
            form.team.errors = [_("No member is called %(names)s.", names=", ".join(unknown))]
        else:
            ok, experiment = commit_or_show_error(
                form, lambda: services.propose_experiment(current_user, team_member_ids=member_ids, **_record(form))
            )
            if ok:
                flash(_("Your experiment is proposed. Its team watches its category."), "success")
                return redirect(url_for("experiments.show", slug=experiment.slug))
    return render_template("experiments/form.html", form=form, experiment=None)


@bp.route("/experiments/from-category/<category_slug>", methods=["GET", "POST"])
@login_required
def from_category(category_slug: str):
    """A facilitator turns a plain category into an experiment (its topics stay where they are)."""
    category = board_queries.category_by_slug(category_slug)
    if category is None:
        abort(404)
    if not can(current_user, "turn_category_into_experiment", category):
        abort(403)
    form = FromCategoryForm()
    if request.method == "GET":
        form.title.data = category.name
        form.problem.data = category.description
    elif form.validate_on_submit():
        member_ids, unknown = queries.members_by_username((form.team.data or "").split(","))
        if unknown:
            form.team.errors = [_("No member is called %(names)s.", names=", ".join(unknown))]
        else:
            ok, experiment = commit_or_show_error(
                form, lambda: services.experiment_from_category(
                    current_user, category, team_member_ids=member_ids, **_record(form)
                ),
            )
            if ok:
                flash(_("The category is now an experiment."), "success")
                return redirect(url_for("experiments.show", slug=experiment.slug))
    return render_template("experiments/form.html", form=form, experiment=None, category=category)


@bp.route("/experiments/<slug>")
def show(slug: str):
    experiment = _readable(slug)
    log_topic = queries.learning_log_topic(experiment)
    return render_template(
        "experiments/show.html", experiment=experiment, timeline=queries.timeline(experiment),
        team=queries.team_members(experiment), log=queries.learning_log(experiment), log_topic=log_topic,
        topics=queries.latest_topics(current_user, experiment), sections=sections.render(experiment, current_user),
        status_label=services.status_label, principle_label=services.principle_label, links=links,
        format_date=format_date,
    )


@bp.route("/experiments/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    experiment = _readable(slug)
    if not can(current_user, "edit_experiment", experiment):
        abort(403)
    form = EditForm()
    if request.method == "GET":
        form.process(
            data={
                "title": experiment.title, "organisations": experiment.organisations, "country": experiment.country,
                "problem": experiment.problem, "principles": [p.value for p in experiment.principle_list],
                "learning_questions": experiment.learning_questions, "setting": experiment.setting,
                "signals": experiment.signals, "starts_on": experiment.starts_on, "reach": experiment.reach.value,
                "team": ", ".join(member.username for member in queries.team_members(experiment)),
            }
        )
    elif form.validate_on_submit():
        member_ids, unknown = queries.members_by_username((form.team.data or "").split(","))
        if unknown:
            form.team.errors = [_("No member is called %(names)s.", names=", ".join(unknown))]
        else:
            ok, _result = commit_or_show_error(form, lambda: services.edit_experiment(
                current_user, experiment, team_member_ids=member_ids, **_record(form)
            ))
            if ok:
                flash(_("The experiment is saved."), "success")
                return redirect(url_for("experiments.show", slug=experiment.slug))
    return render_template("experiments/form.html", form=form, experiment=experiment)


@bp.route("/experiments/<slug>/status", methods=["GET", "POST"])
@login_required
def status(slug: str):
    experiment = _readable(slug)
    if not can(current_user, "change_status", experiment):
        abort(403)
    form = StatusForm()
    form.to_status.choices = [(s.value, services.status_label(s)) for s in services.allowed_transitions(experiment.status)]
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: services.change_status(current_user, experiment, Status(form.to_status.data), form.note.data)
        )
        if ok:
            flash(_("The status is changed."), "success")
            return redirect(url_for("experiments.show", slug=experiment.slug))
    return render_template(
        "experiments/status.html", form=form, experiment=experiment, status_label=services.status_label
    )


@bp.route("/experiments/<slug>/log/new", methods=["GET", "POST"])
@login_required
def new_log_entry(slug: str):
    experiment = _readable(slug)
    if not can(current_user, "write_learning_log", experiment):
        abort(403)
    form = LearningLogForm()
    if request.method == "GET":
        form.entry_date.data = date.today()
    if form.validate_on_submit():
        ok, written = commit_or_show_error(
            form, lambda: services.add_learning_log_entry(
                current_user, experiment, form.entry_date.data, form.did.data, form.learned.data, form.will_change.data
            ),
        )
        if ok:
            if isinstance(written, Held):
                flash(written.message, "info")
            else:
                flash(_("The entry is in the learning log."), "success")
            return redirect(url_for("experiments.show", slug=experiment.slug))
    return render_template("experiments/log_entry.html", form=form, experiment=experiment)
