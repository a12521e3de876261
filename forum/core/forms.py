"""Helpers shared by forms and views."""

from urllib.parse import urlsplit

from flask import flash

from forum.core.errors import DomainError
from forum.extensions import db


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
