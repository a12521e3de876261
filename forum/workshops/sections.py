"""The workshops' sections on an experiment's page (registered through forum.experiments.sections): the
workshops where it featured, and the peer challenges addressed to its team, open ones first."""

from flask import render_template
from markupsafe import Markup

from forum.experiments import sections
from forum.workshops.queries import challenges_addressed_to, workshops_featuring


def featured_in(experiment, _user) -> Markup | None:
    workshops = workshops_featuring(experiment.id)
    if not workshops:
        return None
    return Markup(render_template("workshops/_featured_in.html", workshops=workshops))


def challenges(experiment, _user) -> Markup | None:
    """Challenges are posts in workshops' threads, which every member can read; hidden or deleted posts are left
    out by the query."""
    rows = challenges_addressed_to(experiment.id)
    if not rows:
        return None
    open_rows = [row for row in rows if row[0].responded_at is None]
    return Markup(render_template(
        "workshops/_challenges_to_experiment.html", rows=rows, open_count=len(open_rows),
        responded_count=len(rows) - len(open_rows),
    ))


def register() -> None:
    sections.register("workshops", featured_in)
    sections.register("challenges", challenges)
