"""Inbound mail's jobs: "mail.inbound" processes one stored message by id (enqueued by intake when it is
stored, and by an admin's "process again"); a periodic sweep takes the messages whose job was lost with a
process, and gives up on one that never finished MAX_ATTEMPTS times (it kills its worker) instead of feeding it
to every worker for ever."""

from flask import Flask
from sqlalchemy import update

from forum.core.jobs import enqueue_after_commit, register_periodic, register_task
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.inbound import receiver
from forum.mail.inbound.intake import PROCESS_TASK, waiting_ids
from forum.mail.inbound.models import InboundEmail, InboundStatus

SWEEP_SECONDS = 300


def sweep() -> int:
    """Enqueue every message still waiting (processing is idempotent, so one whose job is merely slow is
    harmless to enqueue again); returns how many."""
    db.session.execute(
        update(InboundEmail)
        .where(InboundEmail.status == InboundStatus.RECEIVED, InboundEmail.attempts >= receiver.MAX_ATTEMPTS)
        .values(status=InboundStatus.FAILED, reason="gave_up", processed_at=utcnow(),
                detail=f"Processing never finished in {receiver.MAX_ATTEMPTS} attempts.")
    )
    ids = waiting_ids()
    for inbound_id in ids:
        enqueue_after_commit(db.session, PROCESS_TASK, inbound_id)
    return len(ids)


def register_jobs(app: Flask) -> None:
    register_task(app, PROCESS_TASK, receiver.process)
    register_periodic(app, "mail.inbound.sweep", sweep, SWEEP_SECONDS)
