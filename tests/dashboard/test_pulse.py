"""The facilitation page's numbers for a small community whose every post, member and answer is placed."""

import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import update

from forum.board.models import Topic
from forum.dashboard.queries import month_starts
from forum.experiments.models import Status
from forum.extensions import db
from forum.workshops.models import Workshop

SVG = "{http://www.w3.org/2000/svg}"


def panels(html: str) -> dict[str, dict]:
    """Each chart panel by its heading: the SVG, and the table's rows as (week, posts, members)."""
    found = {}
    for chunk in html.split('<section class="chart-panel"')[1:]:
        heading = re.sub(r"<[^>]+>", "", re.search(r"<h3[^>]*>(.*?)</h3>", chunk, re.S).group(1)).strip()
        rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td><td>(\d+)</td></tr>', chunk)
        found[heading] = {
            "svg": re.search(r"<svg.*?</svg>", chunk, re.S).group(0),
            "rows": [(week, int(posts), int(members)) for week, posts, members in rows],
            "note": re.sub(r"<[^>]+>", "", (re.search(r'<p class="help">(.*?)</p>', chunk) or [""])[0]),
        }
    return found


def columns(panel) -> tuple[list[int], list[int]]:
    return [r[1] for r in panel["rows"]], [r[2] for r in panel["rows"]]


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def community(pulse, make):
    """Two experiments with posts in weeks 9 and 10 of the 12 (two and one weeks ago), and more:

    Relational commissioning: aino opens a topic 2 weeks ago with replies by ben and aino that week, aino
    replies again a week ago, a reply by ben is removed; its only learning-log entry is 5 weeks old.
    Learning cycles: chris opens a topic a week ago and has an entry from a week ago; ben's topic in it was
    removed. Still under way since 10 weeks with no entry at all: Quiet garden; concluded long ago: Old pilot.
    """
    p = pulse
    p.aino, p.ben, p.chris = make.user("aino"), make.user("ben"), make.user("chris")
    months = month_starts(p.now)
    for member in (p.aino, p.ben):
        p.joined(member, months[-3] + timedelta(days=2))
    p.joined(p.chris, months[0] - timedelta(days=10))

    p.relational = p.experiment("Relational commissioning")
    p.cycles = p.experiment("Learning cycles")
    p.quiet = p.experiment("Quiet garden")
    p.old = p.experiment("Old pilot", status=Status.CONCLUDED)

    topic = p.topic(p.aino, p.category_of(p.relational), weeks_ago=2)
    p.reply(p.ben, topic, weeks_ago=2)
    p.reply(p.aino, topic, weeks_ago=2)
    p.reply(p.aino, topic, weeks_ago=1)
    p.reply(p.ben, topic, weeks_ago=1, deleted_at=p.now)
    p.log_entry(p.relational, weeks_ago=5)

    p.topic(p.chris, p.category_of(p.cycles), weeks_ago=1)
    removed = p.topic(p.ben, p.category_of(p.cycles), weeks_ago=1)
    with p.app.app_context():
        db.session.execute(update(Topic).where(Topic.id == removed).values(deleted_at=p.now))
        db.session.commit()
    p.log_entry(p.cycles, weeks_ago=1)

    p.workshop_id = p.workshop(title="Sharing workshop")
    p.open_challenge = p.challenge(p.chris, p.workshop_id, p.relational, weeks_ago=3)
    answered = p.challenge(p.ben, p.workshop_id, p.cycles, weeks_ago=2)
    p.respond(answered, weeks_ago=2)
    for member, answer in ((p.aino, "going"), (p.ben, "maybe"), (p.chris, "going"), (p.facilitator_id, "not_going")):
        p.answer(p.workshop_id, member, answer)
    cancelled = p.workshop(title="Cancelled workshop")
    past = p.workshop(title="Past workshop")
    with p.app.app_context():
        db.session.execute(update(Workshop).where(Workshop.id == cancelled).values(cancelled_at=p.now))
        db.session.execute(update(Workshop).where(Workshop.id == past).values(starts_at=p.weeks_ago(1)))
        db.session.commit()
    return p


def _page(client, auth, url="/facilitation"):
    auth.login("facilitator1")
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_experiment_shows_its_posts_and_active_members_per_week(client, auth, community):
    found = panels(_page(client, auth))
    posts, members = columns(found["Relational commissioning"])
    assert len(posts) == 12
    # Week 6 (5 weeks ago): the learning-log entry; week 9: aino's topic and two replies by aino and ben;
    # week 10: aino's reply (ben's removed reply does not count).
    assert posts == [0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 1, 0]
    assert members == [0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 1, 0]
    # Chris's topic and the facilitator's entry; ben's removed topic does not count.
    assert columns(found["Learning cycles"]) == ([0] * 10 + [2, 0], [0] * 10 + [2, 0])
    assert columns(found["Quiet garden"]) == ([0] * 12, [0] * 12)


