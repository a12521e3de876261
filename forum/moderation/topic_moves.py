"""Splitting selected posts off into a new topic, and merging a topic into another, as Discourse's PostMover
does: the moved posts keep their order and take the next numbers in the topic they join, and every old address
keeps leading to them. A PostMove row maps a post's old topic and number to the post (so /t/<slug>/<old>/<n>
redirects to its new place), a TopicRedirect a merged topic to the one that took its posts; /p/<id> follows the
post anyway. Numbers are never reused, so the gaps a split leaves are never taken by another post.

The search index notices the moved posts by itself (their topic changes; forum/search/queue.py)."""

from collections import Counter

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from forum.auth.models import User
from forum.board import services as board
from forum.board.models import Category, Post, Topic
from forum.core.errors import DomainError, NotAllowed
from forum.core.models import utcnow
from forum.core.text import slugify
from forum.extensions import db
from forum.moderation import audit, timers
from forum.moderation.models import PostMove, TopicRedirect
from forum.moderation.topics import check_may_moderate, recount_topic
from forum.policy import can, post_is_visible, topic_is_live, visible_posts_filter
from forum.tracking import services as tracking


def _check_movable(topic: Topic) -> None:
    if topic.is_private:
        raise DomainError(_l("Posts of private messages cannot be moved."))
    if not topic_is_live(topic):
        raise DomainError(_l("Restore the topic before moving its posts."))


def split_topic(
    actor: User, source: Topic, post_numbers: list[int], title: str, category: Category, reason: str | None = None,
) -> Topic:
    """Move the selected posts (not the first) into a new topic in `category`, in their order; the first of
    them opens the new topic and its author owns it."""
    check_may_moderate(actor, source)
    if not can(actor, "moderate_category", category):
        raise NotAllowed(_l("You can only start topics in categories you moderate."), field="category_id")
    _check_movable(source)
    title = board.check_title(title)
    wanted = sorted(set(post_numbers))
    if not wanted:
        raise DomainError(_l("Choose the posts to move."), field="post_numbers")
    if 1 in wanted:
        raise DomainError(
            _l("The first post stays with its topic: move or merge the whole topic instead."), field="post_numbers"
        )
    posts = list(db.session.execute(
        select(Post).where(Post.topic_id == source.id, Post.post_number.in_(wanted)).order_by(Post.post_number)
    ).scalars())
    if len(posts) != len(wanted):
        raise DomainError(_l("Some of those posts are not in this topic."), field="post_numbers")
    if not post_is_visible(posts[0]):
        raise DomainError(_l("The first post of the new topic must be one that everyone can read."), field="post_numbers")
    opener = posts[0]
    topic = Topic(
        category_id=category.id, title=title, slug=slugify(title), user_id=opener.user_id,
        created_at=opener.created_at, bumped_at=opener.created_at, last_post_at=opener.created_at,
        highest_post_number=len(posts),
    )
    db.session.add(topic)
    db.session.flush()
    moved_visible = _move_posts(source, posts, topic, first_number=1)
    category.topic_count = Category.topic_count + 1
    _move_category_counts(source.category_id, category.id, moved_visible)
    recount_topic(source)
    recount_topic(topic)
    audit.record(
        actor, "topic.split", "topic", source.id, subject_user_id=source.user_id, reason=reason,
        before={"post_numbers": wanted}, after={"topic_id": topic.id, "category_id": category.id},
    )
    return topic


