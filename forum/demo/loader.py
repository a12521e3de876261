"""Load the demo community (content.py, content_topics.py, content_workshops.py) through the service layer,
so that demo posts take the same write path as real ones. Run by `flask forum load-demo` on an empty forum.

Post texts are written indented and hard-wrapped in the content modules; the loader turns them back into
what a member would type: no common indentation, one line per paragraph or list item.

The services stamp everything "now"; afterwards the loader moves timestamps back over the last weeks so
that the forum looks lived in. Like the services, it flushes and leaves the commit to its caller.
"""

import random
import re
from datetime import datetime, timedelta
from inspect import cleandoc

from sqlalchemy import select, update

from forum.admin import services as admin_services
from forum.auth import services as auth_services
from forum.auth.models import Group, Role, User
from forum.board import services as board_services
from forum.board.models import Category, Post, PostRevision, Topic
from forum.bookmarks import services as bookmark_services
from forum.core.errors import NotAllowed
from forum.core.models import utcnow
from forum.demo import content_topics, content_workshops
from forum.demo.content import CATEGORIES, EXAMPLE_LOGINS, GROUPS, PEOPLE, P, TopicSpec
from forum.demo.experiments import load_experiments_and_workshops
from forum.extensions import db
from forum.messages import services as message_services
from forum.notifications.models import Notification

DEMO_PASSWORD = "fellowship-demo"
# The community "started" this many days before the load; topics start later (see TopicSpec.start).
FOUNDED_DAYS_AGO = 47
# Lines that start a Markdown block of their own rather than continue the paragraph above.
_BLOCK_START = re.compile(r"[-*+] |\d+[.)] |[|>#]|```")


def load_demo_community() -> list[User]:
    """Create the demo members, groups, categories and topics; return a few accounts to log in with."""
    now = utcnow()
    founded = now - timedelta(days=FOUNDED_DAYS_AGO)
    users = _create_people(founded)
    admin = next(user for user in users.values() if user.role == Role.ADMIN)
    groups = _create_groups(admin, users, founded)
    categories = _create_categories(admin, groups, founded)
    # Oldest first, so that topic ids grow with their age as they would in a real forum.
    topics = [
        _create_topic(spec, users, categories, now)
        for spec in sorted(content_topics.TOPICS + content_workshops.TOPICS, key=lambda spec: -spec.start)
    ]
    _add_interactions(users, topics)
    load_experiments_and_workshops(users, categories, {topic.title: topic for topic, _posts in topics}, now)
    _add_views()
    return [users[username] for username in EXAMPLE_LOGINS]


def _add_views() -> None:
    """The group has been reading too: lists of topics nobody has viewed would look like a fresh install."""
    rng = random.Random(11)
    for topic in db.session.execute(select(Topic).where(Topic.category_id.is_not(None))).scalars():
        topic.views = rng.randint(3 * topic.post_count + 5, 4 * topic.post_count + 30)
    db.session.flush()


def _create_people(founded: datetime) -> dict[str, User]:
    """The members, founders first; a newcomer keeps the time of the load as when they joined."""
    users = {}
    for offset, person in enumerate(PEOPLE):
        user = auth_services.create_user(
            username=person.username,
            email=person.email,
            display_name=person.display_name,
            password=DEMO_PASSWORD,
            role=person.role,
            organisation=person.organisation,
            timezone=person.timezone,
        )
        if person.bio:
            auth_services.update_preferences(
                user,
                display_name=person.display_name,
                organisation=person.organisation,
                bio=person.bio,
                timezone=person.timezone,
            )
        if not person.newcomer:
            user.created_at = founded + timedelta(hours=offset)
        users[person.username] = user
    db.session.flush()
    return users


def _create_groups(admin: User, users: dict[str, User], founded: datetime) -> dict[str, Group]:
    groups = {}
    for spec in GROUPS:
        group = admin_services.save_group(admin, None, name=spec.name, description=spec.description)
        group.created_at = founded
        for username in spec.members:
            admin_services.add_to_group(admin, group, users[username])
        groups[spec.name] = group
    return groups


def _create_categories(admin: User, groups: dict[str, Group], founded: datetime) -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for spec in CATEGORIES:
        category = board_services.save_category(
            admin,
            None,
            name=spec.name,
            slug=spec.slug,
            description=spec.description,
            colour=spec.colour,
            parent=categories[spec.parent] if spec.parent else None,
            position=spec.position,
            visibility=spec.visibility,
            groups=[groups[name] for name in spec.groups],
            staff_only_topics=spec.staff_only_topics,
        )
        category.created_at = founded
        categories[spec.slug] = category
    db.session.flush()
    return categories


