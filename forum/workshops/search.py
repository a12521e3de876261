"""Workshops in search (registered with forum.search.records from init_app): a workshop is found by its title,
agenda and featured organisations, by anyone who can see the site (as its page is), and shown with its type
and start time; a cancelled workshop is still found, marked cancelled."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.core import links
from forum.extensions import db
from forum.search import records
from forum.workshops.forms import KIND_LABELS
from forum.workshops.models import Workshop

# The columns the workshop's document is made of: a change to any of them is queued for the index.
FIELDS = ("title", "agenda", "organisations", "starts_at")


def _record(workshop: Workshop) -> records.Record:
    tags = (KIND_LABELS[workshop.kind],) + ((_l("Cancelled"),) if workshop.cancelled_at else ())
    return records.Record(
        id=workshop.id, title=workshop.title,
        text="\n".join(part for part in (workshop.agenda, workshop.organisations) if part),
        url=links.url("workshops.show", slug=workshop.slug), date=workshop.starts_at, tags=tags,
    )


def load(ids: list[int]) -> list[records.Record]:
    workshops = db.session.execute(select(Workshop).where(Workshop.id.in_(ids))).scalars()
    return [_record(workshop) for workshop in workshops]


def all_ids() -> list[int]:
    return db.session.execute(select(Workshop.id).order_by(Workshop.id)).scalars().all()


def register() -> None:
    records.register(records.RecordKind(
        name="workshop", prefix="w", label=_l("Workshop"),
        tip=_l("Workshops only, by their titles, agendas and organisations (cancelled ones too)."),
        model=Workshop, fields=FIELDS, load=load, all_ids=all_ids,
    ))
