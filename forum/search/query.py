"""The search box's language: words, "exact phrases", -excluded, OR, prefix*, and filters.

`parse_search(text, tz)` separates the filters (@name, user:, category:, in:, before:, after:, status:, type:,
order:) from the words and checks them; `text_query(...)` turns the words into a Whoosh query. Names and
categories are resolved against the database by the service, not here.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from flask_babel import lazy_gettext as _l
from whoosh import qparser, query
from whoosh.qparser import syntax

from forum.core.i18n import TYPED_YEARS
from forum.search import records
from forum.search.documents import exact_analyzer

MAX_QUERY_CHARS = 500
MAX_TERMS = 30
MIN_PREFIX = 3  # shorter prefixes match most of the forum

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_PLAIN_WORDS = re.compile(r"^[\w\s'’]+$")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
ORDERS = ("relevance", "latest")
STATUSES = ("open", "closed")
POST_KIND = "post"


@dataclass
class ParsedSearch:
    words: str = ""  # what remains for the text query, in Whoosh syntax
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    in_title: bool = False
    first_only: bool = False
    before: datetime | None = None  # UTC, naive (as the index stores times)
    after: datetime | None = None
    status: str | None = None
    kind: str | None = None  # type: "post", or a record kind's name
    order: str = "relevance"
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.authors or self.categories or self.in_title or self.first_only or self.before or self.after
            or self.status or self.kind
        )

    @property
    def is_empty(self) -> bool:
        return not self.words.strip() and not self.has_filters


def _day_start(value: str, tz: tzinfo) -> datetime | None:
    """Midnight at the start of `value` (YYYY-MM-DD, or YYYY-MM for the first of the month) in the
    member's time zone, as naive UTC."""
    for pattern in ("%Y-%m-%d", "%Y-%m"):
        try:
            day = datetime.strptime(value, pattern)
        except ValueError:
            continue
        if day.year not in TYPED_YEARS:
            return None
        local = day.replace(tzinfo=tz) if not hasattr(tz, "localize") else tz.localize(day)
        return local.astimezone(UTC).replace(tzinfo=None)
    return None


def _take_filter(parsed: ParsedSearch, name: str, value: str, tz: tzinfo) -> bool:
    """Apply one name:value filter; False if `name` is not a filter (the token is then searched as text)."""
    value_lower = value.lower()
    if name == "user":
        parsed.authors.append(value_lower.lstrip("@"))
    elif name == "category":
        parsed.categories.append(value_lower)
    elif name == "in":
        if value_lower == "title":
            parsed.in_title = True
        elif value_lower == "first":
            parsed.first_only = True
        else:
            parsed.errors.append(_l("“in:” takes “title” or “first”, not “%(value)s”.", value=value))
    elif name in ("before", "after"):
        moment = _day_start(value, tz)
        if moment is None:
            parsed.errors.append(_l("Write dates as year-month-day (from 1900 to 2999), like %(name)s:2026-05-01.", name=name))
        elif name == "before":
            parsed.before = moment
        else:
            parsed.after = moment
    elif name == "status":
        if value_lower not in STATUSES:
            parsed.errors.append(_l("“status:” takes “open” or “closed”."))
        parsed.status = value_lower
    elif name == "type":
        names = [POST_KIND, *(kind.name for kind in records.kinds())]
        if value_lower not in names:
            parsed.errors.append(_l("“type:” takes %(names)s.", names=", ".join(f"“{n}”" for n in names)))
        parsed.kind = value_lower
    elif name == "order":
        if value_lower not in ORDERS:
            parsed.errors.append(_l("“order:” takes “latest” or “relevance”."))
        else:
            parsed.order = value_lower
    else:
        return False
    return True


