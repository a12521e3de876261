"""Every route, fed odd URL parts, query strings, form fields and JSON bodies, answers without a server error.

Hypothesis draws the values: non-ASCII digits, numbers past every integer column, NUL characters, dates at
the ends of the calendar, deep or odd JSON. With TESTING on, an unhandled exception reaches the test
instead of becoming a 500 page, so either counts as a failure.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ODD_VALUES = [
    "", " ", "0", "1", "2", "-1", "1.5", "1e309", "NaN", "²", "٣", "٣٣", "9" * 4300, str(2**31), str(2**63 + 1),
    "\x00", "a\x00b", "%", "../", "<script>", '"', "*", "@", "@aino", "category:general", "category:staff-room",
    "after:0001-01-01 learning", "before:9999-12-31", "2026-13-45", "9999-12-31T23:59", "0001-01-01T00:00",
    "watching", "muted", "admin", "member", "public", "settings", "reply:1", "topic:1", "new", "y",
]
# Mostly the values known to break parsers, some free text and numbers around every integer width.
TEXT = st.one_of(
    st.sampled_from(ODD_VALUES), st.sampled_from(ODD_VALUES), st.text(max_size=40),
    st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64]).map(str),
)
QUERY_NAMES = ["page", "to", "quote", "q", "view", "tab", "fragment", "next", "topic_id", "slug", "post_id", "category"]
FORM_NAMES = [
    "raw", "title", "reply_to", "note", "reminder_at", "recipients", "level", "category", "login", "password", "email",
    "display_name", "username", "timezone", "name", "description", "position", "parent_id", "visibility", "groups",
    "role", "action", "preview", "mention_policy", "staff_only_topics", "colour", "bio", "organisation", "locale",
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["raw", "title", "reply_to", "post_number"]) | st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
JSON_BODIES = st.one_of(
    JSON_VALUES.map(json.dumps),
    st.sampled_from(["[" * 50_000 + "]" * 50_000, '{"raw": "x"', "\x00", '{"post_number": ' + "9" * 5000 + "}"]),
)
# Ending the fuzzing member's own session would leave the rest of the run to a visitor.
SKIPPED_ENDPOINTS = {"static", "auth.logout"}


def _routes(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules()
         if rule.endpoint not in SKIPPED_ENDPOINTS and "logout" not in rule.endpoint and "sessions" not in rule.rule),
        key=lambda rule: rule.rule,
    )


@st.composite
def requests(draw, routes):
    rule = draw(st.sampled_from(routes))
    path = rule.rule
    for name in rule.arguments:
        value = draw(st.one_of(st.integers(0, 4).map(str), TEXT))
        path = path.replace(f"<int:{name}>", quote(value, safe="")).replace(f"<{name}>", quote(value, safe=""))
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = draw(st.sampled_from(methods))
    query = draw(st.dictionaries(st.sampled_from(QUERY_NAMES), TEXT, min_size=1, max_size=3))
    request = {"method": method, "path": path, "query_string": query}
    if method != "GET":
        if draw(st.booleans()):
            request["data"] = draw(JSON_BODIES)
            request["content_type"] = "application/json"
        else:
            request["data"] = draw(st.dictionaries(st.sampled_from(FORM_NAMES), TEXT, max_size=5))
    return request


@pytest.fixture
def community(app, make, search):
    """A little of everything, so that fuzzed ids often find something: members, a group, topics, replies."""
    aino, mikko = make.user("aino"), make.user("mikko")
    make.admin("ruth")
    make.group("Learning cycles", [aino])
    general = make.category()
    make.category("Staff room", staff_only_topics=True)
    topic_id = make.topic(aino, general, title="Learning cycles", raw="We met @mikko.\n\n> quoted")
    make.post(mikko, topic_id, "Thanks @aino", reply_to=1)
    make.post(aino, topic_id, "Another thought")
    return topic_id


def _fuzz_every_route(client, routes, examples_per_route=20):
    """Each route gets its own examples, so that none is left out by chance."""
    for rule in routes:

        @settings(
            max_examples=examples_per_route, deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        )
        @given(requests([rule]))
        def run(request):
            method = request.pop("method")
            response = client.open(method=method, **request)
            assert response.status_code < 500, (method, request, response.status_code)

        run()


def test_no_route_answers_a_member_with_a_server_error(app, client, auth, community):
    auth.login("aino")
    _fuzz_every_route(client, _routes(app))


def test_no_route_answers_an_admin_with_a_server_error(app, client, auth, community):
    auth.login("ruth")
    _fuzz_every_route(client, [rule for rule in _routes(app) if rule.rule.startswith(("/admin", "/p/", "/my/", "/u/"))])


def test_no_route_answers_a_visitor_with_a_server_error(app, client, community):
    _fuzz_every_route(client, _routes(app), examples_per_route=10)
