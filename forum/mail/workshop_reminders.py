"""The email a member gets 24 hours before a workshop they answered going or maybe to.

It lives in the mail package, reading the workshops' models and queries, so that imports point one way: mail
reads workshops (as the digest will, for upcoming workshops); workshops never import mail."""

from datetime import timedelta

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from forum.core import links
from forum.core.jobs import register_periodic
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail.compose import queue_email
from forum.policy import Policy
from forum.workshops.models import Workshop
from forum.workshops.queries import reminder_recipients

AHEAD = timedelta(hours=24)
JOB_SECONDS = 15 * 60


def send_workshop_reminders() -> int:
    """Queue the reminders of every workshop starting within 24 hours whose reminder has not gone out; each
    workshop is claimed first (one conditional UPDATE), so two workers never both send it. Returns how many
    emails were queued."""
    now = utcnow()
    due = db.session.execute(
        select(Workshop.id).where(
            Workshop.reminded_at.is_(None), Workshop.cancelled_at.is_(None),
            Workshop.starts_at > now, Workshop.starts_at <= now + AHEAD,
        ).order_by(Workshop.starts_at)
    ).scalars().all()
    queued = 0
    for workshop_id in due:
        claimed = db.session.execute(
            update(Workshop).where(Workshop.id == workshop_id, Workshop.reminded_at.is_(None)).values(reminded_at=now)
        ).rowcount
        if claimed == 1:
            queued += _remind(db.session.get(Workshop, workshop_id))
    return queued


def _remind(workshop: Workshop) -> int:
    page = links.absolute_url("workshops.show", slug=workshop.slug)
    sent = 0
    for member in reminder_recipients(workshop.id):
        policy = Policy(member)
        queue_email(
            member.email, _l("Reminder: %(title)s starts within 24 hours", title=workshop.title),
            "workshop_reminder", member=member, kind="workshop_reminder", user=member, workshop=workshop,
            ends_at=workshop.starts_at + timedelta(minutes=workshop.duration_minutes), page_url=page,
            call_link=workshop.call_link if policy.can("see_call_link", workshop) else None,
        )
        sent += 1
    return sent


def register_jobs(app: Flask) -> None:
    register_periodic(app, "mail.workshop_reminders", send_workshop_reminders, JOB_SECONDS)
