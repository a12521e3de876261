"""The demo community as plain data: people, groups and categories. Topics are in content_topics.py and
content_workshops.py. The loader (loader.py) writes all of it through the service layer.

Post texts are written indented inside the data; the loader strips the common indentation.
"""

from typing import NamedTuple

from forum.auth.models import Role
from forum.board.models import Visibility


class Person(NamedTuple):
    username: str
    display_name: str
    email: str
    organisation: str
    timezone: str
    role: Role = Role.MEMBER
    bio: str | None = None
    # Joined as the demo is loaded, not when the community started: has done nothing yet, and sees the
    # newcomer's welcome (users/first_steps.py) for its first two weeks.
    newcomer: bool = False


class GroupSpec(NamedTuple):
    name: str
    description: str
    members: tuple[str, ...]


class CategorySpec(NamedTuple):
    slug: str
    name: str
    description: str
    colour: str
    position: int
    visibility: Visibility = Visibility.MEMBERS
    groups: tuple[str, ...] = ()
    parent: str | None = None
    staff_only_topics: bool = False


class P(NamedTuple):
    """One post: its author, its text, the post number it replies to and, optionally, an excerpt of that
    post to quote above the text."""

    author: str
    text: str
    to: int | None = None
    quote: str | None = None


class TopicSpec(NamedTuple):
    """A topic started `start` days ago whose replies are spread over the following `span` days."""

    category: str
    title: str
    start: float
    span: float
    posts: tuple[P, ...]


EDUFI = "Finnish National Agency for Education (EDUFI), Innovation Centre"
HIS = "Healthcare Improvement Scotland"
PHS = "Public Health Scotland"
PLYMOUTH = "Plymouth City Council"
FACILITATION = "Fellowship facilitation team"

PEOPLE = (
    Person("ruth", "Ruth Aldridge", "ruth.aldridge@example.org", FACILITATION, "Europe/London", Role.ADMIN,
           "Facilitator and forum administrator. Twenty years in local government, the last five helping "
           "public services treat learning as the way they are managed."),
    Person("marcus", "Marcus Lindqvist", "marcus.lindqvist@example.org", FACILITATION, "Europe/Helsinki",
           Role.FACILITATOR, "Co-facilitator. Based in Helsinki; interested in systems stewardship and in "
           "what makes a critical friend useful rather than merely critical."),
    Person("aino", "Aino Virtanen", "aino.virtanen@example.org", EDUFI, "Europe/Helsinki",
           bio="Senior adviser at the Innovation Centre of Opetushallitus. Leading our vocational education "
           "experiment with colleges in Jyväskylä and Tampere."),
    Person("mikko.k", "Mikko Korhonen", "mikko.korhonen@example.org", EDUFI, "Europe/Helsinki",
           bio="Evaluation and data at EDUFI. Trying to measure less and understand more."),
    Person("liisa", "Liisa Mäkinen", "liisa.makinen@example.org", EDUFI, "Europe/Helsinki",
           bio="Former vocational teacher (ammatillinen koulutus), now a development manager at EDUFI."),
    Person("jussi.h", "Jussi Heikkinen", "jussi.heikkinen@example.org", EDUFI, "Europe/Helsinki"),
    Person("fiona.m", "Fiona MacLeod", "fiona.macleod@example.com", HIS, "Europe/London",
           bio="Improvement adviser, care homes and community care. Glasgow."),
    Person("callum", "Callum Fraser", "callum.fraser@example.com", HIS, "Europe/London"),
    Person("morag", "Morag Campbell", "morag.campbell@example.com", HIS, "Europe/London",
           bio="Quality improvement lead. Recovering dashboard enthusiast."),
    Person("ishbel", "Ishbel Grant", "ishbel.grant@example.net", PHS, "Europe/London",
           bio="Public health intelligence. Edinburgh."),
    Person("david.r", "David Ross", "david.ross@example.net", PHS, "Europe/London"),
    Person("priya", "Priya Nair", "priya.nair@example.net", PHS, "Europe/London",
           bio="Health improvement officer; I keep our team's learning log honest."),
    Person("jess.w", "Jess Whitfield", "jess.whitfield@example.org", PLYMOUTH, "Europe/London",
           bio="Family hubs programme lead, Plymouth City Council."),
    Person("tom.b", "Tom Barker", "tom.barker@example.org", PLYMOUTH, "Europe/London",
           bio="Family support worker at the Devonport hub. Ex-youth worker."),
    Person("amara", "Amara Okoye", "amara.okoye@example.org", PLYMOUTH, "Europe/London"),
    Person("niamh", "Niamh Byrne", "niamh.byrne@example.org", PLYMOUTH, "Europe/London", newcomer=True),
)

# Printed by `flask forum load-demo` as example logins: an admin, a facilitator, two members and a newcomer.
EXAMPLE_LOGINS = ("ruth", "marcus", "aino", "jess.w", "niamh")

FACILITATORS = "Facilitators"
TEAM_VOCATIONAL = "Team: Learning cycles in vocational education"
TEAM_HEALTH = "Team: Health and care improvement"
TEAM_PLYMOUTH = "Team: Plymouth family hubs"

GROUPS = (
    GroupSpec(FACILITATORS, "The people who run the programme and look after this forum.",
              ("ruth", "marcus")),
    GroupSpec(TEAM_VOCATIONAL, "EDUFI's experiment with vocational colleges in Jyväskylä and Tampere.",
              ("aino", "mikko.k", "liisa", "jussi.h")),
    GroupSpec(TEAM_HEALTH, "Healthcare Improvement Scotland and Public Health Scotland, working together.",
              ("fiona.m", "callum", "morag", "ishbel", "david.r", "priya")),
    GroupSpec(TEAM_PLYMOUTH, "Plymouth City Council's family hubs experiment.", ("jess.w", "tom.b", "amara")),
)

CATEGORIES = (
    CategorySpec("noticeboard", "Noticeboard",
                 "Dates, announcements and templates from the facilitators. Everyone can reply; only "
                 "facilitators start topics here.", "#b5452f", 10, staff_only_topics=True),
    CategorySpec("about", "About the group",
                 "What the Fellowship is, who is in it and how we work. Visible to anyone.",
                 "#3b6ea5", 20, Visibility.PUBLIC),
    CategorySpec("introductions", "Introductions",
                 "Say hello: who you are, where you work and what you hope to learn.", "#6a8e3a", 30),
    CategorySpec("vocational", "Learning cycles in vocational education",
                 "EDUFI's experiment: learning cycles with vocational teachers and students. Critical "
                 "friends welcome.", "#2f7f8a", 40),
    CategorySpec("vocational-team-room", "Team room",
                 "Working space for the vocational education team only: drafts, logistics, half-formed "
                 "thoughts.", "#5b9aa3", 1, Visibility.GROUPS, (TEAM_VOCATIONAL,), parent="vocational"),
    CategorySpec("health-and-care", "Health and care improvement",
                 "Healthcare Improvement Scotland and Public Health Scotland: human-centred outcomes in care "
                 "home improvement.", "#8a4f9e", 50),
    CategorySpec("plymouth-family-hubs", "Plymouth family hubs",
                 "Plymouth City Council: trust and autonomy for front-line family hub workers.",
                 "#c77d1a", 60),
    CategorySpec("workshops", "Workshops",
                 "One thread per workshop: notes, follow-ups and the conversations that did not fit in the "
                 "room.", "#4a5a8c", 70),
    CategorySpec("facilitators-room", "Facilitators' room",
                 "Planning and reflection for the facilitation team.", "#555555", 80, Visibility.GROUPS,
                 (FACILITATORS,)),
)
