"""What notification emails and mailing-list posts share: a batch of decisions loaded with a fixed number of
queries, each decision recorded once (insert first: with two workers, only the one whose insert took effect
sends), and the parts of an email about one post (who did what, the post made safe, the thread it belongs to).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_, update

from forum.auth.models import User, group_members
from forum.board.models import Post, Topic, topic_allowed_groups, topic_allowed_users
from forum.core import links
from forum.core.upsert import insert_for_dialect
from forum.extensions import db
from forum.mail.content import post_content
from forum.mail.inbound.reply_keys import issue_key, reply_address
from forum.mail.preferences import preferences_of
from forum.notifications.models import Kind
from forum.policy import Policy, post_is_visible, topic_is_live
from forum.policy.categories import load_category_rules

log = logging.getLogger(__name__)

LOOKBACK = timedelta(days=2)  # older notifications and posts are never mailed (a worker that was down long)
BATCH = 200

PREFERENCE = {
    Kind.MENTIONED: "mentions",
    Kind.GROUP_MENTIONED: "mentions",
    Kind.REPLIED: "replies",
    Kind.QUOTED: "quotes",
    Kind.POSTED: "watching",
    Kind.PRIVATE_MESSAGE: "messages",
    Kind.BOOKMARK_REMINDER: "reminders",
    # What facilitators did about a member's post or flag: as Discourse sends it, a message from the forum.
    Kind.MODERATION: "messages",
}


def headline(kind: Kind, first_post: bool, **names):
    """Who did what, in the member's language once rendered (names: name, topic, group)."""
    if kind == Kind.MENTIONED:
        return _l("%(name)s mentioned you in “%(topic)s”", **names)
    if kind == Kind.GROUP_MENTIONED:
        return _l("%(name)s mentioned %(group)s in “%(topic)s”", **names)
    if kind == Kind.REPLIED:
        return _l("%(name)s replied to your post in “%(topic)s”", **names)
    if kind == Kind.QUOTED:
        return _l("%(name)s quoted your post in “%(topic)s”", **names)
    if kind == Kind.PRIVATE_MESSAGE:
        return _l("%(name)s sent you a private message: “%(topic)s”", **names)
    if kind == Kind.BOOKMARK_REMINDER:
        return _l("A reminder about the post by %(name)s you bookmarked in “%(topic)s”", **names)
    if first_post:
        return _l("%(name)s started a new topic: “%(topic)s”", **names)
    return _l("%(name)s posted in “%(topic)s”", **names)


def thread_headers(topic_id: int) -> dict[str, str]:
    """Every email about one topic names the same reference, so mail clients show them as one thread."""
    reference = f"<topic-{topic_id}@{current_app.config['FORUM_MAIL_DOMAIN']}>"
    return {"In-Reply-To": reference, "References": reference}


def reply_headers(user: User, topic: Topic, post: Post, policy: Policy) -> dict[str, str]:
    """Reply-To with a key bound to the member and the post, when the member may answer the topic: replying
    to the email posts the answer there (forum/mail/inbound/receiver.py)."""
    if not policy.can("reply", topic):
        return {}
    return {"Reply-To": reply_address(issue_key(user.id, post.id))}


def subject_for(topic: Topic) -> str:
    return f"[{current_app.config['FORUM_NAME']}] {topic.title}"


@dataclass
class Batch:
    """What a batch of decisions reads, each kind of thing loaded in one query."""

    users: dict[int, User]
    topics: dict[int, Topic]
    posts: dict[tuple[int, int], Post]
    preferences: dict
    policies: dict[int, Policy] = field(default_factory=dict)

    def can_read(self, user: User, topic: Topic, post: Post | None) -> bool:
        """The post is shown to everyone who may read its topic, and the member still may."""
        if post is None or not post_is_visible(post) or not topic_is_live(topic):
            return False
        return self.policies[user.id].can("view_topic", topic)


