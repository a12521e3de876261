"""/my/digest: a member previews their next digest, made by the same function as the email."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from forum.core import links
from forum.mail.digest import preview_digest
from forum.mail.links import PREFERENCES, preference_anchor
from forum.mail.models import DigestFrequency

bp = Blueprint("digest", __name__)


@bp.route("/my/digest")
@login_required
def preview():
    digest = preview_digest(current_user)
    return render_template(
        "mail/digest_preview.html", digest=digest, is_off=digest.frequency == DigestFrequency.OFF,
        preferences_url=links.url(PREFERENCES, anchor=preference_anchor("digest")),
    )
