"""Line diffs between two versions of a post, for the revision history page.

A diff is computed once, when the edit is saved, and stored with the revision as runs of lines
("keep 12, remove 3, add 4"). It uses diff-match-patch's line mode, a Myers diff with a time limit:
past DIFF_SECONDS it settles for a coarser (still correct) diff, so a hostile edit costs at most that,
once, instead of the quadratic time of a character-level diff on every view of the history.
"""

import json
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

DIFF_SECONDS = 0.25
MAX_DIFF_LINES = 10_000  # more lines than this on either side: shown whole, not compared

SAME, REMOVED, ADDED = 0, -1, 1
_KINDS = {SAME: "same", REMOVED: "removed", ADDED: "added"}


@dataclass
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


def line_runs(before: str, after: str) -> str | None:
    """The stored form of a diff: JSON runs of [operation, line count]; None when too large to compare."""
    if before.count("\n") >= MAX_DIFF_LINES or after.count("\n") >= MAX_DIFF_LINES:
        return None
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_SECONDS
    # One character stands for each distinct line, so the diff works on lines.
    before_chars, after_chars, lines = engine.diff_linesToChars(_lines_text(before), _lines_text(after))
    runs = [[operation, len(chars)] for operation, chars in engine.diff_main(before_chars, after_chars, False)]
    return json.dumps(runs, separators=(",", ":"))


def _lines_text(text: str) -> str:
    return "".join(line + "\n" for line in text.splitlines())


def diff_lines(before: str, after: str, runs: str | None) -> list[DiffLine] | None:
    """The diff to show, from stored runs; None when the versions were too large to compare."""
    if runs is None:
        return None
    old, new = before.splitlines(), after.splitlines()
    lines, i, j = [], 0, 0
    for operation, count in json.loads(runs):
        if operation == ADDED:
            lines += [DiffLine("added", text) for text in new[j : j + count]]
            j += count
        else:
            lines += [DiffLine(_KINDS[operation], text) for text in old[i : i + count]]
            i += count
            j += count if operation == SAME else 0
    return lines


def title_changes(titles: list[str | None]) -> list[str | None]:
    """For each version after the first, the topic title it set, or None if it left the title alone.

    `titles` are the revisions' recorded titles in order. A revision records None when it is not of a
    first post or (older rows) when the first version was written before titles were recorded: such a
    version keeps the title it found, and a change from an unknown title is not claimed.
    """
    changes: list[str | None] = []
    known = titles[0] if titles else None
    for title in titles[1:]:
        changes.append(title if known is not None and title is not None and title != known else None)
        known = title if title is not None else known
    return changes
