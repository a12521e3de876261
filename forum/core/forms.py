"""Helpers shared by forms and views."""

from urllib.parse import urlsplit

from flask import flash

from forum.core.errors import DomainError


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
