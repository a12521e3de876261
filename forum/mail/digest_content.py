"""What a digest holds: the workshops of the next two weeks, then per category (experiments and the workshops'
category first, see order_categories) the new topics and the most active discussions since a time, and the
member's unread posts; only what the member can open.

DigestSources loads what a batch of members needs in a fixed number of queries (their groups and mutes, the
topics and replies since the earliest of their times, their unread counts); digest_for() then assembles one
member's digest in Python, keeping only their readable categories (forum.policy with the run's category
rules). Private messages are left out of digests: they have their own notification emails. Deleted topics and
posts are left out for everyone, staff included (policy.states decides what is shown).
"""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select

from forum.auth.models import User, group_members
from forum.board.models import Category, Post, Topic
from forum.core import links
from forum.core.models import utcnow
from forum.core.text import plain_excerpt
from forum.experiments.models import Experiment
from forum.extensions import db
from forum.mail.models import DigestFrequency, EmailPreferences
from forum.policy import Policy, listed_topics_filter, live_topics_filter, visible_posts_filter
from forum.policy.categories import CategoryRules, load_category_rules
from forum.tracking.models import CategoryUser, NotificationLevel, TopicUser
from forum.workshops.models import CATEGORY_SLUG as WORKSHOPS_CATEGORY_SLUG
from forum.workshops.queries import upcoming_workshops

NEW_TOPICS_SHOWN = 5  # per category; the count says how many there are in all
ACTIVE_TOPICS_SHOWN = 3
UPCOMING_WORKSHOPS_AHEAD = timedelta(days=14)
EXCERPT_CHARS = 200


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    name: str
    slug: str
    position: int
    parent_id: int | None
    url: str = ""  # absolute: the same in the email and in the preview


@dataclass
class DigestTopic:
    id: int
    title: str
    slug: str
    category_id: int
    created_at: datetime
    user_id: int | None = None
    new_replies: int = 0
    excerpt: str = ""
    url: str = ""  # absolute, built once per batch rather than once per member

    def __post_init__(self):
        self.url = self.url or links.topic_url(self, absolute=True)


@dataclass(frozen=True)
class DigestWorkshop:
    """An upcoming workshop as a digest lists it (workshop pages are public: every member may see it)."""

    title: str
    starts_at: datetime
    duration_minutes: int
    url: str


@dataclass
class CategorySection:
    category: CategoryInfo
    new_topic_count: int = 0
    new_reply_count: int = 0
    new_topics: list[DigestTopic] = field(default_factory=list)
    active_topics: list[DigestTopic] = field(default_factory=list)


@dataclass
class Digest:
    user: User
    frequency: DigestFrequency
    since: datetime
    sections: list[CategorySection]
    unread_posts: int = 0
    unread_topics: int = 0
    workshops: list[DigestWorkshop] = field(default_factory=list)

    @property
    def new_topic_count(self) -> int:
        return sum(section.new_topic_count for section in self.sections)

    @property
    def new_reply_count(self) -> int:
        return sum(section.new_reply_count for section in self.sections)

    @property
    def is_empty(self) -> bool:
        """Nothing new in what the member can read: no digest is sent (unread posts and upcoming workshops alone
        are not news; a newly scheduled workshop is, through its topic in the workshops' category)."""
        return not self.sections


def order_categories(categories: list[CategoryInfo], first: frozenset[int] = frozenset()) -> list[CategoryInfo]:
    """The order of a digest's sections: the categories in `first` (experiments and the workshops' category)
    before the others, then as on the site (position, then name)."""
    return sorted(categories, key=lambda category: (
        category.id not in first, category.position, category.name.casefold(), category.id,
    ))


def since_for_preview(preferences: EmailPreferences, now: datetime) -> datetime:
    """The preview's window: since the last digest, or one digest period back (the member is on the site now,
    so "since their last visit" would be empty)."""
    window = now - (timedelta(days=1) if preferences.digest == DigestFrequency.DAILY else timedelta(days=7))
    last = preferences.last_digest_at
    return max(last, window) if last else window


