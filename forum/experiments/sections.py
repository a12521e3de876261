"""Places on an experiment's page that other packages fill: the workshops package lists there the workshops
where the experiment featured and the open peer challenges addressed to it. The experiments know nothing of
workshops; a package registers a provider from its init_app, and the page shows nothing when none is
registered.

A provider is `provider(experiment, user) -> Markup | None`: the HTML of one section (an <h2> and its content,
already checked against the policy for `user`), or None to show nothing."""

from collections.abc import Callable

from markupsafe import Markup

SectionProvider = Callable[[object, object], Markup | None]
_providers: dict[str, SectionProvider] = {}


def register(name: str, provider: SectionProvider) -> None:
    """Add (or replace) the section called `name`, e.g. "workshops" or "challenges"."""
    _providers[name] = provider


def unregister(name: str) -> None:
    _providers.pop(name, None)


def render(experiment, user) -> list[Markup]:
    """The registered sections for this page, in the order they were registered."""
    return [html for html in (provider(experiment, user) for provider in _providers.values()) if html]
