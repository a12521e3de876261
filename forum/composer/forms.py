"""Putting a kept draft back into a composer's form, and remembering that it was put back (for the notice that
says so: restored text must never pass for what the member has just typed)."""

from flask import g

from forum.composer import services
from forum.composer.models import Draft


def restore_draft(form, user, key: str) -> Draft | None:
    """Fill the form (title, text, reply-to, recipients) from the member's draft for `key`, if there is one."""
    draft = services.load_draft(user, key)
    if draft is None:
        return None
    form.raw.data = draft.raw
    if hasattr(form, "title"):
        form.title.data = draft.title
    if hasattr(form, "reply_to") and draft.reply_to:
        form.reply_to.data = str(draft.reply_to)
    if hasattr(form, "recipients") and draft.recipients:
        form.recipients.data = draft.recipients
    g.setdefault("restored_drafts", {})[key] = draft
    return draft


def restored(key: str) -> Draft | None:
    """The draft this request put back into a form, if any."""
    return g.get("restored_drafts", {}).get(key)
