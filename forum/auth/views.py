"""Log in and out, accept an invitation, reset a forgotten password."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forum.auth import services
from forum.auth.forms import AcceptInviteForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from forum.auth.models import User
from forum.core.errors import DomainError
from forum.core.forms import safe_next_url, show_domain_error
from forum.core.models import utcnow
from forum.extensions import db, limiter

bp = Blueprint("auth", __name__)


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the cookie names the member and their current session token."""
    user_key, _sep, token = user_id.partition(":")
    if not user_key.isdigit():
        return None
    user = db.session.get(User, int(user_key))
    if user is None or not token or user.session_token != token:
        return None
    return user


def start_session(user: User, remember: bool = False) -> None:
    """Log in with a fresh session (against session fixation)."""
    session.clear()
    login_user(user, remember=remember)
    user.last_seen_at = utcnow()


def _login_limit() -> str:
    return current_app.config["FORUM_LOGIN_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("board.latest"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.password.errors = [_("That username or email and password do not match an account.")]
        else:
            start_session(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next"), url_for("board.latest")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    if current_user.is_authenticated:
        flash(_("You are already logged in; log out first to accept an invitation for someone else."), "info")
        return redirect(url_for("board.latest"))
    try:
        invite = services.invite_from_token(token)
    except DomainError as error:
        return render_template("auth/invite_invalid.html", message=str(error.message)), 410
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invite(
                token,
                username=form.username.data,
                display_name=form.display_name.data,
                password=form.password.data,
                timezone=form.timezone.data or None,
            )
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            start_session(user)
            db.session.commit()
            flash(_("Welcome, %(name)s! You are now a member.", name=user.display_name), "success")
            return redirect(url_for("board.latest"))
    return render_template("auth/accept_invite.html", form=form, invite=invite)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses that address, we have sent it a link to reset the password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_from_reset_token(token)
    except DomainError as error:
        return render_template("auth/invite_invalid.html", message=str(error.message)), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            start_session(user)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("board.latest"))
    return render_template("auth/reset_password.html", form=form)
