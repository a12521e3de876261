"""The 375 shared real-world messages (../shared/fixtures/email): parsing, classifying and trimming scores.

Run with ``pytest -s`` to see the score per source. The trimming test fails below the scores README.md
records ("Reply-by-mail: quoted-text removal"); raise them there when the trimmer gets better.
"""

import json
import time
from pathlib import Path

import pytest

from forum.mail.inbound.classify import is_auto_reply, is_bounce
from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.parse import ParsedMail, parse_message
from forum.mail.inbound.trim import trim_reply
from tests.mail.inbound import shared_fixtures
from tests.mail.inbound.shared_fixtures import SHARED, format_scores, readme_row, score

pytestmark = pytest.mark.skipif(
    not shared_fixtures.available(), reason=f"the shared email fixtures are not at {SHARED}"
)
README = Path(__file__).resolve().parents[3] / "README.md"


def _raw_messages() -> list[dict]:
    manifest = json.loads((SHARED / "manifest.json").read_text(encoding="utf-8"))
    return [entry for entry in manifest if entry["role"] == "message" and entry["raw"]]


def test_every_shared_raw_message_is_parsed_or_refused_with_a_reason_each_within_a_second():
    for entry in _raw_messages():
        started = time.perf_counter()
        try:
            parsed = parse_message((SHARED / entry["path"]).read_bytes())
        except InboundMailError:
            continue
        assert isinstance(parsed, ParsedMail)
        assert isinstance(trim_reply(parsed.plain, parsed.html), str)
        assert time.perf_counter() - started < 1, entry["path"]


def test_bounces_and_auto_replies_among_the_shared_messages_are_recognised():
    """Bounces are asked first (most also carry Auto-Submitted). Two known differences from the manifest:
    a *success* DSN (rfc3464-28) is not a bounce, and a mailing-list reply with Precedence: bulk
    (flanker from-encoding.eml) is dropped as the issue asks."""
    right, wrong = 0, []
    for entry in _raw_messages():
        if entry["kind"] == "malformed":
            continue
        try:
            parsed = parse_message((SHARED / entry["path"]).read_bytes())
        except InboundMailError:
            wrong.append(entry["path"])
            continue
        got = "bounce" if is_bounce(parsed) else "auto-reply" if is_auto_reply(parsed) else "post"
        expected = {"bounce": "bounce", "auto-reply": "auto-reply", "other": got if got != "bounce" else "post"}
        if got == expected.get(entry["kind"], "post"):
            right += 1
        else:
            wrong.append(entry["path"])
    print(f"\nbounce/auto-reply/post classification: {right}/{right + len(wrong)}; differs: {wrong}")
    assert sorted(wrong) == [
        "flanker/messages/from-encoding.eml",
        "sisimai-set-of-emails/maildir/bsd/rfc3464-28.eml",
    ]


def test_quoted_text_removal_scores_at_least_what_the_readme_records():
    scores = score(lambda case: trim_reply(case.text, case.html))
    print("\nquoted-text removal on the shared fixtures (passed/scored):\n" + format_scores(scores))

    recorded = readme_row(README.read_text(encoding="utf-8"), "forum trimmer")
    below = {source: (scores[source], floor) for source, floor in recorded.items() if scores[source][0] < floor[0]}
    assert not below, f"below the README's scores: {below}"


def test_regex_traps_and_a_767_kb_quote_are_trimmed_within_a_second_each():
    for name in ("pathological.txt", "email_long_quote.txt"):
        text = (SHARED / "github-email_reply_parser" / "emails" / name).read_bytes().decode("utf-8", "replace")
        started = time.perf_counter()
        trim_reply(text)
        assert time.perf_counter() - started < 1, name