def test_cohorts_are_the_month_members_joined_with_their_weekly_activity(client, auth, community):
    html = _page(client, auth)
    assert "a member's cohort here is the month they joined" in page_text_of(html)
    found = panels(html)
    months = month_starts(community.now)
    two_months_ago = [name for name in found if name.startswith("Joined in ") and
                      months[-3].strftime("%B %Y") in name]
    assert len(two_months_ago) == 1
    aino_and_ben = found[two_months_ago[0]]
    # Aino's topic and reply with ben's reply and challenge two weeks ago; aino's reply a week ago.
    assert columns(aino_and_ben) == ([0] * 9 + [4, 1, 0], [0] * 9 + [2, 1, 0])
    assert aino_and_ben["note"] == "2 members joined."
    earlier = found[f"Joined before {months[0].strftime('%B %Y')}"]
    assert columns(earlier) == ([0] * 8 + [1, 0, 1, 0], [0] * 8 + [1, 0, 1, 0])


def page_text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_open_challenges_are_listed_and_answered_ones_are_not(client, auth, community):
    html = section(_page(client, auth), "open-challenges")
    rows = re.findall(r"<tr>.*?</tr>", html.split("<tbody>", 1)[1], re.S)
    assert len(rows) == 1
    assert "Chris in Sharing workshop" in page_text_of(rows[0])
    assert "Relational commissioning" in rows[0]
    assert f"/{community.thread(community.workshop_id)}/" in rows[0]  # a link into the thread, at the post


def test_experiments_whose_learning_log_is_quiet_for_n_weeks(client, auth, community):
    default = page_text_of(section(_page(client, auth), "quiet-logs"))
    # Longest quiet first: no entry in 10 weeks, then an entry 5 weeks ago; a concluded one owes none.
    assert "Quiet garden" in default and "Relational commissioning" in default
    assert default.index("Quiet garden") < default.index("Relational commissioning")
    assert "No entry yet" in default
    assert "Learning cycles" not in default and "Old pilot" not in default
    six = page_text_of(section(client.get("/facilitation?weeks=6").get_data(as_text=True), "quiet-logs"))
    assert "Quiet garden" in six and "Relational commissioning" not in six


@pytest.mark.parametrize("weeks", ["0", "53", "four", ""])
def test_a_number_of_weeks_out_of_range_is_refused_with_a_message(client, auth, community, weeks):
    auth.login("facilitator1")
    response = client.get(f"/facilitation?weeks={weeks}")
    assert response.status_code == 400
    quiet = section(response.get_data(as_text=True), "quiet-logs")
    assert 'aria-invalid="true"' in quiet
    assert "weeks-error" in quiet
    assert "in the last 4 weeks" in page_text_of(quiet)  # the page still answers, with the default


def test_upcoming_workshops_with_their_answers(client, auth, community):
    html = section(_page(client, auth), "coming-workshops")
    rows = re.findall(r"<tr>.*?</tr>", html.split("<tbody>", 1)[1], re.S)
    assert len(rows) == 1  # neither the cancelled nor the past workshop
    assert "Sharing workshop" in rows[0]
    assert re.findall(r'<td class="number">(\d+)</td>', rows[0]) == ["2", "1", "1"]
    assert [h.strip() for h in re.findall(r'<th scope="col" class="number">(.*?)</th>', html)] == [
        "Going", "Maybe", "Not going",
    ]


def test_each_chart_is_an_svg_image_with_a_title_drawing_the_numbers_of_its_table(client, auth, community):
    found = panels(_page(client, auth))
    assert len(found) >= 5
    for heading, panel in found.items():
        svg = ET.fromstring(panel["svg"])  # well-formed XML
        assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert heading in title.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        bars = [int(r.get("data-value")) for r in svg.iter(f"{SVG}rect") if r.get("data-value") is not None]
        dots = [int(c.get("data-value")) for c in svg.iter(f"{SVG}circle") if c.get("data-value") is not None]
        assert (bars, dots) == columns(panel), heading
        assert f"{sum(bars)} posts" in desc.text


def test_labels_are_escaped_in_the_chart_and_the_page(client, auth, pulse):
    pulse.experiment('<script>alert(1)</script> & "Co"')
    html = _page(client, auth)
    assert "<script>alert(1)</script>" not in html
    panel = next(p for name, p in panels(html).items() if "alert(1)" in name)
    title = ET.fromstring(panel["svg"]).find(f"{SVG}title").text
    assert '<script>alert(1)</script> & "Co"' in title


def test_the_page_carries_no_inline_style_or_script(client, auth, community):
    html = _page(client, auth)
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert re.search(r" on[a-z]+=", html) is None
