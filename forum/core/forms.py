"""Helpers shared by forms and views."""

from urllib.parse import urlsplit

from flask import abort, flash, request
from flask_wtf import FlaskForm

from forum.core.errors import DomainError, NotAllowed
from forum.extensions import db


class Form(FlaskForm):
    """The base of every form. Forms read HTML form posts only: Flask-WTF would also read a JSON body
    as form data, and fail on one that is not an object (a list, a number) with a server error."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if request.is_json:
                return None
            return super().wrap_formdata(form, formdata)


def show_domain_error(form, error: DomainError) -> None:
    """Attach a service's error to the field it names, or flash it for the whole form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


def safe_next_url(target: str | None, fallback: str) -> str:
    """Only same-site paths are followed after login (no open redirects)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


def commit_or_show_error(form, action) -> tuple[bool, object]:
    """Run `action` (a service call) and commit. On a DomainError, roll back and show the error on the form,
    so that the page is shown again with the member's input intact. Returns (succeeded, result)."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return False, None
    db.session.commit()
    return True, result


def commit_or_flash(action, done: str) -> bool:
    """Run `action` (a service call) for a button that has no form to show again: commit and flash `done`, or
    roll back and flash why it was refused (a NotAllowed answers 403). Returns whether it was done."""
    try:
        action()
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return False
    db.session.commit()
    flash(done, "success")
    return True
