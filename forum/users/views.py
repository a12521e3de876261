"""Profiles (/u/<username>) and a member's own preferences."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.auth import services as auth_services
from forum.auth.forms import LogoutEverywhereForm
from forum.auth.sessions import session_count
from forum.auth.views import current_session_id
from forum.core.forms import commit_or_show_error
from forum.extensions import limiter
from forum.policy import is_member
from forum.users import queries as user_queries
from forum.users.forms import ChangePasswordForm, PreferencesForm

bp = Blueprint("users", __name__)


@bp.route("/u/<username>")
@login_required
def profile(username: str):
    user = auth_services.find_user(username)
    tab = request.args.get("tab", "replies")
    if user is None or not is_member(current_user) or tab not in user_queries.TABS:
        abort(404)
    return render_template(
        "users/profile.html",
        user=user,
        tab=tab,
        summary=user_queries.summary(user, current_user),
        items=user_queries.activity(user, current_user, tab),
    )


@bp.route("/u/search")
@login_required
@limiter.limit("60 per minute", key_func=lambda: f"member-search:{current_user.get_id()}")
def search():
    """Members for @mention completion: ?q=prefix, answered as JSON."""
    prefix = request.args.get("q", "").strip().lstrip("@")
    if not 1 <= len(prefix) <= 40:
        return jsonify(error="invalid_query", message=_("Type between 1 and 40 characters.")), 400
    members = user_queries.search_members(prefix)
    return jsonify(members=[{"username": u.username, "display_name": u.display_name} for u in members])


def _not_a_password_change() -> bool:
    return request.form.get("action") != "password"


def _wrong_current_password(response) -> bool:
    return response.status_code != 302


@bp.route("/my/preferences", methods=["GET", "POST"])
@login_required
# Against guessing the password with a stolen session: failed password changes only.
@limiter.limit(
    "5 per 15 minutes", key_func=lambda: f"password-change:{current_user.get_id()}", methods=["POST"],
    exempt_when=_not_a_password_change, deduct_when=_wrong_current_password,
)
def preferences():
    # Two forms on one page: only the one that was sent reads the request.
    action = request.form.get("action")
    form = PreferencesForm(formdata=request.form if action == "preferences" else None, obj=current_user)
    password_form = ChangePasswordForm(prefix="pw", formdata=request.form if action == "password" else None)
    if action != "preferences":
        form.timezone.data = current_user.timezone or ""
    if action == "preferences" and form.validate_on_submit():
        ok, _result = commit_or_show_error(
            form,
            lambda: auth_services.update_preferences(
                current_user,
                display_name=form.display_name.data,
                organisation=form.organisation.data,
                bio=form.bio.data,
                timezone=form.timezone.data or None,
            ),
        )
        if ok:
            flash(_("Your preferences are saved."), "success")
            return redirect(url_for("users.preferences"))
    elif action == "password" and password_form.validate_on_submit():
        ok, _result = commit_or_show_error(
            password_form,
            lambda: auth_services.change_password(
                current_user, password_form.current_password.data, password_form.password.data,
                keep_session_id=current_session_id(),
            ),
        )
        if ok:
            flash(_("Your password is changed; other devices have been logged out."), "success")
            return redirect(url_for("users.preferences"))
    return render_template(
        "users/preferences.html", form=form, password_form=password_form,
        logout_form=LogoutEverywhereForm(), session_count=session_count(current_user),
    )
