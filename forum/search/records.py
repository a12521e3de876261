"""Records that other packages make findable beside posts: experiments, workshops and whatever comes next.

Search imports none of those packages (an import contract says so). A package registers a RecordKind from its
init_app: its name (what `type:` takes), the prefix of its index keys, its label on a hit, the table whose rows
are its records and the columns its documents are made of, and two functions that read the database as it is
now: `load(ids)`, the records that still exist, and `all_ids()`, for a rebuild.

Who may find a record is who reads its category (`category_id`), applied per search like a post's category, so
that a change of a category's visibility takes effect at once, with nothing re-indexed; a record without a
category (a workshop) is found by anyone who may see the site.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

POST_PREFIX = "p"
MEMBER_PREFIX = "m"
_KEY = re.compile(r"([a-z]+)(\d+)")


@dataclass(frozen=True)
class Record:
    """One record as the index reads it and a hit shows it."""

    id: int
    title: str
    text: str  # the words it is found by, as plain text
    url: str
    date: datetime  # aware UTC: what after:, before: and newest-first go by, and the time a hit shows
    category_id: int | None = None  # found by the readers of this category; None: by anyone who sees the site
    tags: tuple[str, ...] = ()  # shown beside the label: a status, "Cancelled" (never indexed)


@dataclass(frozen=True)
class RecordKind:
    name: str  # what `type:` takes, e.g. "experiment"
    prefix: str  # of its index keys: "x" gives "x12"
    label: str  # on each hit, e.g. "Experiment"
    tip: str  # what `type:<name>` finds, for the search tips
    model: type  # the table whose rows are the records: a change to `fields` of one is queued for the index
    fields: tuple[str, ...]
    load: Callable[[list[int]], list[Record]]  # the records with these ids that exist now
    all_ids: Callable[[], list[int]]
    note: str | None = None  # shown above the results of `type:<name>`


_kinds: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> None:
    """Add (or replace) a kind of record. Its prefix must be its own: keys name documents across kinds."""
    if not re.fullmatch(r"[a-z]+", kind.prefix) or kind.prefix in (POST_PREFIX, MEMBER_PREFIX):
        raise ValueError(f"{kind.prefix!r} cannot prefix the keys of {kind.name!r} records")
    for other in _kinds.values():
        if other.name != kind.name and other.prefix == kind.prefix:
            raise ValueError(f"{other.name!r} records already have keys prefixed {kind.prefix!r}")
    _kinds[kind.name] = kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def kinds() -> list[RecordKind]:
    """The registered kinds, in the order they were registered."""
    return list(_kinds.values())


def kind_named(name: str) -> RecordKind | None:
    return _kinds.get(name)


def kind_with_prefix(prefix: str) -> RecordKind | None:
    return next((kind for kind in _kinds.values() if kind.prefix == prefix), None)


def kind_of(obj) -> RecordKind | None:
    """The kind whose table `obj` is a row of, if any."""
    return next((kind for kind in _kinds.values() if isinstance(obj, kind.model)), None)


def key(kind: RecordKind, record_id: int) -> str:
    return f"{kind.prefix}{record_id}"


def split_key(document_key: str) -> tuple[str, int]:
    """("p", 12) for "p12": the prefix that says what a document is, and its id."""
    found = _KEY.fullmatch(document_key)
    if found is None:
        raise ValueError(f"{document_key!r} is not a document key")
    return found.group(1), int(found.group(2))


def in_batches(ids: Iterable[int], size: int = 1000) -> Iterable[list[int]]:
    batch = []
    for record_id in ids:
        batch.append(record_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
