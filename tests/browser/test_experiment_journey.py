"""The experiments and workshops journey in the browser: a member proposes an experiment, a facilitator
schedules a design workshop, the member nominates the experiment and the facilitator selects it, a critical friend
posts a challenge to the team in the workshop's thread and the team answers it. axe-core finds no WCAG 2.2 AA
violation on the experiment pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import violations
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser

TITLE = "Relational commissioning in Plymouth"


def _reply_in_thread(page, workshop_url: str, text: str) -> None:
    page.goto(workshop_url)
    page.get_by_role("link", name="Open the peer-challenge thread").click()
    page.locator("textarea[name=raw]").fill(text)
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text(text)).to_be_visible()


def test_propose_schedule_nominate_select_challenge_and_answer(page, open_page, make, console_errors):
    make.category("Workshops", slug="workshops")
    make.facilitator("fiona")
    make.user("jess", organisation="Plymouth City Council")
    make.user("amira")

    log_in(page, "jess")
    page.goto("/experiments/new")
    assert violations(page) == [], "/experiments/new"
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Organisation(s)").fill("Plymouth City Council")
    page.get_by_label("The public-management problem").fill("Grants are commissioned by outputs.")
    page.get_by_label("Human: working with people's own variety of needs and strengths").check()
    page.get_by_label("Learning questions").fill("What changes when providers are trusted?")
    page.get_by_role("button", name="Propose the experiment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    experiment_url = page.url
    assert violations(page) == [], "experiment page"

    facilitator = open_page()
    log_in(facilitator, "fiona")
    facilitator.goto("/workshops/new")
    facilitator.get_by_label("Title").fill("Design workshop 3")
    facilitator.get_by_label("Type").select_option("design")
    facilitator.get_by_label("Starts at (in the host's time zone)").fill("2030-04-02T10:00")
    facilitator.get_by_label("Host's time zone", exact=True).select_option("Europe/London")
    facilitator.get_by_role("button", name="Schedule").click()
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Design workshop 3")
    workshop_url = facilitator.url

    page.goto(workshop_url)
    page.get_by_label("Idea or experiment").fill("Help us design the trust-based grants")
    page.get_by_label("Short pitch").fill("Fund relationships, not outputs.")
    page.get_by_label("Experiment (if it has one)").select_option(label=TITLE)
    page.get_by_role("button", name="Nominate").click()

    facilitator.goto(workshop_url)
    facilitator.get_by_role("button", name="Select Help us design the trust-based grants").click()
    expect(facilitator.get_by_text("Selected: its experiment is featured in the workshop.")).to_be_visible()

    friend = open_page()
    log_in(friend, "amira")
    _reply_in_thread(friend, workshop_url, "How will you know the providers feel trusted?")  # post 2
    friend.goto(workshop_url)
    friend.get_by_label("Post number in the thread").fill("2")
    friend.get_by_label("Type", exact=True).select_option("challenge")  # ids unique: the labels find their own
    friend.get_by_label("Addressed to (for a challenge)").select_option(label=TITLE)
    friend.get_by_role("button", name="Mark", exact=True).click()
    expect(friend.get_by_text("Open challenges: 1 · Responded: 0")).to_be_visible()

    _reply_in_thread(page, workshop_url, "We will ask them every quarter, in person.")  # post 3
    page.goto(workshop_url)
    page.get_by_label("Number of the post that answers it").fill("3")
    page.get_by_role("button", name="Mark responded").click()
    expect(page.get_by_text("Open challenges: 0 · Responded: 1")).to_be_visible()

    page.goto(experiment_url)
    expect(page.get_by_role("heading", name="Workshops where it featured")).to_be_visible()
    expect(page.get_by_role("link", name="Design workshop 3", exact=True)).to_be_visible()
    expect(page.get_by_text("Open challenges: 0 · Responded: 1")).to_be_visible()
    assert violations(page) == [], "experiment page with workshops and challenges"
    page.goto("/experiments")
    assert violations(page) == [], "/experiments"
    assert console_errors == []
