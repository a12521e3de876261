"""The third way in for inbound mail: a mail provider's inbound webhook POSTs the raw message (MIME) to
/mail/inbound with the shared secret (FORUM_INBOUND_WEBHOOK_TOKEN) as a bearer token. Without a configured
token the endpoint does not exist (404). The message is stored raw and committed before the 202, like the
listener's 250. Only the provider can reach the receiver this way: a forged bounce posted by anyone else is
refused before it is read, so it cannot mark a member as bouncing.
"""

import hmac

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from forum.extensions import csrf
from forum.mail.inbound.listener import MAX_STORED_BYTES, Refused, TemporaryFailure, store

bp = Blueprint("mail_inbound", __name__)

RAW_TYPES = ("message/rfc822", "application/octet-stream")


def _error(status: int, code: str, message: str):
    response = jsonify(error=code, message=message)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="inbound mail"'
    return response


def _authorised(token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


@bp.route("/mail/inbound", methods=["POST"])
@csrf.exempt  # a provider's server calls it with a token, not a browser with a session
def receive():
    token = current_app.config["FORUM_INBOUND_WEBHOOK_TOKEN"]
    if not token:
        abort(404)
    if not _authorised(token):
        return _error(401, "unauthorized", _("A valid bearer token is required."))
    if request.mimetype not in RAW_TYPES:
        return _error(415, "unsupported_media_type", _("Send the raw message as message/rfc822."))
    # Refused by its declared length before a byte is read; a body without a length is cut at the limit.
    if request.content_length is not None and request.content_length > MAX_STORED_BYTES:
        return _error(413, "too_large", _("The message is larger than the forum accepts."))
    request.max_content_length = MAX_STORED_BYTES
    try:
        raw = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _error(413, "too_large", _("The message is larger than the forum accepts."))
    if not raw.strip():
        return _error(400, "empty", _("The request body holds no message."))
    try:
        inbound_id = store(raw, source="webhook", envelope_from=request.args.get("sender"),
                           envelope_to=request.args.getlist("recipient"))
    except Refused:
        return _error(413, "too_large", _("The message is larger than the forum accepts."))
    except TemporaryFailure:
        response = _error(503, "unavailable", _("The forum cannot store mail right now; try again later."))
        response.headers["Retry-After"] = "60"
        return response
    return jsonify(id=inbound_id, status="received"), 202
