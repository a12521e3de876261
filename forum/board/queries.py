"""Reads for pages: each function runs a small, fixed number of queries whatever the data size."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.auth.models import Group, User
from forum.board.models import (
    Category,
    Post,
    PostLike,
    PostRevision,
    Topic,
    topic_allowed_groups,
    topic_allowed_users,
)
from forum.core.pagination import Page
from forum.core.requests import whole_number
from forum.extensions import db
from forum.policy import (
    listed_topics_filter,
    live_topics_filter,
    participating_filter,
    post_is_visible,
    visible_category_ids,
    visible_posts_filter,
    visible_topics_filter,
)


def visible_categories(user) -> list[Category]:
    """Categories the member may read, parents before their children, in position order."""
    ids = visible_category_ids(user)
    rows = db.session.execute(select(Category).where(Category.id.in_(ids)).order_by(Category.position, Category.name))
    categories = list(rows.scalars())
    by_parent: dict[int | None, list[Category]] = {}
    for category in categories:
        parent = category.parent_id if category.parent_id in ids else None
        by_parent.setdefault(parent, []).append(category)
    ordered = []
    for top in by_parent.get(None, []):
        ordered.append(top)
        ordered.extend(by_parent.get(top.id, []))
    return ordered


def category_by_slug(slug: str) -> Category | None:
    return db.session.execute(select(Category).where(Category.slug == slug)).scalar_one_or_none()


@dataclass
class TopicRow:
    topic: Topic
    participants: list[User]


def _participants(topics: list[Topic]) -> dict[int, list[User]]:
    """The featured posters of each topic, in one query by primary key for the whole list."""
    wanted = {user_id for topic in topics for user_id in topic.featured_ids}
    if not wanted:
        return {}
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(wanted))).scalars()}
    return {topic.id: [users[i] for i in topic.featured_ids if i in users] for topic in topics}


def topic_list(
    user, page: int, per_page: int, category: Category | None = None, where=None, private: bool = False
) -> Page:
    """Topics by newest activity (globally pinned first, then pinned first within a category), with
    participants; `where` narrows the list further (e.g. to new or unread topics); `private` lists the member's
    private messages. Unlisted topics are in no list."""
    base = (participating_filter(user) & live_topics_filter()) if private else visible_topics_filter(user)
    base = base & listed_topics_filter()
    where = base if where is None else base & where
    if category is not None:
        # A category's list includes its sub-categories' topics (the visibility filter still applies).
        subtree = select(Category.id).where((Category.id == category.id) | (Category.parent_id == category.id))
        where = where & Topic.category_id.in_(subtree)
    total = db.session.execute(select(func.count(Topic.id)).where(where)).scalar_one()
    order = [Topic.pinned_globally.desc(), Topic.is_pinned.desc()] if category else [Topic.pinned_globally.desc()]
    order.append(Topic.bumped_at.desc())
    topics = list(
        db.session.execute(
            select(Topic)
            .where(where)
            .options(joinedload(Topic.category), joinedload(Topic.author), joinedload(Topic.last_poster))
            .order_by(*order, Topic.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).scalars()
    )
    participants = _participants(topics)
    rows = [TopicRow(t, participants.get(t.id, [])) for t in topics]
    return Page(rows, page, per_page, total)


def topic_for_view(topic_id: int) -> Topic | None:
    return db.session.execute(
        select(Topic).where(Topic.id == topic_id).options(joinedload(Topic.category), joinedload(Topic.author))
    ).scalar_one_or_none()


def _post_options():
    return (joinedload(Post.author), joinedload(Post.reply_to_user))


def posts_page(user, topic: Topic, page: int, per_page: int) -> Page:
    """A page of a topic's posts in order; deleted posts keep their place (shown as placeholders)."""
    total = topic.highest_post_number
    posts = list(
        db.session.execute(
            # Post numbers have no gaps, so a page is a range: as cheap on page 250 as on page 1.
            select(Post)
            .where(Post.topic_id == topic.id)
            .where(Post.post_number.between((page - 1) * per_page + 1, page * per_page))
            .options(*_post_options())
            .order_by(Post.post_number)
        ).scalars()
    )
    return Page(posts, page, per_page, total)


