"""Posts that wait for a facilitator's approval, as rules at the board's gate: a new member's first posts
(FORUM_APPROVE_FIRST_POSTS) and posts with links from members with few posts (FORUM_APPROVE_LINKS_BELOW_POSTS).
Both are off (0) by default. Staff posts and private messages never wait (a held message would be read by
facilitators who are not in the conversation). The author is told their post waits, and finds it listed at the
top of the topic and on their profile until it is handled."""

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from forum.auth.models import User
from forum.board import annotations, gate
from forum.board.models import Post, Topic
from forum.extensions import db
from forum.moderation import held
from forum.moderation.models import QueuedPost, QueueStatus
from forum.policy import is_member, is_staff

FIRST_POSTS = "first_posts"
LINKS = "links"
# Addresses as members write them (bare, in Markdown links or autolinks); relative links stay on the forum.
_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>()\[\]\"']+")


def _settings() -> tuple[int, int]:
    config = current_app.config
    return config["FORUM_APPROVE_FIRST_POSTS"], config["FORUM_APPROVE_LINKS_BELOW_POSTS"]


def rules_on() -> bool:
    return any(threshold > 0 for threshold in _settings())


def links_elsewhere(raw: str) -> bool:
    """Does the text link to another site than the forum itself?"""
    own = urlsplit(current_app.config["FORUM_BASE_URL"]).hostname
    for match in _ADDRESS.finditer(raw):
        address = match.group(0)
        host = urlsplit(address if "://" in address else f"http://{address}").hostname
        if host and host != own:
            return True
    return False


def _is_private(submission: gate.Submission) -> bool:
    if submission.topic_id is None:
        return submission.category_id is None  # a new private message belongs to no category
    topic = db.session.get(Topic, submission.topic_id)
    return topic is None or topic.is_private


def _posts_written(user_id: int) -> int:
    return db.session.execute(select(func.count(Post.id)).where(Post.user_id == user_id)).scalar_one()


def hold_for_approval(submission: gate.Submission) -> gate.Held | None:
    """The gate rule: keep the post for review if its author is new (or new enough and it has links)."""
    first_posts, links_below = _settings()
    if first_posts <= 0 and links_below <= 0:
        return None
    author = db.session.get(User, submission.author_id)
    if author is None or author.is_staff or _is_private(submission):
        return None
    has_links = links_below > 0 and links_elsewhere(submission.raw)
    if first_posts <= 0 and not has_links:
        return None
    written = _posts_written(author.id)
    if written < first_posts:
        return held.hold(submission, FIRST_POSTS, _(
            "Thank you! A new member's first posts wait for a facilitator's approval; yours will appear once "
            "they have looked at it. Until then you find it on your profile."
        ))
    if has_links and written < links_below:
        return held.hold(submission, LINKS, _(
            "Thank you! Posts with links from new members wait for a facilitator's approval; yours will appear "
            "once they have looked at it. Until then you find it on your profile."
        ))
    return None


def pending_posts(user: User, topic_id: int | None = None) -> list[QueuedPost]:
    """The member's posts that wait for approval, oldest first (in one topic, if given)."""
    query = select(QueuedPost).where(QueuedPost.user_id == user.id, QueuedPost.status == QueueStatus.PENDING)
    if topic_id is not None:
        query = query.where(QueuedPost.topic_id == topic_id)
    return list(db.session.execute(query.order_by(QueuedPost.created_at, QueuedPost.id)).scalars())


def pending_with_topics(user: User) -> list[tuple[QueuedPost, Topic | None]]:
    """The member's posts that wait for approval with the topic each replies to (None for a new topic)."""
    return [tuple(row) for row in db.session.execute(
        select(QueuedPost, Topic).outerjoin(Topic, Topic.id == QueuedPost.topic_id)
        .where(QueuedPost.user_id == user.id, QueuedPost.status == QueueStatus.PENDING)
        .order_by(QueuedPost.created_at, QueuedPost.id)
    ).all()]


def awaiting_on_profile(member: User, viewer) -> list[tuple[QueuedPost, Topic | None]]:
    """For the profile page: the member's waiting posts, shown to the member themself only (staff find them
    in the review queue). No query for anyone else."""
    if not is_member(viewer) or viewer.id != member.id:
        return []
    return pending_with_topics(member)


def annotate(topic, _posts, user) -> annotations.Annotations | None:
    """At the top of a topic, its author's replies that wait for approval. No query unless approval is on and
    the reader is a member whose posts can wait."""
    if topic.is_private or not is_member(user) or is_staff(user) or not rules_on():
        return None
    waiting = pending_posts(user, topic.id)
    if not waiting:
        return None
    return annotations.Annotations(header=Markup(render_template("moderation/_awaiting.html", waiting=waiting)))


def register(app: Flask) -> None:
    gate.add_rule(hold_for_approval)
    annotations.register("awaiting_approval", annotate)
    app.add_template_global(awaiting_on_profile, "awaiting_approval")  # users/profile.html, through moderation/_profile.html
