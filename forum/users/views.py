"""Profiles (/u/<username>), a member's own preferences and picture, and a newcomer's welcome."""

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.auth import services as auth_services
from forum.auth.forms import LogoutEverywhereForm
from forum.auth.models import User
from forum.auth.sessions import session_count
from forum.auth.views import current_session_id
from forum.core.forms import commit_or_show_error
from forum.extensions import db, limiter
from forum.policy import is_member
from forum.uploads.storage import storage
from forum.uploads.views import UPLOAD_CSP
from forum.users import avatars, first_steps
from forum.users import queries as user_queries
from forum.users.forms import AvatarForm, ChangePasswordForm, PreferencesForm

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
    return _preferences_page(form=form, password_form=password_form)


def _preferences_page(*, form=None, password_form=None, avatar_form=None) -> str:
    if form is None:
        form = PreferencesForm(formdata=None, obj=current_user)
        form.timezone.data = current_user.timezone or ""
    return render_template(
        "users/preferences.html", form=form,
        password_form=password_form or ChangePasswordForm(prefix="pw", formdata=None),
        avatar_form=avatar_form or AvatarForm(formdata=None),
        logout_form=LogoutEverywhereForm(formdata=None), session_count=session_count(current_user),
    )


# --- avatars -------------------------------------------------------------------------------------------

@bp.route("/my/avatar", methods=["POST"])
@login_required
@limiter.limit("10 per hour", key_func=lambda: f"avatar:{current_user.get_id()}")
def upload_avatar():
    form = AvatarForm()
    if form.validate_on_submit():
        limit = current_app.config["FORUM_MAX_UPLOAD_BYTES"]
        data = form.avatar.data.read(limit + 1)
        ok, replaced = commit_or_show_error(form, lambda: avatars.set_avatar(current_user, data))
        if ok:
            avatars.delete_unused_files(replaced)
            flash(_("Your picture is saved."), "success")
            return redirect(url_for("users.preferences", _anchor="avatar-heading"))
    return _preferences_page(avatar_form=form)


@bp.route("/my/avatar", methods=["GET"])
@login_required
def avatar_form_page():
    """The upload's address opened directly (a reload after an upload, a typed address): the form is on the
    preferences page."""
    return redirect(url_for("users.preferences", _anchor="avatar-heading"))


@bp.errorhandler(413)
def too_large(_error):
    """A picture larger than a request may be: the page again, with the reason at the field."""
    form = AvatarForm(formdata=None)
    limit = current_app.config["FORUM_MAX_UPLOAD_BYTES"]
    form.avatar.errors = [_("Pictures are limited to %(mb)d MB.", mb=limit // (1024 * 1024))]
    return _preferences_page(avatar_form=form), 413


@bp.route("/my/avatar/remove", methods=["POST"])
@login_required
def remove_avatar():
    removed = avatars.remove_avatar(current_user)
    db.session.commit()
    avatars.delete_unused_files(removed)
    flash(_("Your picture is removed; your initials show instead."), "success")
    return redirect(url_for("users.preferences", _anchor="avatar-heading"))


@bp.route("/avatars/<int:user_id>/<int:side>/<name>")
def avatar_image(user_id: int, side: int, name: str):
    """A member's picture. Its address names its content, so it may be kept for good; when the member
    changes or removes it, the old address answers 404."""
    user = db.session.get(User, user_id)
    if user is None or user.avatar != name or side not in avatars.SIDES:
        abort(404)
    response = storage().send(avatars.storage_key(name, side), avatars.content_type(name), name, False)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.headers["Content-Security-Policy"] = UPLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_template_global()
def avatar_url(user, size: int) -> str:
    return avatars.picture_url(user, size)


@bp.app_template_global()
def avatar_initials(user) -> str:
    return avatars.initials(user.display_name, user.username)


@bp.app_template_global()
def avatar_colour(user) -> int:
    return avatars.colour_index(user.username)


# --- first steps ---------------------------------------------------------------------------------------

bp.add_app_template_global(first_steps.shows_welcome, "shows_welcome")


@bp.route("/my/welcome/dismiss", methods=["POST"])
@login_required
def dismiss_welcome():
    first_steps.dismiss_welcome(current_user)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(dismissed=True)
    flash(_("You will not see the welcome again. The experiments and your preferences are always in the menus."), "info")
    return redirect(url_for("board.latest"))


@bp.route("/my/welcome/introduce")
@login_required
def introduce():
    """Where a newcomer says hello: the Introductions category's new-topic page, or the nearest thing."""
    category = first_steps.introduction_category(current_user)
    if category is None:
        return redirect(url_for("board.categories"))
    return redirect(url_for("board.new_topic", slug=category.slug))
