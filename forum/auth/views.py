"""Log in and out, accept an invitation, reset a forgotten password."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forum.auth import services, sessions
from forum.auth.forms import (
    AcceptInviteForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutEverywhereForm,
    ResetPasswordForm,
)
from forum.auth.models import User
from forum.core.errors import DomainError
from forum.core.forms import safe_next_url, show_domain_error
from forum.core.i18n import datetime_filter
from forum.core.jobs import enqueue_after_commit
from forum.extensions import db, limiter

bp = Blueprint("auth", __name__)


def load_user(login_id: str) -> User | None:
    """Flask-Login's loader: the cookie names a device's session; one query finds it and its member."""
    found = sessions.find_session(login_id)
    if found is None:
        return None
    user, device = found
    if not user.is_active:  # suspended: its sessions were ended, and none may outlive that
        return None
    g.login_session_id = device.id
    if sessions.needs_touch(device):
        g.touch_login_session = (device.id, user.id)
    return user


def current_session_id() -> int | None:
    """The id of the session the current request is logged in with."""
    return g.get("login_session_id") if current_user.is_authenticated else None


@bp.after_app_request
def touch_login_session(response):
    """Note when a session was last used, at most every few minutes (so that reads do not always write)."""
    touch = g.pop("touch_login_session", None)
    if touch is not None and response.status_code < 500:
        # Whatever the view left uncommitted would be discarded at teardown anyway.
        db.session.rollback()
        sessions.touch(*touch, ip_address=request.remote_addr)
        db.session.commit()
    return response


def start_session(user: User, remember: bool = False) -> None:
    """Log in with a fresh session (against session fixation) and a new session row for this device."""
    session.clear()
    login_id = sessions.open_session(user, request.user_agent.string, request.remote_addr)
    login_user(user, remember=remember)
    # The cookie names this device's session, not the member (User.get_id): logout can then end only it.
    session["_user_id"] = login_id
    g.login_session_id = int(login_id.partition(":")[0])


def _login_limit() -> str:
    return current_app.config["FORUM_LOGIN_LIMIT"]


def _login_failed(response) -> bool:
    return response.status_code != 302


# Per address, only failed attempts count: a class logging in together from one network is not held up.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("board.latest"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data)
        except services.LoginBlocked as error:
            form.password.errors = [str(error.message)]
            return render_template("auth/login.html", form=form), 429
        except services.AccountSuspended as error:
            db.session.commit()  # the attempt counts towards the account's back-off
            form.password.errors = [_suspended(error)]
            return render_template("auth/login.html", form=form), 403
        if user is None:
            db.session.commit()  # the failure counts towards the account's back-off
            form.password.errors = [_("That username or email and password do not match an account.")]
        else:
            start_session(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next"), url_for("board.latest")))
    return render_template("auth/login.html", form=form)


def _suspended(error: services.AccountSuspended) -> str:
    reason = error.reason or _("no reason was given")
    if error.until is None:
        return _("Your account is suspended until a facilitator lifts it. The reason: %(reason)s", reason=reason)
    return _("Your account is suspended until %(until)s. The reason: %(reason)s",
             until=datetime_filter(error.until), reason=reason)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.end_session(current_session_id())
    db.session.commit()
    _forget_login()
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.home"))


@bp.route("/logout/everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session of the member, this one included (as Discourse does)."""
    form = LogoutEverywhereForm()
    if not form.validate_on_submit():
        abort(400)
    sessions.end_all_sessions(current_user)
    db.session.commit()
    _forget_login()
    flash(_("You have logged out on every device. Log in again to continue."), "info")
    return redirect(url_for("auth.login"))


def _forget_login() -> None:
    # Clear first: logout_user() then marks the remember-me cookie for deletion in the fresh session.
    session.clear()
    logout_user()
    g.pop("login_session_id", None)
    g.pop("touch_login_session", None)


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
                organisation=form.organisation.data,
                bio=form.bio.data,
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
        # Built and sent by the worker, so that the answer's timing does not tell whether the address is known.
        enqueue_after_commit(db.session, "auth.send_reset_links")
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