def parse_search(text: str, tz: tzinfo = UTC) -> ParsedSearch:
    """Split what the member typed into filters and words, with a readable message for anything wrong."""
    parsed = ParsedSearch()
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        parsed.errors.append(_l("Searches are limited to %(n)d characters.", n=MAX_QUERY_CHARS))
        return parsed
    words = []
    for token in _TOKEN.findall(text):
        if token.startswith("@") and len(token) > 1:
            parsed.authors.append(token[1:].lower())
        elif token.startswith("#") and len(token) > 1:
            parsed.notices.append(_l("Tags are not in use yet, so “%(tag)s” was searched as a word.", tag=token))
            words.append(token[1:])
        elif token.endswith("*") and len(token.strip('"-*')) < MIN_PREFIX:
            parsed.errors.append(_l("Put at least %(n)d letters before the * in “%(word)s”.", n=MIN_PREFIX, word=token))
        elif token.startswith("-") and len(token) > 1:
            words.append(f"NOT {token[1:]}")
        elif ":" in token and not token.startswith('"'):
            name, _sep, value = token.partition(":")
            if not value or not _take_filter(parsed, name.lower(), value, tz):
                words.append(token.replace(":", " "))
        else:
            words.append(token)
    if len(words) > MAX_TERMS:
        parsed.errors.append(_l("Use at most %(n)d words in one search.", n=MAX_TERMS))
    parsed.words = " ".join(words)
    return parsed


# --- Whoosh queries -----------------------------------------------------------------------------------------

def _parser(fields: list[str], schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(fields, schema, group=syntax.AndGroup)
    # Members cannot name index fields or write ranges; prefix* is allowed but not leading wildcards.
    for plugin in (qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.RangePlugin, qparser.BoostPlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(qparser.PrefixPlugin())
    return parser


def _unstemmed_prefixes(field_name: str):
    """Prefix queries must match real words, not stems ("experim*" would miss the stem "experi")."""

    def swap(q):
        if isinstance(q, query.Prefix):
            return query.Prefix(field_name, q.text)
        return q

    return swap


def text_query(parsed: ParsedSearch, schema, any_word: bool = False):
    """The Whoosh query for the words (None when there are none). With `any_word`, documents need only
    some of the words (used when no document has them all)."""
    if not parsed.words.strip():
        return None
    fields = ["title"] if parsed.in_title else ["title", "body"]
    parser = _parser(fields, schema)
    if any_word:
        parser.group = syntax.OrGroup.factory(0.9)
    base = parser.parse(parsed.words).accept(_unstemmed_prefixes("title_words" if parsed.in_title else "words"))
    base = base.normalize()
    if any_word and isinstance(base, query.Or):  # "some of the words", but never an excluded one
        excluded = [part for part in base.subqueries if isinstance(part, query.Not)]
        wanted = [part for part in base.subqueries if not isinstance(part, query.Not)]
        if excluded and wanted:
            base = query.And([query.Or(wanted, scale=0.9), *excluded])
    return None if base is query.NullQuery else base


def wanted_word_count(parsed: ParsedSearch) -> int:
    """How many of the words are wanted (not -excluded, not operators)."""
    tokens = parsed.words.split()
    return sum(1 for n, t in enumerate(tokens) if t not in _OPERATORS and (n == 0 or tokens[n - 1] != "NOT"))


def phrase_terms(parsed: ParsedSearch, schema) -> list[str]:
    """For words typed plainly (no quotes, operators or filters on words), the indexed terms in order: posts
    where they stand together rank first. Empty when the query is not a plain run of words."""
    plain = parsed.words.split()
    if len(plain) < 2 or parsed.in_title or not _PLAIN_WORDS.match(parsed.words) or set(plain) & _OPERATORS:
        return []
    terms = [token.text for token in schema["body"].analyzer(parsed.words)]
    return terms if len(terms) > 1 else []


def typed_words(text: str) -> list[str]:
    """Words as typed so far, folded like the index's unstemmed fields (for type-ahead prefixes)."""
    return [token.text for token in exact_analyzer()(text)][:8]
