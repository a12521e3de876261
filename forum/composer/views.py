"""JSON endpoints for the composer script: save a draft as the member types, preview Markdown."""

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.composer import services
from forum.core.errors import DomainError
from forum.core.markdown import render_markdown
from forum.core.requests import whole_number
from forum.extensions import db, limiter

bp = Blueprint("composer", __name__)


def _error(code: str, message: str, status: int = 400):
    return jsonify(error=code, message=message), status


@bp.route("/drafts/<key>", methods=["PUT", "DELETE"])
@login_required
@limiter.limit("120 per minute", key_func=lambda: f"drafts:{current_user.get_id()}")
def draft(key: str):
    try:
        if request.method == "DELETE":
            services.discard_draft(current_user, services.check_key(key))
        else:
            payload = request.get_json(silent=True)
            if not isinstance(payload, dict) or not isinstance(payload.get("raw", ""), str):
                return _error("invalid_draft", _("Send the draft as JSON with a text field named raw."))
            reply_to = payload.get("reply_to")
            services.save_draft(
                current_user,
                key,
                payload.get("raw", ""),
                title=payload.get("title") if isinstance(payload.get("title"), str) else None,
                reply_to=whole_number(reply_to) if isinstance(reply_to, int) else None,
            )
    except DomainError as error:
        db.session.rollback()
        return _error("draft_refused", str(error.message))
    db.session.commit()
    return jsonify(saved=True)


@bp.route("/preview", methods=["POST"])
@login_required
@limiter.limit("60 per minute", key_func=lambda: f"preview:{current_user.get_id()}")
def preview():
    """Markdown rendered exactly as it will be posted (mentions are linked once posted)."""
    payload = request.get_json(silent=True)
    raw = payload.get("raw") if isinstance(payload, dict) else None
    if not isinstance(raw, str):
        return _error("invalid_preview", _("Send JSON with a text field named raw."))
    if len(raw) > current_app.config["FORUM_MAX_POST_CHARS"]:
        return _error("too_long", _("Posts are limited to %(limit)d characters.", limit=current_app.config["FORUM_MAX_POST_CHARS"]))
    try:
        return jsonify(html=render_markdown(raw))
    except DomainError as error:
        return _error("too_complex", str(error.message))
