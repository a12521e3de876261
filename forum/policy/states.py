"""What state a post or topic must be in to be shown: the one place that knows.

Every list, count, search index and email asks `visible_posts_filter()` (a WHERE clause) or
`post_is_visible(post)` (the same test for one loaded post). Moderation's hidden and pending posts will be
one change here, not in the dozens of queries that list, count or search posts.
"""

from sqlalchemy import and_

from forum.board.models import Post, Topic


def visible_posts_filter():
    """Posts every reader of their topic sees (use with select(Post)): not deleted, not hidden by moderation.
    Their author and staff still read the others in the topic (policy.posts decides)."""
    return and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None))


def post_is_visible(post: Post) -> bool:
    return post.deleted_at is None and post.hidden_at is None


def live_topics_filter():
    """Topics that have not been removed (use with select(Topic))."""
    return Topic.deleted_at.is_(None)


def topic_is_live(topic: Topic) -> bool:
    return topic.deleted_at is None


def listed_topics_filter():
    """Topics that topic lists, search and digests show (use with select(Topic)): not unlisted by a moderator,
    and not opened by a hidden post. Such a topic is still read by its link, so this is no part of who may read
    it (its opening post shows as hidden there)."""
    return and_(Topic.is_unlisted.is_(False), Topic.hidden_at.is_(None))


def topic_is_listed(topic: Topic) -> bool:
    return not topic.is_unlisted and topic.hidden_at is None
