"""The composer's pages and JSON endpoints: drafts (saved as the member types, listed, discarded), a Markdown
preview, and names to complete in mentions and message recipients."""

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.composer import forms, queries, services
from forum.core import links
from forum.core.errors import DomainError
from forum.core.forms import safe_next_url
from forum.core.markdown import render_markdown
from forum.core.requests import whole_number
from forum.extensions import db, limiter
from forum.users import avatars

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
                title=_text_or_none(payload.get("title")),
                reply_to=whole_number(reply_to) if isinstance(reply_to, int) else None,
                recipients=_text_or_none(payload.get("recipients")),
            )
    except DomainError as error:
        db.session.rollback()
        return _error("draft_refused", str(error.message))
    db.session.commit()
    return jsonify(saved=True)


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) else None


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


@bp.app_template_global()
def restored_draft(key: str | None):
    """The draft a composer page has just put back in its form, for the notice that says so (no query)."""
    return forms.restored(key) if key else None


@bp.route("/drafts")
@login_required
def drafts():
    return render_template("composer/drafts.html", entries=queries.draft_list(current_user))


@bp.app_template_global()
def draft_url(entry: queries.DraftEntry) -> str | None:
    """Where a draft is written: its topic's reply page, the new-topic page of its category, or a new message."""
    if entry.kind == "message":
        return url_for("messages.new")
    if entry.topic is not None:
        return url_for("board.reply", slug=entry.topic.slug, topic_id=entry.topic.id)
    if entry.category is not None:
        return url_for("board.new_topic", slug=entry.category.slug)
    return None


@bp.route("/drafts/<key>/discard", methods=["GET", "POST"])
@login_required
def discard(key: str):
    """Without JavaScript: Cancel asks here whether to keep the draft (GET); Discard is a form POST."""
    next_url = safe_next_url(request.values.get("next"), url_for("composer.drafts"))
    try:
        services.check_key(key)
    except DomainError:
        return redirect(next_url)
    draft = services.load_draft(current_user, key)
    if request.method == "GET":
        if draft is None:
            return redirect(next_url)
        return render_template("composer/discard.html", draft=draft, key=key, next_url=next_url)
    services.discard_draft(current_user, key)
    db.session.commit()
    if draft is not None:
        flash(_("Draft discarded."), "success")
    return redirect(next_url)


@bp.route("/composer/names")
@login_required
@limiter.limit("120 per minute", key_func=lambda: f"names:{current_user.get_id()}")
def names():
    """Members and groups for @mention and recipient completion: ?q=prefix, answered as JSON."""
    prefix = request.args.get("q", "").strip().lstrip("@")
    if not 1 <= len(prefix) <= 40:
        return _error("invalid_query", _("Type between 1 and 40 characters."))
    members, groups = queries.completion_names(current_user, prefix)
    return jsonify(
        members=[
            {
                "username": u.username,
                "display_name": u.display_name,
                "url": links.profile_url(u),
                "avatar": avatars.for_script(u, avatars.SUGGESTION_SIZE),
            }
            for u in members
        ],
        groups=[{"slug": g.slug, "name": g.name} for g in groups],
    )
