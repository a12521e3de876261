"""A message's attachments and inline images become uploads through the composer's own service
(uploads.services.store_upload: content sniffing, re-encoding, size limits, the member's quota), referenced in
the post's Markdown; what it refuses, and what the parser refused for its size, is listed for the sender.

An inline image stands where the member put it (``![..](cid:..)`` in Markdown made from HTML), else after the
text. An inline part that the kept HTML does not show belonged to the quoted history or the signature (an
Outlook logo) and is left out without a word.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from forum.core.errors import DomainError
from forum.mail.inbound.parse import Attachment, ParsedMail
from forum.mail.inbound.trim import trim_html
from forum.uploads.services import markdown_for, store_upload

_CID_IMAGE = re.compile(r"!\[[^\]\n]*\]\(<?cid:([^)\s>]+)>?\)")


@dataclass(frozen=True)
class Refused:
    filename: str
    reason: str


def attach(text: str, parsed: ParsedMail, member) -> tuple[str, list[Refused]]:
    """`text` with the message's attachments stored as the member's uploads; and what was refused."""
    refused = [
        Refused(item.filename, str(_l("larger than the forum accepts by mail"))) for item in parsed.refused_attachments
    ]
    shown_cids = set(_CID_IMAGE.findall(trim_html(parsed.html))) if parsed.html else None
    placed: dict[str, str] = {}
    appended: list[str] = []
    for item in parsed.attachments:
        if item.content_id and shown_cids is not None and item.content_id not in shown_cids:
            continue
        markdown = _stored(item, member, refused)
        if markdown is None:
            continue
        if item.content_id and f"cid:{item.content_id}" in text:
            placed[item.content_id] = markdown
        else:
            appended.append(markdown)
    text = _CID_IMAGE.sub(lambda m: placed.get(m.group(1), ""), text).strip()
    return "\n\n".join(part for part in (text, *appended) if part), refused


def _stored(item: Attachment, member, refused: list[Refused]) -> str | None:
    try:
        return markdown_for(store_upload(member, item.filename, item.data))
    except DomainError as error:
        refused.append(Refused(item.filename, str(error.message)))
        return None
