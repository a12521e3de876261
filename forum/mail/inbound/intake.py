"""The one way in for every inbound message, whatever carried it (an MTA pipe, the SMTP listener, a provider's
webhook): store the raw message first, then process it in a job by id. A crash while parsing loses nothing:
the row stays, marked, and can be processed again."""

from sqlalchemy import select

from forum.core.jobs import enqueue_after_commit
from forum.extensions import db
from forum.mail.inbound.models import InboundEmail, InboundStatus

PROCESS_TASK = "mail.inbound"
# A message bigger than this is not even stored (the SMTP listener and the webhook refuse it before reading
# it all); smaller ones that break a parse limit are stored and rejected with a reason.
MAX_STORED_BYTES = 25 * 1024 * 1024


def accept_raw(
    raw: bytes, *, source: str, envelope_from: str | None = None, envelope_to: list[str] | tuple = ()
) -> InboundEmail:
    """Store a received message in this transaction; it is processed once the transaction commits."""
    if len(raw) > MAX_STORED_BYTES:
        raise ValueError("message too large to store")
    message = InboundEmail(
        source=source, raw=raw, size=len(raw), envelope_from=(envelope_from or None) and envelope_from[:254],
        envelope_to="\n".join(envelope_to) or None, status=InboundStatus.RECEIVED,
    )
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(db.session, PROCESS_TASK, message.id)
    return message


def waiting_ids(limit: int = 100) -> list[int]:
    """Messages stored but not yet processed (their job was lost with a process): the sweep takes them."""
    return db.session.execute(
        select(InboundEmail.id).where(InboundEmail.status == InboundStatus.RECEIVED).order_by(InboundEmail.id)
        .limit(limit)
    ).scalars().all()
