"""The search index as one interface, whatever engine keeps it, and the one place that picks the engine.

The search service (services.py) decides who may see what, from forum.policy and the search queue,
and hands a backend only the outcome (a Visibility); the backend applies it while ranking. Neither the
service nor the search page names an engine: they ask `current()`, which FORUM_SEARCH_BACKEND configures
("whoosh", the embedded default). A second engine is a class with these methods and one line in BACKENDS.

Changes reach every backend through the search_queue outbox (search/queue.py): `apply_queued` reads it and
writes the current database state of what it names, so indexing, re-indexing and deleting a document are one
call. A backend that must hold a write lock (Whoosh does) takes it before reading the database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from flask import current_app
from markupsafe import Markup

from forum.search.query import ParsedSearch

# name -> "module:class", imported when first used (an engine's packages load only if it is configured).
BACKENDS = {"whoosh": "forum.search.whoosh_backend:WhooshBackend"}


class IndexUnavailable(Exception):
    """The index is missing or unreadable; it is being (or must be) rebuilt."""


class RebuildInProgress(Exception):
    pass


class UnknownSearchBackend(Exception):
    """FORUM_SEARCH_BACKEND names no backend in BACKENDS."""


@dataclass(frozen=True)
class Visibility:
    """What one searcher must not be shown, worked out by the search service; the backend only applies it."""

    hidden_category_ids: frozenset[int]  # categories the searcher cannot see
    private_topic_ids: frozenset[int]  # the private-message topics the searcher takes part in (all others are out)
    pending_post_ids: tuple[int, ...] = ()  # changed since they were indexed: out of results until re-indexed
    pending_topic_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SearchQuery:
    """One page of a search: the parsed words and filters, with names already resolved to what is indexed."""

    parsed: ParsedSearch
    author_keys: tuple[str, ...] = ()  # every one required (username keys)
    category_groups: tuple[tuple[int, ...], ...] = ()  # per category: filter, it and its children (any of them)
    page: int = 1
    per_page: int = 20
    any_word: bool = False  # documents need only some of the words (when none has them all)


class Highlighter(Protocol):
    def title(self, text: str) -> Markup | None:
        """The title with the words searched marked, or None when none is in it."""

    def body(self, text: str) -> Markup | None:
        """A snippet of the text (a post's, a record's) with the words searched marked, or None when none is in it."""


@dataclass
class Hits:
    keys: list[str]  # this page's documents, best (or newest) first: posts ("p12") and records ("x3")
    total: int  # hits counted up to the end of this page
    more: bool  # there are more than `total`
    highlighter: Highlighter | None = None
    words_searched: bool = True  # False when no word of the text could be searched (none, or only very common)


class SearchBackend(Protocol):
    def query(self, search: SearchQuery, visibility: Visibility) -> Hits:
        """One page of posts and records matching `search`, leaving out what `visibility` hides.
        IndexUnavailable when the index is missing or unreadable."""

    def complete_titles(self, text: str, visibility: Visibility, limit: int) -> list[int]:
        """Topic ids whose titles start with the words typed so far, best first (may repeat)."""

    def complete_members(self, text: str, limit: int) -> list[int]:
        """User ids whose names or organisation start with the words typed so far, best first."""

    def apply_queued(self, timeout: float = 10.0) -> int:
        """Index (or remove) what every queued search_queue row names; returns how many rows were taken.
        Rows it cannot take now (`timeout` seconds waiting for a lock) stay queued for the next call."""

    def check(self) -> dict[str, list[str]]:
        """Drift between the database and the index: {"missing", "unexpected", "stale"} document keys."""

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Build the index afresh from the database while the old one serves; returns documents written.
        RebuildInProgress when another rebuild is running."""

    def rebuild_reason(self) -> str | None:
        """Why the index must be rebuilt (missing, unreadable, built differently), or None."""


def backend_class(name: str) -> type:
    """The backend class called `name`; UnknownSearchBackend (naming the choices) if there is none."""
    target = BACKENDS.get(name)
    if target is None:
        choices = ", ".join(sorted(BACKENDS))
        raise UnknownSearchBackend(f"FORUM_SEARCH_BACKEND is {name!r}; the search backends are: {choices}.")
    module, _, attribute = target.partition(":")
    return getattr(import_module(module), attribute)


def current() -> SearchBackend:
    """The configured backend for this app (one object per app)."""
    app = current_app._get_current_object()
    name = app.config.get("FORUM_SEARCH_BACKEND", "whoosh")
    found = app.extensions.get("forum_search_backend")
    if found is None or found[0] != name:
        found = app.extensions["forum_search_backend"] = (name, backend_class(name)())
    return found[1]
