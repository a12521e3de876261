"""Uploading (for the composer script) and serving uploads to those who may see them."""

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.core.errors import DomainError
from forum.extensions import db, limiter
from forum.uploads import services
from forum.uploads.models import Upload
from forum.uploads.storage import storage

bp = Blueprint("uploads", __name__)

# Served files can never run in our origin: no script, no plugins, a sandbox even if opened directly.
UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


@bp.route("/uploads", methods=["POST"])
@login_required
@limiter.limit("30 per minute;300 per day", key_func=lambda: f"uploads:{current_user.get_id()}")
def upload():
    file = request.files.get("file")
    if file is None or not file.filename:
        return jsonify(error="no_file", message=_("Choose a file to upload.")), 400
    try:
        stored = services.store_upload(current_user, file.filename, file.read())
    except DomainError as error:
        db.session.rollback()
        return jsonify(error="upload_refused", message=str(error.message)), 400
    db.session.commit()
    url = f"/uploads/{stored.id}/{stored.original_name}"
    return jsonify(id=stored.id, url=url, markdown=services.markdown_for(stored), is_image=stored.is_image)


@bp.errorhandler(413)
def too_large(error):
    """The composer's script reads the answer as JSON, also when the request was cut off for its size."""
    limit = current_app.config["FORUM_MAX_UPLOAD_BYTES"]
    return jsonify(error="upload_refused", message=_("Files are limited to %(mb)d MB.", mb=limit // (1024 * 1024))), 413


@bp.route("/uploads/<int:upload_id>/<name>")
def serve(upload_id: int, name: str):
    upload = db.session.get(Upload, upload_id)
    if upload is None or name != upload.original_name or not services.can_view_upload(current_user, upload):
        abort(404)
    # send_file writes Content-Disposition: ASCII, with RFC 6266 `filename*=UTF-8''…` for other scripts.
    response = storage().send(upload.storage_key, upload.content_type, upload.original_name, not upload.is_image)
    response.headers["Content-Security-Policy"] = UPLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
