"""Where split and merged topics' posts went, for the board's topic pages (forum/board/redirects.py): the old
address of a moved post leads to its new place, that of a merged topic to the topic that took its posts. Asked
only when the board would otherwise answer "not found"; those who cannot read the new place get no hint of it."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.board import redirects
from forum.board.models import Post, Topic
from forum.core import links
from forum.extensions import db
from forum.moderation.models import PostMove, TopicRedirect
from forum.policy import can


def resolve(topic_id: int, post_number: int | None, user) -> str | None:
    if post_number is not None:
        post = db.session.execute(
            select(Post).join(PostMove, PostMove.post_id == Post.id)
            .where(PostMove.old_topic_id == topic_id, PostMove.old_post_number == post_number)
            .options(joinedload(Post.topic).joinedload(Topic.category))
        ).scalar_one_or_none()
        if post is not None:
            return links.post_url(post, post.topic) if can(user, "view_topic", post.topic) else None
    topic = db.session.execute(
        select(Topic).join(TopicRedirect, TopicRedirect.topic_id == Topic.id)
        .where(TopicRedirect.old_topic_id == topic_id).options(joinedload(Topic.category))
    ).scalar_one_or_none()
    if topic is None or not can(user, "view_topic", topic):
        return None
    return links.topic_url(topic)


def register() -> None:
    redirects.register("moderation", resolve)