def _create_topic(
    spec: TopicSpec, users: dict[str, User], categories: dict[str, Category], now: datetime
) -> tuple[Topic, list[Post]]:
    first, *replies = spec.posts
    authors = [users[post.author] for post in spec.posts]
    topic = board_services.create_topic(
        authors[0], categories[spec.category], spec.title, _as_typed(first.text)
    )
    posts = [_first_post(topic)]
    for number, reply in enumerate(replies, start=2):
        text = _reply_text(reply, posts, authors)
        posts.append(board_services.create_post(authors[number - 1], topic, text, reply.to))
    _backdate(topic, posts, _post_times(spec, now))
    return topic, posts


def _add_interactions(users: dict[str, User], topics: list[tuple[Topic, list[Post]]]) -> None:
    """Likes, a bookmark and a private conversation, so that bells, profiles and inboxes have something."""
    rng = random.Random(7)
    # A newcomer has not liked anything yet.
    newcomers = {person.username for person in PEOPLE if person.newcomer}
    members = [user for username, user in users.items() if username not in newcomers]
    for topic, posts in topics:
        for post in posts:
            post.topic = topic
            for liker in rng.sample(members, k=rng.choice((0, 0, 1, 1, 2, 3))):
                try:
                    board_services.toggle_like(liker, post)
                except NotAllowed:
                    continue
    _launch, launch_posts = max(topics, key=lambda pair: len(pair[1]))
    bookmark_services.save_bookmark(users["aino"], launch_posts[0], note="Questions to answer before the next deep dive")
    message = message_services.create_private_message(
        users["marcus"],
        "Before Thursday's check-in",
        "Aino, Mikko — could you bring one example from the learning log where a teacher changed course? "
        "Ten minutes is plenty.",
        [users["aino"], users["mikko.k"]],
    )
    board_services.create_post(users["aino"], message, "Yes. I will bring the Tampere welding example.")
    # Members have kept up with older news: only the last few days are still unread in their bells.
    recently = utcnow() - timedelta(days=5)
    db.session.execute(update(Notification).where(Notification.created_at < recently).values(read_at=recently))
    db.session.flush()


def _first_post(topic: Topic) -> Post:
    return db.session.execute(
        select(Post).where(Post.topic_id == topic.id, Post.post_number == 1)
    ).scalar_one()


def _reply_text(reply: P, posts: list[Post], authors: list[User]) -> str:
    """The reply's text, under a quote of the post it answers when the content asks for one."""
    text = _as_typed(reply.text)
    if reply.quote is None:
        return text
    return board_services.quote_markdown(posts[reply.to - 1], authors[reply.to - 1], reply.quote) + text


def _as_typed(text: str) -> str:
    """`text` without its indentation, with each hard-wrapped paragraph or list item joined into one line."""
    lines: list[str] = []
    in_code = False
    for line in cleandoc(text).splitlines():
        stripped = line.lstrip()
        if stripped.startswith("```"):
            in_code = not in_code
        previous = lines[-1].lstrip() if lines else ""
        continues = previous and stripped and not in_code and not _BLOCK_START.match(stripped)
        if continues and not previous.startswith(("|", "#", "```")):
            lines[-1] += " " + stripped
        else:
            lines.append(line)
    return "\n".join(lines)


def _post_times(spec: TopicSpec, now: datetime) -> list[datetime]:
    """The first post `spec.start` days ago, each reply in its own slice of the next `spec.span` days.

    Seeded by the title, so that every load gives the same rhythm relative to the time of loading.
    """
    rng = random.Random(spec.title)
    gaps = len(spec.posts) - 1
    fractions = [0.0] + [(slot + 0.2 + 0.8 * rng.random()) / gaps for slot in range(gaps)]
    return [now - timedelta(days=spec.start - spec.span * fraction) for fraction in fractions]


def _backdate(topic: Topic, posts: list[Post], times: list[datetime]) -> None:
    at_by_post_id = {post.id: at for post, at in zip(posts, times, strict=True)}
    for post in posts:
        post.created_at = at_by_post_id[post.id]
    revisions = db.session.execute(
        select(PostRevision).where(PostRevision.post_id.in_(at_by_post_id))
    ).scalars()
    for revision in revisions:
        revision.created_at = at_by_post_id[revision.post_id]
    topic.created_at = times[0]
    topic.bumped_at = topic.last_post_at = times[-1]
    for post in posts:
        db.session.execute(
            update(Notification)
            .where(Notification.topic_id == topic.id, Notification.post_number == post.post_number)
            .values(created_at=at_by_post_id[post.id])
        )
    db.session.flush()