@dataclass
class SharedSources:
    """What is the same for every member of a run: loaded once per run."""

    rules: CategoryRules
    categories: dict[int, CategoryInfo]
    first_categories: frozenset[int] = frozenset()  # experiments' categories and the workshops' one
    workshops: list[DigestWorkshop] = field(default_factory=list)

    @classmethod
    def load(cls, now: datetime | None = None) -> "SharedSources":
        now = now or utcnow()
        rows = db.session.execute(
            select(Category.id, Category.name, Category.slug, Category.position, Category.parent_id)
        ).all()
        first = set(db.session.execute(select(Experiment.category_id)).scalars())
        first |= {row.id for row in rows if row.slug == WORKSHOPS_CATEGORY_SLUG}
        workshops = [
            DigestWorkshop(w.title, w.starts_at, w.duration_minutes,
                           links.absolute_url("workshops.show", slug=w.slug))
            for w in upcoming_workshops(now, now + UPCOMING_WORKSHOPS_AHEAD)
        ]
        return cls(load_category_rules(), {
            row.id: CategoryInfo(*row, url=links.category_url(row, absolute=True)) for row in rows
        }, frozenset(first), workshops)


class DigestSources:
    """Everything a batch of members' digests are made of, in seven queries whatever the batch's size."""

    def __init__(self, shared: SharedSources):
        self.shared = shared
        self.group_ids: dict[int, frozenset[int]] = {}
        self.muted_categories: dict[int, set[int]] = defaultdict(set)
        self.muted_topics: dict[int, set[int]] = defaultdict(set)
        self.new_topics: list[DigestTopic] = []  # newest first
        self.replies: dict[int, tuple[DigestTopic, list[datetime]]] = {}  # topic id -> (topic, reply times)
        self.unread: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # member -> (category, posts, topics)

    @classmethod
    def load(cls, users: list[User], sinces: list[datetime], shared: SharedSources) -> "DigestSources":
        sources = cls(shared)
        if users:
            ids = [user.id for user in users]
            sources._load_members(ids)
            sources._load_activity(min(sinces))
            sources._load_unread(ids)
        return sources

    def _load_members(self, ids: list[int]) -> None:
        groups = defaultdict(set)
        for user_id, group_id in db.session.execute(
            select(group_members.c.user_id, group_members.c.group_id).where(group_members.c.user_id.in_(ids))
        ):
            groups[user_id].add(group_id)
        self.group_ids = {user_id: frozenset(found) for user_id, found in groups.items()}
        for user_id, category_id in db.session.execute(
            select(CategoryUser.user_id, CategoryUser.category_id).where(
                CategoryUser.user_id.in_(ids), CategoryUser.notification_level == NotificationLevel.MUTED
            )
        ):
            self.muted_categories[user_id].add(category_id)
        for user_id, topic_id in db.session.execute(
            select(TopicUser.user_id, TopicUser.topic_id).where(
                TopicUser.user_id.in_(ids), TopicUser.notification_level == NotificationLevel.MUTED
            )
        ):
            self.muted_topics[user_id].add(topic_id)

    def _load_activity(self, floor: datetime) -> None:
        """Topics started and replies written since `floor`, in live, listed, public topics, by visible posts only."""
        shown = and_(live_topics_filter(), listed_topics_filter(), Topic.is_private.is_(False), visible_posts_filter())
        new = db.session.execute(
            select(Topic.id, Topic.title, Topic.slug, Topic.category_id, Topic.created_at, Topic.user_id, Post.raw)
            .join(Post, and_(Post.topic_id == Topic.id, Post.post_number == 1))
            .where(Topic.created_at > floor, shown)
            .order_by(Topic.created_at.desc(), Topic.id.desc())
        ).all()
        self.new_topics = [DigestTopic(*row[:6], excerpt=plain_excerpt(row.raw, EXCERPT_CHARS)) for row in new]
        replies = db.session.execute(
            select(Topic.id, Topic.title, Topic.slug, Topic.category_id, Topic.created_at, Post.created_at)
            .join(Post, Post.topic_id == Topic.id)
            .where(Post.created_at > floor, Post.post_number > 1, shown)
            .order_by(Topic.id, Post.created_at)
        ).all()
        for topic_id, title, slug, category_id, created_at, posted_at in replies:
            if topic_id not in self.replies:
                self.replies[topic_id] = (DigestTopic(topic_id, title, slug, category_id, created_at), [])
            self.replies[topic_id][1].append(posted_at)

    def _load_unread(self, ids: list[int]) -> None:
        """Visible posts after each member's read position in the public topics they have opened, per category
        (muted topics left out)."""
        rows = db.session.execute(
            select(TopicUser.user_id, Topic.category_id, func.count(Post.id), func.count(func.distinct(Topic.id)))
            .join(Topic, Topic.id == TopicUser.topic_id)
            .join(Post, and_(Post.topic_id == TopicUser.topic_id, Post.post_number > TopicUser.last_read_post_number))
            .where(TopicUser.user_id.in_(ids), live_topics_filter(), Topic.is_private.is_(False), visible_posts_filter())
            .where(TopicUser.notification_level.is_(None) | (TopicUser.notification_level != NotificationLevel.MUTED))
            .group_by(TopicUser.user_id, Topic.category_id)
        ).all()
        for user_id, category_id, posts, topics in rows:
            self.unread[user_id].append((category_id, posts, topics))

    def readable_categories(self, user: User) -> frozenset[int]:
        """The categories the member can open and has not muted."""
        policy = Policy(user, category_rules=self.shared.rules)
        policy.group_ids = self.group_ids.get(user.id, frozenset())  # loaded for the whole batch
        return policy.visible_category_ids - self.muted_categories.get(user.id, set())

    def digest_for(self, user: User, since: datetime, frequency: DigestFrequency) -> Digest:
        """One member's digest: what is new since `since` in the categories they can read."""
        readable = self.readable_categories(user)
        muted = self.muted_topics.get(user.id, set())
        sections: dict[int, CategorySection] = {}

        def section(category_id: int) -> CategorySection:
            if category_id not in sections:
                sections[category_id] = CategorySection(self.shared.categories[category_id])
            return sections[category_id]

        for topic in self.new_topics:
            if topic.created_at > since and topic.category_id in readable and topic.id not in muted:
                if topic.user_id != user.id:
                    found = section(topic.category_id)
                    found.new_topic_count += 1
                    if len(found.new_topics) < NEW_TOPICS_SHOWN:
                        found.new_topics.append(topic)
        active: dict[int, list[DigestTopic]] = defaultdict(list)
        for topic_id, (topic, times) in self.replies.items():
            if topic.category_id in readable and topic_id not in muted:
                count = len(times) - bisect_right(times, since)
                if count:
                    section(topic.category_id).new_reply_count += count
                    active[topic.category_id].append(DigestTopic(**{**topic.__dict__, "new_replies": count}))
        for category_id, topics in active.items():
            listed = {topic.id for topic in sections[category_id].new_topics}
            topics.sort(key=lambda topic: (-topic.new_replies, -topic.id))
            sections[category_id].active_topics = [t for t in topics if t.id not in listed][:ACTIVE_TOPICS_SHOWN]
        unread = [(posts, topics) for category, posts, topics in self.unread.get(user.id, ()) if category in readable]
        ordered = order_categories([found.category for found in sections.values()], self.shared.first_categories)
        return Digest(
            user=user, frequency=frequency, since=since, sections=[sections[category.id] for category in ordered],
            unread_posts=sum(posts for posts, _topics in unread), unread_topics=sum(topics for _posts, topics in unread),
            workshops=self.shared.workshops,
        )
