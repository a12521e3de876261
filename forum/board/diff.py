"""Line diffs between two versions of a post, for the revision history page."""

import difflib
from dataclasses import dataclass


@dataclass
class DiffLine:
    kind: str  # "same", "added" or "removed"
    text: str


def line_diff(before: str, after: str) -> list[DiffLine]:
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            lines.append(DiffLine("same", text))
        elif code == "+ ":
            lines.append(DiffLine("added", text))
        elif code == "- ":
            lines.append(DiffLine("removed", text))
    return lines
