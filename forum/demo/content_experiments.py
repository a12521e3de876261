"""The demo's experiments, workshops and current notice as plain data. The three seed organisations' categories
become experiments (the migration path a community that started with plain categories takes); the workshop
threads already in content_workshops.py become the threads of workshop records."""

from typing import NamedTuple

from forum.demo.content import EDUFI, HIS, PHS, PLYMOUTH, TEAM_HEALTH, TEAM_PLYMOUTH, TEAM_VOCATIONAL
from forum.workshops.models import Answer, Kind


class LogEntry(NamedTuple):
    author: str
    days_ago: int
    did: str
    learned: str
    will_change: str


class Step(NamedTuple):
    """A lifecycle step `days_ago` days before the load, with its note."""

    status: str
    days_ago: int
    note: str


class ExperimentSpec(NamedTuple):
    category: str  # the slug of the category that becomes the experiment
    title: str
    team: str  # the group whose members form the experiment's team
    organisations: tuple[str, ...]
    country: str
    problem: str
    principles: tuple[str, ...]
    learning_questions: str
    setting: str
    signals: str
    started_days_ago: int
    steps: tuple[Step, ...]
    log: tuple[LogEntry, ...]


EXPERIMENTS = (
    ExperimentSpec(
        "vocational", "Learning cycles in vocational education", TEAM_VOCATIONAL, (EDUFI,), "Finland",
        "The national agency steers vocational colleges through reports and completion-rate funding. Teachers "
        "spend their time reporting, and nobody learns from the reports.",
        ("human", "learning", "systems"),
        "What do students and teachers learn about their own practice in a cycle, and what do we do with it?\n"
        "What do colleges try when the performance pressure is lifted, and what stops them?",
        "Two vocational colleges in Jyväskylä and Tampere: welding, practical nursing and business teachers, "
        "their students, and the agency's own unit.",
        "Teachers say they changed course because of what they heard; students can say what they are proud of; "
        "the agency stops asking for something nobody reads.",
        40,
        (Step("designing", 36, "Design workshop 1: the two colleges said yes; any team can stop after cycle 1."),
         Step("running", 24, "Cycle 1 started in both colleges.")),
        (
            LogEntry("mikko.k", 19, "Visited the welding and practical nursing teams in Tampere and Jyväskylä; "
                     "ran the first learning conversation with teachers and students.",
                     "Students talk about pride, not grades. Teachers asked for less reporting, not more.",
                     "We will drop the mid-year self-assessment for the two teams in the experiment."),
            LogEntry("aino", 9, "Stopped the unread annual report at the agency, after five weeks of "
                     "preparation and a five-minute decision.",
                     "Nobody could remember who read the report: the 2019 summary it fed no longer exists.",
                     "Cycle 3: each college designs its own learning conversation; we only host."),
        ),
    ),
    ExperimentSpec(
        "health-and-care", "What matters conversations in care homes", TEAM_HEALTH, (HIS, PHS), "Scotland",
        "Care home improvement is steered by dashboard-led reviews that staff experience as inspection; what "
        "matters to residents rarely reaches the people who decide.",
        ("human", "learning"),
        "What do homes notice when they start from what matters to residents?\n"
        "What would the national bodies have to stop doing for homes to keep learning?",
        "Four care homes in a collaborative of fourteen, their residents and staff, with Healthcare Improvement "
        "Scotland and Public Health Scotland.",
        "Residents and staff bring up things earlier; reviews change what is talked about; the board stops "
        "asking for the dashboard.",
        38,
        (Step("designing", 36, "Design workshop 1: two organisations, one team."),
         Step("running", 26, "Dashboard-led reviews replaced by conversations in four homes."),
         Step("reflecting", 12, "Cycle 1 retrospective before we widen it.")),
        (
            LogEntry("fiona.m", 20, "Replaced the monthly dashboard review with a what-matters conversation in "
                     "four homes; night staff were briefed in person.",
                     "A resident was 'more herself' at breakfast once staff knew she had run a bakery.",
                     "Residents will co-host the conversations in two homes."),
            LogEntry("ishbel", 11, "Briefed the board's chair, with Callum, on what the homes are trying.",
                     "Only one board member knew the experiment existed.",
                     "We will bring a resident's story to the board instead of the dashboard."),
        ),
    ),
    ExperimentSpec(
        "plymouth-family-hubs", "Plymouth family hubs: trust and autonomy", TEAM_PLYMOUTH, (PLYMOUTH,),
        "England",
        "Family hub workers must ask a panel before spending money on a family, so help arrives weeks late and "
        "workers learn to stop asking.",
        ("human", "systems"),
        "What do workers do differently when they are trusted?\n"
        "Whose learning are we tracking: the workers', the families', or the council's?",
        "Three family hubs in Plymouth, starting in Devonport, with the families they work with.",
        "Families tell workers things earlier; workers spend without asking and tell us why; the panel meets "
        "less.",
        34,
        (Step("designing", 30, "Experiment plan agreed with the hub managers."),
         Step("running", 18, "A budget front-line workers can spend without asking.")),
        (
            LogEntry("tom.b", 16, "Gave each Devonport worker a budget they can spend without asking.",
                     "The first purchases were small: bus fares, a cooker, school shoes.",
                     "A question for families at the end of each month."),
            LogEntry("jess.w", 4, "Stopped using the eleven-page referral form in Devonport.",
                     "Nobody missed it; workers wrote two lines instead and families were seen sooner.",
                     "The other hubs will each design their own version: no roll-out, no toolkit."),
        ),
    ),
)


