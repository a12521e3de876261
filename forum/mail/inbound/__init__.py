"""Inbound mail, the layers a receiver stands on: read a raw message with limits, tell bounces and
auto-replies apart, and keep only what the member wrote.

    parsed = parse_message(raw)            # ParsedMail, or a typed InboundMailError (errors.py)
    if is_bounce(parsed): bounce_report(parsed) ...
    elif is_auto_reply(parsed): drop
    else: markdown = trim_reply(parsed.plain, parsed.html)
"""

from forum.mail.inbound.classify import BounceReport, bounce_report, is_auto_reply, is_bounce
from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.parse import Attachment, ParsedMail, RefusedAttachment, parse_message
from forum.mail.inbound.trim import trim_reply

__all__ = [
    "Attachment",
    "BounceReport",
    "InboundMailError",
    "ParsedMail",
    "RefusedAttachment",
    "bounce_report",
    "is_auto_reply",
    "is_bounce",
    "parse_message",
    "trim_reply",
]