def load_batch(
    user_ids: set[int], pairs: set[tuple[int, int]], recipient_ids: set[int], topic_ids: frozenset[int] = frozenset(),
) -> Batch:
    """Members (recipients and authors), topics (of `pairs`, and `topic_ids`), posts by (topic id, number),
    preferences and policies."""
    posts = {
        (post.topic_id, post.post_number): post
        for post in db.session.execute(
            select(Post).where(tuple_(Post.topic_id, Post.post_number).in_(list(pairs)))
        ).scalars()
    } if pairs else {}
    user_ids = user_ids | {post.user_id for post in posts.values()}
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(user_ids))).scalars()}
    topic_ids = {topic_id for topic_id, _number in pairs} | set(topic_ids)
    topics = {t.id: t for t in db.session.execute(select(Topic).where(Topic.id.in_(topic_ids))).scalars()}
    batch = Batch(users, topics, posts, preferences_of(recipient_ids))
    batch.policies = _policies([users[i] for i in recipient_ids if i in users], topics)
    return batch


def _policies(members: list[User], topics: dict[int, Topic]) -> dict[int, Policy]:
    """One Policy per member, sharing the category rules, with their groups and their part in this batch's
    private messages loaded for all of them at once (the Policy would ask once per member)."""
    if not members:
        return {}
    rules = load_category_rules()
    ids = [m.id for m in members]
    groups: dict[int, set[int]] = {i: set() for i in ids}
    for user_id, group_id in db.session.execute(
        select(group_members.c.user_id, group_members.c.group_id).where(group_members.c.user_id.in_(ids))
    ).all():
        groups[user_id].add(group_id)
    private = [t.id for t in topics.values() if t.is_private]
    direct: set[tuple[int, int]] = set()
    via_group: dict[int, set[int]] = {}
    if private:
        direct = set(db.session.execute(
            select(topic_allowed_users.c.user_id, topic_allowed_users.c.topic_id)
            .where(topic_allowed_users.c.topic_id.in_(private), topic_allowed_users.c.user_id.in_(ids))
        ).all())
        for topic_id, group_id in db.session.execute(
            select(topic_allowed_groups.c.topic_id, topic_allowed_groups.c.group_id)
            .where(topic_allowed_groups.c.topic_id.in_(private))
        ).all():
            via_group.setdefault(topic_id, set()).add(group_id)
    policies = {}
    for member in members:
        policy = Policy(member, rules)
        # Policy memoises these as cached properties; seeding them saves two queries per member.
        policy.__dict__["group_ids"] = frozenset(groups[member.id])
        policy.__dict__["participating_topic_ids"] = frozenset(
            topic_id for topic_id in private
            if (member.id, topic_id) in direct or via_group.get(topic_id, set()) & groups[member.id]
        )
        policies[member.id] = policy
    return policies


def member_refusal(user: User | None, preferences) -> str | None:
    """Why a member gets no email at all now, if they do not."""
    if user is None:
        return "gone"
    if user.is_suspended:
        return "suspended"
    if preferences.failed_at is not None:
        return "failed_address"
    return None


def due_filter(model_created_at, now: datetime):
    cutoff = now - timedelta(seconds=current_app.config["FORUM_NOTIFY_DELAY_SECONDS"])
    return model_created_at.between(now - LOOKBACK, cutoff)


def record_decisions(model, rows: list[dict], key) -> set:
    """Insert the decisions; the keys of those this worker made (another worker's are skipped)."""
    if not rows:
        return set()
    inserted = db.session.execute(
        insert_for_dialect(model).values(rows).on_conflict_do_nothing().returning(*key)
    ).all()
    return {tuple(row) for row in inserted}


def queue_or_record_error(where: tuple, model, queue) -> int:
    """Queue one email; if building it fails, the decision says so (and the rest of the batch goes on)."""
    try:
        queue()
    except Exception:  # rendering failed before anything was added: record it rather than retry for ever
        log.exception("mail: could not build a notification email")
        db.session.execute(update(model).where(*where).values(outcome="error"))
        return 0
    return 1


def post_context(topic: Topic, post: Post) -> dict:
    link = links.post_url(post, topic, absolute=True)
    return {
        "topic": topic, "post": post, "post_link": link, "content": post_content(post.raw, post.cooked, link),
    }