class WorkshopSpec(NamedTuple):
    title: str
    kind: Kind
    days_from_now: int  # negative: in the past
    hour: int  # local time in the host's zone
    timezone: str
    duration_minutes: int
    experiments: tuple[str, ...]  # category slugs
    thread: str | None = None  # the title of a demo topic in Workshops that becomes its thread
    agenda: str | None = None


CALL_LINK = "https://meet.example.org/fellowship"

WORKSHOPS = (
    WorkshopSpec("Launch", Kind.LAUNCH, -42, 10, "Europe/London", 180,
                 ("vocational", "health-and-care", "plymouth-family-hubs"), "The launch: peer challenge thread"),
    WorkshopSpec("Experiment design workshop 1", Kind.DESIGN, -36, 12, "Europe/Helsinki", 180,
                 ("vocational", "health-and-care", "plymouth-family-hubs"),
                 "Experiment design workshop 1: notes and follow-ups"),
    WorkshopSpec("Experiment design workshop 2", Kind.DESIGN, -25, 10, "Europe/London", 180,
                 ("vocational", "health-and-care", "plymouth-family-hubs"),
                 "Experiment design workshop 2: from hypotheses to learning questions"),
    WorkshopSpec("Sharing & reflection deep dive", Kind.SHARING, -6, 9, "Europe/Helsinki", 150,
                 ("vocational", "health-and-care", "plymouth-family-hubs"),
                 "Sharing & reflection deep dive: what we learned about learning"),
    WorkshopSpec("Experiment design workshop 3: cycle 3 plans", Kind.DESIGN, 12, 10, "Europe/London", 180, (),
                 agenda="1. Welcome and check-in (15 min)\n2. The nominated experiment: pitch and questions "
                        "(45 min)\n3. Peer challenge in pairs (60 min)\n4. Learning questions for cycle 3 (45 min)\n"
                        "5. Close (15 min)"),
    WorkshopSpec("Sharing & reflection workshop: the end of the trial", Kind.SHARING, 40, 13, "Europe/Helsinki", 150,
                 ("vocational", "health-and-care", "plymouth-family-hubs")),
)


class NominationSpec(NamedTuple):
    author: str
    title: str
    pitch: str
    experiment: str | None  # a category slug, or None for an idea without an experiment yet
    supporters: tuple[str, ...]


# For the upcoming design workshop (the one with no experiment yet).
NOMINATIONS = (
    NominationSpec("jess.w", "Each hub designs its own version",
                   "Devonport worked; now three hubs want to try it their own way, without a roll-out. Help us "
                   "design cycle 3 so that it stays theirs.", "plymouth-family-hubs", ("amara", "david.r", "liisa")),
    NominationSpec("callum", "Learning conversations for the board",
                   "Our board still asks for the dashboard. What would a learning conversation with a board look "
                   "like?", None, ("fiona.m", "ishbel")),
)

RSVPS = {
    "Experiment design workshop 3: cycle 3 plans": {
        Answer.GOING: ("ruth", "aino", "jess.w", "tom.b", "callum", "fiona.m", "liisa"),
        Answer.MAYBE: ("mikko.k", "priya"),
        Answer.NOT_GOING: ("morag",),
    },
    "Sharing & reflection workshop: the end of the trial": {Answer.GOING: ("ruth", "aino", "ishbel")},
}

# Posts of the launch's thread that open with one of these are challenges to that experiment's team.
CHALLENGE_OPENINGS = {
    "**To EDUFI:**": "vocational",
    "**To HIS": "health-and-care",
    "**To Plymouth:**": "plymouth-family-hubs",
}

NOTICE_TITLE = "Cycle 3: nominate for the next design workshop"
NOTICE_TEXT = """
    The next experiment design workshop is in twelve days. Nominate the experiment (or the idea) you want the
    group to work on, and support the nominations you would like to see: the facilitators choose one a week
    before the workshop.

    Please also answer going, maybe or not going on the workshop's page, so that we can plan the breakout rooms.
    """
