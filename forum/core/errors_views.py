"""Error pages: every failure a member can cause gets a readable page, never a bare 500."""

from flask import flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_url
from flask_wtf.csrf import CSRFError

from forum.core.errors import DomainError
from forum.extensions import db, login_manager

TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to see this page."),
        404: _("There is nothing here. The link may be wrong, or the page may have been removed or made private."),
        405: _("That action is not available here."),
        413: _("What you sent is too large."),
        429: _("You are doing that too often. Please wait a moment and try again."),
        500: _("Something went wrong on our side. It has been logged; please try again later."),
    }


CODES = {
    400: "bad_request", 403: "not_allowed", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
    429: "too_many_requests", 500: "server_error",
}


def wants_json() -> bool:
    """A script asked (Accept: application/json) or sent a JSON body: its errors come as JSON with a code and a
    message. Browsers' forms never send JSON."""
    return request.accept_mimetypes.best == "application/json" or request.is_json


def login_required_response():
    """Flask-Login's answer to a visitor who must log in first. A script gets a JSON 401: a redirect would be
    followed to the login page, whose HTML the script cannot read. A browser goes to the login page, which
    brings it back afterwards."""
    if wants_json():
        response = jsonify(error="login_required", message=_("Please log in first."))
        response.status_code = 401
        return response
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _render(status: int, message: str | None = None, code: str | None = None):
    if wants_json():
        return jsonify(error=code or CODES[status], message=message or _messages()[status]), status
    return render_template(
        "errors/error.html", status=status, title=TITLES[status], message=message or _messages()[status]
    ), status


def register_error_handlers(app) -> None:
    for status in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(status, lambda error, status=status: _render(status))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400, _("Your form expired or was sent from elsewhere. Please go back, reload the page and try again."), "csrf_failed"
        )

    @app.errorhandler(DomainError)
    def domain_error(error):
        db.session.rollback()
        return _render(error.status_code if error.status_code in TITLES else 400, str(error.message))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(500)
