"""Building a message: both parts from templates (text and HTML, under templates/email/), in the member's
language and time zone, with the HTML's styles inlined (mail clients drop <style> blocks)."""

import css_inline
from flask import current_app, render_template

from forum.core.i18n import in_members_language
from forum.mail.outbox import OutboxEmail, queue_message

# One inliner for the process; it never fetches remote stylesheets.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


def render_email(template: str, **context) -> tuple[str, str]:
    """(text, html) of `template`; the HTML with its styles inlined."""
    context.setdefault("forum_name", current_app.config["FORUM_NAME"])
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    return text, _INLINER.inline(html)


def queue_email(
    recipient: str,
    subject: str,
    template: str,
    *,
    member=None,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
    **context,
) -> OutboxEmail:
    """Render `template` for `member` (or for a newcomer without an account) and queue it in this transaction."""
    locale = getattr(member, "locale", None)
    zone = getattr(member, "timezone", None)
    with in_members_language(locale, zone):
        text, html = render_email(template, member=member, **context)
        subject = str(subject)
    return queue_message(
        recipient, subject, text, html, user_id=getattr(member, "id", None), kind=kind, headers=headers
    )
