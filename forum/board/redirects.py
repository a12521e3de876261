"""Where a topic or post that is no longer at its address went, as other packages know it: moderation, for one,
merges topics and splits posts off into new ones, and keeps their old links leading to them.

A resolver is `resolver(topic_id, post_number, user) -> url | None` (post_number is None for the topic's own
address). The topic pages ask only when they would otherwise answer "not found" (no such topic, a removed
topic, or no post at that number), so an ordinary page costs nothing. A resolver answers None for addresses it
knows nothing of, and for members who cannot read where the thing went."""

from collections.abc import Callable

Resolver = Callable[[int, int | None, object], str | None]
_resolvers: dict[str, Resolver] = {}


def register(name: str, resolver: Resolver) -> None:
    _resolvers[name] = resolver


def unregister(name: str) -> None:
    _resolvers.pop(name, None)


def resolve(topic_id: int, post_number: int | None, user) -> str | None:
    """The first address a registered resolver gives for this topic (and post number), or None."""
    for resolver in _resolvers.values():
        found = resolver(topic_id, post_number, user)
        if found is not None:
            return found
    return None
