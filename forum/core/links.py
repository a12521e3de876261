"""Every URL the forum hands out, in one place, built on Flask's URL map (`url_for`): post, topic, category,
profile and mail links, relative for pages and absolute (at FORUM_BASE_URL) for mail.

Absolute links never come from the request's Host header (a forged Host would end up in a member's mail), so
they are built on the configured base URL, inside a request or outside one (a job in the worker). Text that is
stored (a post's raw and cooked HTML) links only through permalinks that survive a retitle or a move:
`stored_post_url` (/p/<id>), read back by `quoted_post` through the same URL map, never by a regex.

Objects are duck-typed (anything with the attributes named), so that core imports no area.
"""

from typing import NamedTuple
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

TOPIC = "board.topic"
TOPIC_POST = "board.topic_post"
POST_PERMALINK = "board.post_permalink"
CATEGORY = "board.category"
PROFILE = "users.profile"
# Mail's unsubscribe link goes here once the mail area has its endpoint (see unsubscribe_url).
UNSUBSCRIBE = "mail.unsubscribe"


def _base_adapter() -> MapAdapter:
    """The URL map bound to FORUM_BASE_URL (scheme, host and any path prefix), needing no request."""
    base = urlsplit(current_app.config["FORUM_BASE_URL"])
    return current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme)


def url(endpoint: str, *, absolute: bool = False, anchor: str | None = None, **values) -> str:
    """The URL of `endpoint`: a path in a request (url_for), else, or when `absolute`, on the base URL."""
    if has_request_context() and not absolute:
        return url_for(endpoint, _anchor=anchor, **values)
    current_app.inject_url_defaults(endpoint, values)
    built = _base_adapter().build(endpoint, values, force_external=absolute)
    return f"{built}#{anchor}" if anchor else built


def absolute_url(endpoint: str, **values) -> str:
    """A link for mail (a template global): the full address at FORUM_BASE_URL."""
    return url(endpoint, absolute=True, **values)


def topic_url(topic, post_number: int | None = None, *, absolute: bool = False, **args) -> str:
    """A topic's page (`args`: page, view), or the link that opens it at one of its posts."""
    if post_number is not None:
        return url(TOPIC_POST, absolute=absolute, slug=topic.slug, topic_id=topic.id, post_number=post_number, **args)
    return url(TOPIC, absolute=absolute, slug=topic.slug, topic_id=topic.id, **args)


def post_url(post, topic=None, *, absolute: bool = False) -> str:
    """The topic page opened at this post (`topic` saves loading post.topic when the caller has it)."""
    return topic_url(topic if topic is not None else post.topic, post.post_number, absolute=absolute)


def stored_post_url(post_id: int) -> str:
    """The link to a post that text stores (a quote's header): by id only, so it outlives a retitle or move."""
    return url(POST_PERMALINK, post_id=post_id)


def category_url(category, *, absolute: bool = False, **args) -> str:
    return url(CATEGORY, absolute=absolute, slug=category.slug, **args)


def profile_url(user, *, absolute: bool = False, **args) -> str:
    """A member's profile. Usernames never change (no service renames a member), so mentions stored in posts
    link here too; a rename, if one is ever added, would need an id-keyed route and the posts re-cooked."""
    return url(PROFILE, absolute=absolute, username=user.username, **args)


def unsubscribe_url(token: str) -> str:
    """The unsubscribe link of a notification mail (always absolute). The endpoint comes with the mail area:
    until it exists, building this link fails loudly rather than mailing a dead link."""
    return url(UNSUBSCRIBE, absolute=True, token=token)


class PostReference(NamedTuple):
    """A post named by a stored link: by id (a permalink), or by topic and number (links written before
    permalinks existed, e.g. quote headers in older posts)."""

    post_id: int | None = None
    topic_id: int | None = None
    post_number: int | None = None


def quoted_post(href: str) -> PostReference | None:
    """The post a link in a post's text points to, matched against the URL map (the permalink, or the older
    /t/<slug>/<topic>/<number>); None for any other link. Links to another site never match."""
    parts = urlsplit(href)
    base = urlsplit(current_app.config["FORUM_BASE_URL"])
    if parts.netloc and parts.netloc != base.netloc:
        return None
    prefix = base.path.rstrip("/")
    path = parts.path[len(prefix):] if prefix and parts.path.startswith(prefix + "/") else parts.path
    try:
        endpoint, values = _base_adapter().match(path, method="GET")
    except HTTPException:
        return None
    if endpoint == POST_PERMALINK:
        return PostReference(post_id=values["post_id"])
    if endpoint == TOPIC_POST:
        return PostReference(topic_id=values["topic_id"], post_number=values["post_number"])
    return None