def page_of_post(topic: Topic, post_number: int, per_page: int) -> int:
    """The page of the flat view holding `post_number` (posts are numbered without gaps)."""
    return max(1, (post_number - 1) // per_page + 1)


def replies_to(topic: Topic, post_number: int) -> list[Post]:
    return list(
        db.session.execute(
            select(Post)
            .where(Post.topic_id == topic.id, Post.reply_to_post_number == post_number, visible_posts_filter())
            .options(*_post_options())
            .order_by(Post.post_number)
        ).scalars()
    )


@dataclass
class ThreadNode:
    post: Post
    depth: int


def _thread_skeleton(topic: Topic) -> tuple[list[int], dict[int | None, list[int]], dict[int, int | None]]:
    """(roots, children by parent, parent by post) for the whole topic, from one narrow query."""
    skeleton = db.session.execute(
        select(Post.post_number, Post.reply_to_post_number).where(Post.topic_id == topic.id).order_by(Post.post_number)
    ).all()
    numbers = {number for number, _ in skeleton}
    children: dict[int | None, list[int]] = {}
    parents: dict[int, int | None] = {}
    for number, parent in skeleton:
        parent = parent if parent in numbers and parent < number else None
        parents[number] = parent
        children.setdefault(parent, []).append(number)
    return children.get(None, []), children, parents


def _thread_order(topic: Topic) -> list[tuple[int, int]]:
    """(post number, depth) for the whole topic in threaded order: each post followed by its replies."""
    roots, children, _parents = _thread_skeleton(topic)
    order: list[tuple[int, int]] = []
    stack = [(number, 0) for number in reversed(roots)]
    while stack:
        number, depth = stack.pop()
        order.append((number, depth))
        replies = children.get(number)
        if replies:
            stack.extend([(child, depth + 1) for child in reversed(replies)])
    return order


def threaded_page(user, topic: Topic, page: int, per_page: int) -> Page:
    """A page of the threaded view: `per_page` posts of the threaded order, so pages stay the same size
    however a conversation branches. Two queries: the topic's (number, parent) skeleton, then the page."""
    order = _thread_order(topic)
    on_page = order[(page - 1) * per_page : page * per_page]
    posts = {}
    if on_page:
        wanted = [number for number, _ in on_page]
        posts = {
            p.post_number: p
            for p in db.session.execute(
                select(Post).where(Post.topic_id == topic.id, Post.post_number.in_(wanted)).options(*_post_options())
            ).scalars()
        }
    nodes = [ThreadNode(posts[number], depth) for number, depth in on_page if number in posts]
    return Page(nodes, page, per_page, len(order))


def threaded_page_of_post(topic: Topic, post_number: int, per_page: int) -> int:
    numbers = [number for number, _ in _thread_order(topic)]
    return numbers.index(post_number) // per_page + 1 if post_number in numbers else 1


def post_with_topic(post_id: int) -> Post | None:
    return db.session.execute(
        select(Post)
        .where(Post.id == post_id)
        .options(joinedload(Post.topic).joinedload(Topic.category), joinedload(Post.author))
    ).scalar_one_or_none()


def post_by_number(topic: Topic, post_number: int) -> Post | None:
    return db.session.execute(
        select(Post).where(Post.topic_id == topic.id, Post.post_number == post_number).options(joinedload(Post.author))
    ).scalar_one_or_none()


def reply_target(topic: Topic, reply_to: str | None) -> Post | None:
    """The post a reply answers (`reply_to`: its number as the form sent it), if it is there for all to read."""
    number = whole_number(reply_to)
    if number is None:
        return None
    target = post_by_number(topic, number)
    return target if target is not None and post_is_visible(target) else None


def revisions(post: Post):
    return list(
        db.session.execute(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .options(joinedload(PostRevision.editor))
            .order_by(PostRevision.version)
        ).scalars()
    )


def likers(post: Post) -> list[User]:
    return list(
        db.session.execute(
            select(User).join(PostLike, PostLike.user_id == User.id).where(PostLike.post_id == post.id).order_by(PostLike.created_at)
        ).scalars()
    )


def message_participants(topic: Topic) -> tuple[list[User], list]:
    """The members and groups a private message is shared with (two queries, private topics only)."""
    users = db.session.execute(
        select(User).join(topic_allowed_users, topic_allowed_users.c.user_id == User.id)
        .where(topic_allowed_users.c.topic_id == topic.id).order_by(User.display_name)
    ).scalars()
    groups = db.session.execute(
        select(Group).join(topic_allowed_groups, topic_allowed_groups.c.group_id == Group.id)
        .where(topic_allowed_groups.c.topic_id == topic.id).order_by(Group.name)
    ).scalars()
    return list(users), list(groups)
