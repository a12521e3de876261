"""The shared real-world email fixtures (../shared/fixtures/email) and how a trimmer is scored on them.

Each message with an exact ``expected_reply`` must match it after whitespace normalisation (all whitespace
removed where the source compares that way). Messages with only partial assertions are scored on the text
those assertions name: what the first fragment/reply must contain or start with, and what must not be left in
it (quoted text the source puts in a later fragment). Sign-offs that a source files as "signature" (e.g.
"Pozdrawiam,\\nJan") are not scored: a forum post keeps the member's sign-off, as Discourse does.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from forum.mail.inbound.errors import InboundMailError
from forum.mail.inbound.parse import parse_message
from forum.mail.inbound.textcodec import decode_bytes

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "email"
SCORED_KINDS = ("reply", "new-topic", "forward")

_QUOTED = r"'((?:[^'\\]|\\.)*)'"
_CONTAINS = re.compile(
    r"(?:fragments\[0\]|replies\[0\]\.body|\breply|\bbody|1 reply|1 fragment)\s+contain(?:s|ing)\s+"
    r"((?:" + _QUOTED + r"(?:,\s*|\s+and\s+)?)+)"
)
_MUST_NOT = [
    re.compile(r"does not contain " + _QUOTED),
    re.compile(r"and not " + _QUOTED),
    re.compile(r"contains no " + _QUOTED),
    re.compile(_QUOTED + r" not in parse_reply"),
    re.compile(r"fragments\[[1-9]\][^;]*? contains " + _QUOTED),
    re.compile(r"fragments\[[1-9]\] =~ /[^/]*/ and /([\w ]+)/"),
]
_STARTS = re.compile(r"fragments\[0\](?:\.trim\(\))? =~ /(.+?)/(m?)(?:[;\s]|$)")
_EQUALS = re.compile(r"fragments\[0\] == " + _QUOTED)


@dataclass
class Case:
    path: str
    source: str
    kind: str
    text: str | None
    html: str | None
    expected: str | None = None
    whitespace_insensitive: bool = False
    contains: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    starts: list[re.Pattern] = field(default_factory=list)

    @property
    def scored(self) -> bool:
        return self.expected is not None or bool(self.contains or self.must_not or self.starts)

    def passes(self, output: str) -> bool:
        if self.expected is not None:
            return _norm(output, self.whitespace_insensitive) == _norm(self.expected, self.whitespace_insensitive)
        flat = _norm(output)
        return (
            all(_norm(text) in flat for text in self.contains)
            and not any(_norm(text) in flat for text in self.must_not)
            and all(pattern.search(output.strip()) for pattern in self.starts)
        )


def available() -> bool:
    return (SHARED / "manifest.json").is_file()


def cases() -> Iterator[Case]:
    """Every scored message of the reply kinds, as (text or HTML body, expectation)."""
    for entry in json.loads((SHARED / "manifest.json").read_text(encoding="utf-8")):
        if entry["role"] != "message" or entry["kind"] not in SCORED_KINDS:
            continue
        data = (SHARED / entry["path"]).read_bytes()
        substitutions = entry.get("template_substitutions")
        if substitutions:
            for n, value in enumerate(substitutions["values"]):
                body = decode_bytes(data, None).replace(substitutions["placeholder"], value)
                yield _case(entry, body, None, suffix=f"#{n}", expected=entry["expected_reply"] or "")
            continue
        text, html = _bodies(entry, data)
        case = _case(entry, text, html)
        if case.scored:
            yield case


def _bodies(entry: dict, data: bytes) -> tuple[str | None, str | None]:
    if entry["raw"]:
        try:
            parsed = parse_message(data)
        except InboundMailError:
            return "", None
        return parsed.plain, parsed.html
    body = decode_bytes(data, None)
    return (None, body) if entry["path"].endswith(".html") else (body, None)


def _case(entry: dict, text, html, suffix: str = "", expected: str | None = None) -> Case:
    case = Case(entry["path"] + suffix, entry["source"], entry["kind"], text, html)
    case.expected = expected if expected is not None else entry["expected_reply"]
    case.whitespace_insensitive = entry["expected_match"] == "whitespace-insensitive"
    if case.expected is None:
        for assertion in entry.get("expected_assertions") or []:
            _read_assertion(case, assertion.split("] ", 1)[-1])
    return case


def _read_assertion(case: Case, text: str) -> None:
    for match in _CONTAINS.finditer(text):
        case.contains.extend(_unescape(s) for s in re.findall(_QUOTED, match.group(1)))
    for pattern in _MUST_NOT:
        case.must_not.extend(_unescape(s) for s in pattern.findall(text))
    for match in _EQUALS.finditer(text):
        case.contains.append(_unescape(match.group(1)))
    for match in _STARTS.finditer(text):
        source = match.group(1)
        case.starts.append(re.compile(source, re.MULTILINE if match.group(2) else 0))


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\'", "'")


def _norm(text: str, drop_all: bool = False) -> str:
    return "".join(text.split()) if drop_all else " ".join(text.split())


def score(trimmer: Callable[[Case], str]) -> dict[str, tuple[int, int]]:
    """Passed and scored cases per source, plus "total"."""
    results: dict[str, list[int]] = {}
    for case in cases():
        try:
            ok = case.passes(trimmer(case))
        except Exception:  # a library crashing on a fixture scores it as failed
            ok = False
        for key in (case.source, "total"):
            tally = results.setdefault(key, [0, 0])
            tally[0] += ok
            tally[1] += 1
    return {key: (passed, total) for key, (passed, total) in results.items()}


def format_scores(scores: dict[str, tuple[int, int]]) -> str:
    return "\n".join(f"{key:45} {p:4d}/{t:<4d} {100 * p / t:5.1f}%" for key, (p, t) in sorted(scores.items()))


SOURCES = (
    "alfonsrv/mail-parser-reply",
    "crisp-oss/email-reply-parser",
    "discourse/email_reply_trimmer",
    "github/email_reply_parser",
    "mailgun/talon",
    "willdurand/EmailReplyParser",
    "zapier/email-reply-parser",
    "total",
)


def markdown_row(name: str, scores: dict[str, tuple[int, int]]) -> str:
    """One row of the README table: passed/scored per source (in SOURCES order) and the total."""
    cells = [f"{scores[key][0]}/{scores[key][1]}" for key in SOURCES]
    passed, total = scores["total"]
    return f"| {name} | " + " | ".join(cells) + f" ({100 * passed / total:.1f}%) |"


def readme_row(readme: str, name: str) -> dict[str, tuple[int, int]]:
    """The scores a README table row records for ``name``, by source."""
    row = next(line for line in readme.splitlines() if line.startswith(f"| {name} |"))
    pairs = re.findall(r"(\d+)/(\d+)", row)
    return {key: (int(p), int(t)) for key, (p, t) in zip(SOURCES, pairs, strict=True)}
