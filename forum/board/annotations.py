"""Places on a topic page that other packages fill, so that the board need not know them: a note above the posts
and a line on any post. The workshops package, for one, shows on a peer-challenge thread which workshop it
belongs to and marks its posts (challenge to a team, open or responded; question; suggestion; reflection).

A provider is `provider(topic, posts, user) -> Annotations | None`. It is called on every topic page, so it must
return None without a query for topics it has nothing to say about, and cost at most one query otherwise."""

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass
class Annotations:
    header: Markup | None = None  # above the posts
    posts: dict[int, Markup] = field(default_factory=dict)  # post id -> a line in the post's header


Provider = Callable[[object, list, object], Annotations | None]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _providers[name] = provider


def unregister(name: str) -> None:
    _providers.pop(name, None)


def collect(topic, posts, user) -> Annotations:
    """What the registered providers have to say about this page of the topic, merged."""
    merged = Annotations()
    headers = []
    for provider in _providers.values():
        found = provider(topic, posts, user)
        if found is None:
            continue
        if found.header:
            headers.append(found.header)
        for post_id, line in found.posts.items():
            merged.posts[post_id] = merged.posts[post_id] + line if post_id in merged.posts else line
    merged.header = Markup("").join(headers) or None
    return merged

