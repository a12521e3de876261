"""The banner at the top of every page (base.html includes noticeboard/_banner.html): the latest pinned
notice, for a logged-in member who may read it and has neither opened nor dismissed it.

It costs one query per page for a member (the notice joined with the member's read position) and none for a
visitor; the answer is kept for the rest of the request. Whether the member may read the notice is the
policy's question, whose lookups are memoised per request and already made by the pages that list or show
topics."""

from dataclasses import dataclass

from flask import g, has_request_context, request
from flask_login import current_user

from forum.core import links
from forum.core.text import plain_excerpt
from forum.noticeboard import queries
from forum.policy import can, is_member

EXCERPT_CHARS = 180
_UNSET = object()


@dataclass(frozen=True)
class Notice:
    topic_id: int
    title: str
    url: str
    excerpt: str


def notice_banner() -> Notice | None:
    """The notice to show this member on this page, or None."""
    if not has_request_context() or not is_member(current_user):
        return None
    notice = g.get("_notice_banner", _UNSET)
    if notice is _UNSET:
        notice = g._notice_banner = _unread_notice(current_user)
    if notice is not None and _is_showing(notice.topic_id):
        return None
    return notice


def _unread_notice(user) -> Notice | None:
    found = queries.latest_pinned_notice(user.id)
    if found is None:
        return None
    topic, raw, last_read = found
    if last_read >= 1 or not can(user, "view_topic", topic):
        return None
    return Notice(topic_id=topic.id, title=topic.title, url=links.topic_url(topic), excerpt=plain_excerpt(raw, EXCERPT_CHARS))


def _is_showing(topic_id: int) -> bool:
    """The page is the notice itself (opening it counts as reading it)."""
    return request.blueprint == "board" and (request.view_args or {}).get("topic_id") == topic_id
