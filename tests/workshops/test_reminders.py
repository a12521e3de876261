"""The email reminder 24 hours before a workshop, to the members who answered going or maybe."""

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from forum.auth.models import User
from forum.core.jobs import run_job
from forum.extensions import db
from forum.workshops import services
from forum.workshops.models import Answer, Workshop


@pytest.fixture
def outbox(app):
    folder = Path(app.config["FORUM_OUTBOX_DIR"])
    for leftover in folder.glob("*.eml"):
        leftover.unlink()

    def messages():
        files = sorted(folder.glob("*.eml")) if folder.exists() else []
        return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]

    return messages


def answer(app, workshop_id, user_id, value):
    with app.test_request_context():
        services.rsvp(db.session.get(User, user_id), db.session.get(Workshop, workshop_id), value)
        db.session.commit()


def test_the_reminder_goes_once_to_members_going_or_maybe_in_their_own_zone(app, make, community, outbox):
    starts = (datetime.now(UTC) + timedelta(hours=20)).replace(second=0, microsecond=0)
    workshop_id = community.workshop(
        title="Sharing and reflection", local_start=starts.replace(tzinfo=None), timezone="UTC",
        call_link="https://meet.example.org/sharing",
    )
    going = make.user("aino", email="aino@example.org", timezone="Europe/Helsinki")
    maybe = make.user("maria", email="maria@example.org", timezone="America/New_York")
    no = make.user("nils", email="nils@example.org")
    answer(app, workshop_id, going, Answer.GOING)
    answer(app, workshop_id, maybe, Answer.MAYBE)
    answer(app, workshop_id, no, Answer.NOT_GOING)

    run_job(app, "mail.workshop_reminders")
    run_job(app, "mail.workshop_reminders")

    sent = outbox()
    assert sorted(message["To"] for message in sent) == ["aino@example.org", "maria@example.org"]
    aino = next(m for m in sent if m["To"] == "aino@example.org")
    assert aino["Subject"] == "Reminder: Sharing and reflection starts within 24 hours"
    text = " ".join(aino.get_body(("plain",)).get_content().split())
    helsinki = starts.astimezone(ZoneInfo("Europe/Helsinki"))
    assert f"{helsinki:%-I}:{helsinki:%M} {helsinki:%p} (Europe/Helsinki)" in text
    assert "Host's time:" in text and "(UTC)" in text
    assert "https://meet.example.org/sharing" in text
    html = aino.get_body(("html",)).get_content()
    assert "Open the workshop's page" in html and "(Europe/Helsinki)" in html


def test_no_reminder_for_a_workshop_more_than_a_day_away_or_cancelled(app, make, community, outbox):
    later = community.workshop(title="Far away", local_start=datetime(2030, 4, 2, 10, 0))
    soon = (datetime.now(UTC) + timedelta(hours=3)).replace(tzinfo=None, second=0, microsecond=0)
    cancelled = community.workshop(title="Called off", local_start=soon, timezone="UTC")
    member = make.user("aino")
    answer(app, later, member, Answer.GOING)
    answer(app, cancelled, member, Answer.GOING)
    with app.test_request_context():
        services.cancel_workshop(db.session.get(User, community.facilitator_id), db.session.get(Workshop, cancelled))
        db.session.commit()
    run_job(app, "mail.workshop_reminders")
    assert outbox() == []