def merge_topic(actor: User, source: Topic, target: Topic, reason: str | None = None) -> Topic:
    """Append all the posts of `source` to `target`, in their order, and retire `source` (deleted and closed;
    its address leads to `target`)."""
    check_may_moderate(actor, source)
    if target.id == source.id:
        raise DomainError(_l("A topic cannot be merged into itself."), field="target")
    if not can(actor, "moderate_topic", target):
        raise NotAllowed(_l("You can only merge into topics you moderate."), field="target")
    _check_movable(source)
    _check_movable(target)
    posts = list(db.session.execute(
        select(Post).where(Post.topic_id == source.id).order_by(Post.post_number)
    ).scalars())
    high = db.session.execute(
        update(Topic).where(Topic.id == target.id)
        .values(highest_post_number=Topic.highest_post_number + len(posts))
        .returning(Topic.highest_post_number)
    ).scalar_one()
    target.highest_post_number = high
    moved_visible = _move_posts(source, posts, target, first_number=high - len(posts) + 1)
    _move_category_counts(source.category_id, target.category_id, moved_visible)
    _retire(actor, source, target)
    recount_topic(target)
    tracking.carry_topic_levels(source, target)
    audit.record(
        actor, "topic.merge", "topic", source.id, subject_user_id=source.user_id, reason=reason,
        before={"topic_id": source.id, "posts": len(posts)}, after={"topic_id": target.id},
    )
    return target


def _move_posts(source: Topic, posts: list[Post], destination: Topic, first_number: int) -> int:
    """Give `posts` (in order) the numbers from `first_number` in `destination`, note where each went, and mend
    what points across the cut. Returns how many of them are visible."""
    numbers = {post.post_number: first_number + index for index, post in enumerate(posts)}
    replies_lost: Counter[int] = Counter()  # post number in the source -> visible replies it loses
    # A reply that stays keeps its number of the post it answers: that old address leads to the moved post.
    staying = db.session.execute(
        select(Post.reply_to_post_number).where(
            Post.topic_id == source.id, Post.post_number.not_in(list(numbers)),
            Post.reply_to_post_number.in_(list(numbers)), visible_posts_filter(),
        )
    ).scalars()
    replies_lost.update(staying)
    moved_at = utcnow()
    for post in posts:
        answered = post.reply_to_post_number
        if answered is not None and answered not in numbers:
            # It answered a post that stays: its number would mean another post where it goes.
            if post_is_visible(post):
                replies_lost[answered] += 1
            post.reply_to_post_number = post.reply_to_user_id = None
        elif answered is not None:
            post.reply_to_post_number = numbers[answered]
        db.session.add(PostMove(old_topic_id=source.id, old_post_number=post.post_number, post_id=post.id,
                                moved_at=moved_at))
    by_number = {post.post_number: post for post in posts}
    for number, lost in replies_lost.items():
        if number in by_number:
            by_number[number].reply_count = max(by_number[number].reply_count - lost, 0)
        else:
            db.session.execute(
                update(Post).where(Post.topic_id == source.id, Post.post_number == number)
                .values(reply_count=Post.reply_count - lost)
            )
    for post in posts:
        post.topic_id = destination.id
        post.post_number = numbers[post.post_number]
    db.session.flush()
    return sum(1 for post in posts if post_is_visible(post))


def _move_category_counts(from_id: int, to_id: int, posts: int) -> None:
    if from_id == to_id or not posts:
        return
    for category_id, delta in ((from_id, -posts), (to_id, posts)):
        db.session.execute(
            update(Category).where(Category.id == category_id).values(post_count=Category.post_count + delta)
        )


def _retire(actor: User, source: Topic, target: Topic) -> None:
    """The merged topic is deleted and closed, its timers cancelled; its address, and those of topics merged
    into it before, lead to `target`."""
    now = utcnow()
    source.deleted_at, source.deleted_by_id, source.is_locked = now, actor.id, True
    source.post_count = source.participant_count = 0
    source.featured_user_ids = ""
    db.session.execute(
        update(Category).where(Category.id == source.category_id).values(topic_count=Category.topic_count - 1)
    )
    db.session.execute(update(TopicRedirect).where(TopicRedirect.topic_id == source.id).values(topic_id=target.id))
    db.session.add(TopicRedirect(old_topic_id=source.id, topic_id=target.id, created_at=now))
    timers.cancel_pending(source.id, now)
    db.session.flush()
