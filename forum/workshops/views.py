"""Workshop pages: the list, a workshop's page with its RSVP, nominations and peer challenges, the facilitator's
forms, the .ics file and the member's calendar feed."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.core.forms import commit_or_show_error
from forum.core.markdown import render_markdown
from forum.experiments.models import Experiment
from forum.extensions import db
from forum.policy import can, policy_for
from forum.workshops import calendar, queries, services
from forum.workshops.forms import (
    ANSWER_LABELS,
    KIND_LABELS,
    MARK_LABELS,
    ActionForm,
    MarkForm,
    NominationForm,
    RespondedForm,
    RsvpForm,
    SummaryForm,
    WorkshopForm,
)
from forum.workshops.models import Nomination, PostMark, Workshop, workshop_experiments

bp = Blueprint("workshops", __name__)


@bp.app_template_filter("in_zone")
def in_zone(value: datetime, zone: str) -> str:
    """A time as the clocks of `zone` show it (the host's), e.g. "Apr 2, 2030, 10:00 AM (Europe/London)"."""
    local = value.astimezone(ZoneInfo(zone))
    locale = get_locale()
    day = babel_dates.format_date(local.date(), "medium", locale=locale)
    clock = babel_dates.format_time(local.timetz(), "short", locale=locale)
    return f"{day}, {clock} ({zone})"


def _workshop(slug: str) -> Workshop:
    workshop = db.session.execute(select(Workshop).where(Workshop.slug == slug)).scalar_one_or_none()
    if workshop is None:
        abort(404)
    return workshop


def _staff_only() -> None:
    if not can(current_user, "schedule_workshop"):
        abort(403)


def _readable_experiments() -> list[Experiment]:
    visible = policy_for(current_user).visible_category_ids
    return db.session.execute(
        select(Experiment).where(Experiment.category_id.in_(visible)).order_by(Experiment.title)
    ).scalars().all()


def _thread_post(workshop: Workshop, number: int | None) -> Post | None:
    if workshop.topic_id is None or number is None:
        return None
    return db.session.execute(
        select(Post).where(Post.topic_id == workshop.topic_id, Post.post_number == number, Post.deleted_at.is_(None))
    ).scalar_one_or_none()


@bp.route("/workshops")
def index():
    upcoming, past = queries.split_workshops()
    return render_template("workshops/index.html", upcoming=upcoming, past=past, kinds=KIND_LABELS)


@bp.route("/workshops/<slug>")
def show(slug: str):
    return _render_show(_workshop(slug))


def _render_show(workshop: Workshop, status: int = 200, **forms):
    member = policy_for(current_user).is_member
    experiments = _readable_experiments() if member else []
    page = queries.workshop_page(workshop, current_user)
    rsvp_form = forms.get("rsvp_form") or RsvpForm(answer=page.answer.value if page.answer else None)
    summary = db.session.get(Post, workshop.summary_post_id) if workshop.summary_post_id else None
    topic = db.session.get(Topic, workshop.topic_id) if workshop.topic_id else None
    if topic is not None and not can(current_user, "view_topic", topic):
        topic = summary = None
    html = render_template(
        "workshops/show.html", page=page, workshop=workshop, kinds=KIND_LABELS, answers=ANSWER_LABELS,
        mark_labels=MARK_LABELS, ends_at=services.ends_at(workshop),
        upcoming=services.is_upcoming(workshop), agenda_html=render_markdown(workshop.agenda or ""),
        topic=topic, summary=summary, summary_html=render_markdown(summary.raw) if summary else None,
        rsvp_form=rsvp_form, action_form=ActionForm(),
        nomination_form=forms.get("nomination_form") or NominationForm(experiments=experiments),
        mark_form=forms.get("mark_form") or MarkForm(experiments=experiments),
        responded_form=RespondedForm(), summary_form=forms.get("summary_form") or SummaryForm(),
    )
    return html, status


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
def new():
    _staff_only()
    form = WorkshopForm(experiments=_readable_experiments(), timezone=current_user.timezone or "UTC")
    if form.validate_on_submit():
        done, workshop = commit_or_show_error(form, lambda: services.schedule_workshop(current_user, **_fields(form)))
        if done:
            flash(_("The workshop is scheduled and its peer-challenge thread is open."), "success")
            return redirect(url_for("workshops.show", slug=workshop.slug))
    return render_template("workshops/form.html", form=form, workshop=None)


@bp.route("/workshops/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    _staff_only()
    workshop = _workshop(slug)
    linked = db.session.execute(
        select(workshop_experiments.c.experiment_id).where(workshop_experiments.c.workshop_id == workshop.id)
    ).scalars().all()
    local = workshop.starts_at.astimezone(ZoneInfo(workshop.timezone)).replace(tzinfo=None)
    form = WorkshopForm(experiments=_readable_experiments(), obj=workshop, local_start=local, experiment_ids=linked)
    if form.validate_on_submit():
        done, _result = commit_or_show_error(
            form, lambda: services.edit_workshop(current_user, workshop, **_fields(form))
        )
        if done:
            flash(_("The workshop is saved."), "success")
            return redirect(url_for("workshops.show", slug=workshop.slug))
    return render_template("workshops/form.html", form=form, workshop=workshop)


def _fields(form: WorkshopForm) -> dict:
    return {
        "title": form.title.data, "kind": form.kind.data, "local_start": form.local_start.data,
        "timezone": form.timezone.data, "duration_minutes": form.duration_minutes.data,
        "call_link": form.call_link.data, "agenda": form.agenda.data, "organisations": form.organisations.data,
        "experiment_ids": form.experiment_ids.data or [],
    }


@bp.post("/workshops/<slug>/cancel")
@login_required
def cancel(slug: str):
    _staff_only()
    workshop = _workshop(slug)
    if ActionForm().validate_on_submit():
        services.cancel_workshop(current_user, workshop)
        db.session.commit()
        flash(_("The workshop is cancelled."), "success")
    return redirect(url_for("workshops.show", slug=slug))


@bp.post("/workshops/<slug>/rsvp")
@login_required
def rsvp(slug: str):
    workshop = _workshop(slug)
    form = RsvpForm()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(form, lambda: services.rsvp(current_user, workshop, form.answer.data))
        if done:
            flash(_("Your answer is saved."), "success")
            return redirect(url_for("workshops.show", slug=slug, _anchor="rsvp"))
    return _render_show(workshop, 400, rsvp_form=form)


@bp.post("/workshops/<slug>/nominations")
@login_required
def nominate(slug: str):
    workshop = _workshop(slug)
    experiments = _readable_experiments()
    form = NominationForm(experiments=experiments)
    if form.validate_on_submit():
        experiment = next((e for e in experiments if e.id == form.experiment_id.data), None)
        done, _result = commit_or_show_error(
            form, lambda: services.nominate(current_user, workshop, form.title.data, form.pitch.data, experiment)
        )
        if done:
            flash(_("Your nomination is posted."), "success")
            return redirect(url_for("workshops.show", slug=slug, _anchor="nominations"))
    return _render_show(workshop, 400, nomination_form=form)


def _nomination(nomination_id: int) -> tuple[Nomination, Workshop]:
    nomination = db.session.get(Nomination, nomination_id) or abort(404)
    return nomination, db.session.get(Workshop, nomination.workshop_id)


@bp.post("/workshops/nominations/<int:nomination_id>/support")
@login_required
def support(nomination_id: int):
    nomination, workshop = _nomination(nomination_id)
    if ActionForm().validate_on_submit():
        services.support(current_user, nomination)
        db.session.commit()
    return redirect(url_for("workshops.show", slug=workshop.slug, _anchor=f"nomination-{nomination.id}"))


@bp.post("/workshops/nominations/<int:nomination_id>/select")
@login_required
def select_nomination(nomination_id: int):
    nomination, workshop = _nomination(nomination_id)
    if ActionForm().validate_on_submit():
        created = nomination.experiment_id is None
        experiment = services.select_nomination(current_user, nomination)
        db.session.commit()
        if created:
            flash(_("Selected. The idea is now a proposed experiment, “%(title)s”, featured in the workshop; "
                    "its nominator can complete the record.", title=experiment.title), "success")
        else:
            flash(_("Selected: its experiment is featured in the workshop."), "success")
    return redirect(url_for("workshops.show", slug=workshop.slug, _anchor="nominations"))


@bp.post("/workshops/<slug>/marks")
@login_required
def mark(slug: str):
    workshop = _workshop(slug)
    experiments = _readable_experiments()
    form = MarkForm(experiments=experiments)
    if form.validate_on_submit():
        post = _thread_post(workshop, form.post_number.data)
        if post is None:
            form.post_number.errors = [_("There is no such post in this workshop's thread.")]
        else:
            experiment = next((e for e in experiments if e.id == form.experiment_id.data), None)
            done, _result = commit_or_show_error(
                form, lambda: services.mark_post(current_user, post, form.kind.data, experiment)
            )
            if done:
                flash(_("The post is marked."), "success")
                return redirect(url_for("workshops.show", slug=slug, _anchor="challenges"))
    return _render_show(workshop, 400, mark_form=form)


@bp.post("/workshops/marks/<int:post_id>/responded")
@login_required
def responded(post_id: int):
    mark_row = db.session.get(PostMark, post_id) or abort(404)
    post = db.session.get(Post, post_id)
    workshop = services.workshop_for_topic(post.topic_id) or abort(404)
    form = RespondedForm()
    if form.validate_on_submit():
        answer = _thread_post(workshop, form.answer_number.data)
        if answer is None:
            flash(_("There is no such post in this workshop's thread."), "error")
        else:
            services.mark_responded(current_user, mark_row, answer)
            db.session.commit()
            flash(_("The challenge is marked responded."), "success")
    return redirect(url_for("workshops.show", slug=workshop.slug, _anchor="challenges"))


@bp.post("/workshops/<slug>/summary")
@login_required
def summary(slug: str):
    _staff_only()
    workshop = _workshop(slug)
    form = SummaryForm()
    if form.validate_on_submit():
        done, _result = commit_or_show_error(form, lambda: services.post_summary(current_user, workshop, form.raw.data))
        if done:
            flash(_("The summary is posted and pinned."), "success")
            return redirect(url_for("workshops.show", slug=slug))
    return _render_show(workshop, 400, summary_form=form)


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/workshops/<slug>.ics")
def ics(slug: str):
    workshop = _workshop(slug)
    body = calendar.to_ical([workshop], show_call_link=can(current_user, "see_call_link", workshop))
    return _ics(body, f"{workshop.slug}.ics")


@bp.route("/calendar/<token>.ics")
def feed(token: str):
    member = calendar.member_for_token(token)
    if member is None:
        abort(404)
    body = calendar.to_ical(
        queries.feed_workshops(), show_call_link=can(member, "see_call_link"), name=_("Workshops"),
    )
    return _ics(body, "workshops.ics")


@bp.route("/my/calendar", methods=["GET", "POST"])
@login_required
def my_calendar():
    form = ActionForm()
    reset = form.validate_on_submit()
    feed_row = services.calendar_feed(current_user, reset=reset)
    db.session.commit()
    if reset:
        flash(_("Your calendar feed has a new address; the old one no longer works."), "success")
        return redirect(url_for("workshops.my_calendar"))
    url = url_for("workshops.feed", token=calendar.feed_token(feed_row), _external=True)
    return render_template("workshops/calendar.html", feed_url=url, form=form)
