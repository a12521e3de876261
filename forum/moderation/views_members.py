"""The member-moderation page (/u/<username>/moderate): silence, suspend, lift either, reset the profile; the
member's posts waiting for approval, the log about them, and (for administrators) their sessions."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.auth import services as auth_services
from forum.auth.models import User
from forum.core.errors import DomainError
from forum.core.forms import commit_or_show_error
from forum.core.i18n import datetime_filter, local_to_utc
from forum.core.models import utcnow
from forum.moderation import approval, log, members
from forum.moderation.blueprint import bp
from forum.moderation.browsers import browser_summary
from forum.moderation.forms_members import LiftForm, ResetProfileForm, RestrictForm
from forum.policy import can
from forum.users import avatars

LOG_ROWS = 10

bp.add_app_template_filter(browser_summary, "browser_summary")


def _member(username: str) -> User:
    member = auth_services.find_user(username)
    if member is None:
        abort(404)
    if not can(current_user, "moderate_member", member):
        abort(403)
    return member


def _forms(**given) -> dict:
    forms = {
        "silence": RestrictForm(prefix="silence"), "suspend": RestrictForm(prefix="suspend"),
        "unsilence": LiftForm(prefix="unsilence"), "unsuspend": LiftForm(prefix="unsuspend"),
        "reset": ResetProfileForm(prefix="reset"),
    }
    return {**forms, **given}


def _page(member: User, status: int = 200, **forms):
    return render_template(
        "moderation/member.html", member=member, forms=_forms(**forms), now=utcnow(),
        waiting=approval.pending_with_topics(member),
        log_rows=log.log_page(log.LogFilters(subject_user_id=member.id), 1, LOG_ROWS),
        devices=members.devices(current_user, member) if can(current_user, "view_ip_addresses", member) else None,
    ), status


@bp.get("/u/<username>/moderate")
@login_required
def member_page(username: str):
    return _page(_member(username))


def _until(form: RestrictForm):
    """The end the form gives (a number of days from now, or a time in the staff member's zone), or None."""
    if form.days.data and form.until.data:
        raise DomainError(_l("Give a number of days or an end, not both."), field="days")
    if form.days.data:
        return utcnow() + timedelta(days=form.days.data)
    if form.until.data:
        until = local_to_utc(form.until.data, ZoneInfo(str(get_timezone())))
        if until is None:
            raise DomainError(_l("Choose an end between the years 1900 and 2999."), field="until")
        return until
    return None


def _restrict(username: str, name: str, action, done):
    member = _member(username)
    form = RestrictForm(prefix=name)
    if form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form, lambda: action(current_user, member, form.reason.data, _until(form)),
        )
        if ok:
            flash(done(member), "success")
            return redirect(url_for("moderation.member_page", username=member.username))
    return _page(member, 400, **{name: form})


def _ends(until) -> str:
    return datetime_filter(until) if until else _("until lifted")


@bp.post("/u/<username>/moderate/silence")
@login_required
def silence(username: str):
    return _restrict(username, "silence", members.silence, lambda member: _(
        "%(name)s is read only (%(until)s).", name=member.display_name, until=_ends(member.silenced_until)))


@bp.post("/u/<username>/moderate/suspend")
@login_required
def suspend(username: str):
    return _restrict(username, "suspend", members.suspend, lambda member: _(
        "%(name)s is suspended (%(until)s): logged out everywhere, and their posts are hidden.",
        name=member.display_name, until=_ends(member.suspended_until)))


def _act(username: str, name: str, form, action, done: str, after_commit=None):
    member = _member(username)
    if form.validate_on_submit():
        ok, result = commit_or_show_error(form, lambda: action(current_user, member, form.reason.data))
        if ok and after_commit is not None:
            after_commit(result)
        if ok:
            flash(done % {"name": member.display_name}, "success")
            return redirect(url_for("moderation.member_page", username=member.username))
    return _page(member, 400, **{name: form})


@bp.post("/u/<username>/moderate/unsilence")
@login_required
def unsilence(username: str):
    return _act(username, "unsilence", LiftForm(prefix="unsilence"), members.unsilence,
                _("%(name)s may write again."))


@bp.post("/u/<username>/moderate/unsuspend")
@login_required
def unsuspend(username: str):
    return _act(username, "unsuspend", LiftForm(prefix="unsuspend"), members.unsuspend,
                _("%(name)s may log in again, and the posts their suspension hid are shown."))


@bp.post("/u/<username>/moderate/reset-profile")
@login_required
def reset_profile(username: str):
    return _act(username, "reset", ResetProfileForm(prefix="reset"), members.reset_profile,
                _("The profile is reset: display name, organisation, bio and picture."),
                after_commit=avatars.delete_unused_files)
