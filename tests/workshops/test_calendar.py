"""The .ics file of a workshop and each member's calendar feed, read back by two iCalendar parsers."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

from forum.extensions import db
from forum.workshops.models import Workshop


def slug_of(app, workshop_id):
    with app.app_context():
        return db.session.get(Workshop, workshop_id).slug


def feed_url(client) -> str:
    html = client.get("/my/calendar").get_data(as_text=True)
    return re.search(r'value="(http://[^"]+/calendar/[^"]+\.ics)"', html).group(1)


def test_the_ics_file_has_the_right_utc_instant_across_the_london_clock_change(app, client, community):
    slug = slug_of(app, community.workshop(
        title="Design after the clock change", local_start=datetime(2030, 4, 2, 10, 0), timezone="Europe/London",
    ))
    response = client.get(f"/workshops/{slug}.ics")
    assert response.mimetype == "text/calendar"
    body = response.get_data()
    assert b"DTSTART:20300402T090000Z" in body

    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2030, 4, 2, 9, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2030, 4, 2, 12, 0, tzinfo=UTC)
    assert str(event["summary"]) == "Design after the clock change"

    # The second parser, asked for the Helsinki day, finds it at noon there (EEST, UTC+3).
    helsinki = ZoneInfo("Europe/Helsinki")
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(
        datetime(2030, 4, 2, tzinfo=helsinki), datetime(2030, 4, 3, tzinfo=helsinki)
    )
    assert [e["DTSTART"].dt.astimezone(helsinki).hour for e in found] == [12]


def test_the_uid_stays_the_same_when_the_workshop_moves(app, client, auth, community):
    workshop_id = community.workshop(local_start=datetime(2030, 4, 2, 10, 0))
    slug = slug_of(app, workshop_id)
    uid = Calendar.from_ical(client.get(f"/workshops/{slug}.ics").get_data()).walk("VEVENT")[0]["uid"]
    auth.login("facilitator1")
    client.post(f"/workshops/{slug}/edit", data={
        "title": "Design workshop", "kind": "design", "local_start": "2030-04-03T14:00",
        "timezone": "Europe/Helsinki", "duration_minutes": "180",
    })
    event = Calendar.from_ical(client.get(f"/workshops/{slug}.ics").get_data()).walk("VEVENT")[0]
    assert event["uid"] == uid
    assert event.decoded("dtstart") == datetime(2030, 4, 3, 11, 0, tzinfo=UTC)


def test_the_call_link_is_in_the_ics_for_members_only(app, client, auth, make, community):
    slug = slug_of(app, community.workshop(call_link="https://meet.example.org/secret-room"))
    assert b"secret-room" not in client.get(f"/workshops/{slug}.ics").get_data()
    make.user("amira")
    auth.login("amira")
    assert b"secret-room" in client.get(f"/workshops/{slug}.ics").get_data()


def test_the_feed_works_without_logging_in_and_a_reset_address_stops_working(app, client, auth, make, community):
    community.workshop(title="Launch of the cohort", local_start=datetime(2030, 4, 2, 10, 0))
    make.user("amira")
    auth.login("amira")
    old = feed_url(client)
    auth.logout()
    response = client.get(old)
    assert response.status_code == 200
    events = recurring_ical_events.of(Calendar.from_ical(response.get_data())).between(
        datetime(2030, 4, 1, tzinfo=UTC), datetime(2030, 4, 3, tzinfo=UTC)
    )
    assert [str(e["SUMMARY"]) for e in events] == ["Launch of the cohort"]
    assert b"meet.example.org" in response.get_data()  # the member's feed carries the call link

    auth.login("amira")
    client.post("/my/calendar")
    new = feed_url(client)
    auth.logout()
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_forged_feed_address_is_not_found(client, community):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
