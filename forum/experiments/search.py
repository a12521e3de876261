"""Experiments in search (registered with forum.search.records from init_app): an experiment's record is found
by its title, organisations, country, problem, principles, learning questions, setting and signals, by whoever
reads its category, and shown with its status. Its learning-log entries are posts in that category: they are
found as posts, under the experiment's category."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.core import links
from forum.experiments.models import Experiment
from forum.experiments.services import status_label
from forum.extensions import db
from forum.search import records

# The columns the record's document is made of: a change to any of them is queued for the index.
FIELDS = (
    "title", "organisations", "country", "problem", "principles", "learning_questions", "setting", "signals",
    "category_id",
)


def _record(experiment: Experiment) -> records.Record:
    # The problem first: a hit without the words searched in its text shows the start of it.
    parts = (
        experiment.problem, experiment.learning_questions, experiment.organisations, experiment.country,
        experiment.setting, experiment.signals, experiment.principles.replace(",", " "),
    )
    return records.Record(
        id=experiment.id, title=experiment.title, text="\n".join(part for part in parts if part),
        url=links.url("experiments.show", slug=experiment.slug), date=experiment.created_at,
        category_id=experiment.category_id, tags=(status_label(experiment.status),),
    )


def load(ids: list[int]) -> list[records.Record]:
    experiments = db.session.execute(select(Experiment).where(Experiment.id.in_(ids))).scalars()
    return [_record(experiment) for experiment in experiments]


def all_ids() -> list[int]:
    return db.session.execute(select(Experiment.id).order_by(Experiment.id)).scalars().all()


def register() -> None:
    records.register(records.RecordKind(
        name="experiment", prefix="x", label=_l("Experiment"),
        tip=_l("Experiments' records only. Their learning-log entries are posts in each experiment's category."),
        note=_l("These are experiments' records. Learning-log entries are posts: search without “type:experiment” "
                "to find them, under their experiment's category."),
        model=Experiment, fields=FIELDS, load=load, all_ids=all_ids,
    ))
