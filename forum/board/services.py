"""Rules of the forum core. Every post, whatever its source (web, email, API, demo data), is written by
`create_post`, behind the gate (board/gate.py); every edit by `edit_post`. Services flush, never commit:
the caller owns the transaction. What follows from a post (notifications, read state, uploads, mail) is
done by subscribers to the events announced here (core/events.py): the board imports none of them.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, tuple_, update

from forum.auth.models import Group, User
from forum.auth.queries import mention_targets
from forum.board import gate
from forum.board.diff import line_runs
from forum.board.models import Category, Post, PostLike, PostRevision, Topic, Visibility
from forum.core import events, links
from forum.core.errors import DomainError, NotAllowed
from forum.core.markdown import parse_markdown
from forum.core.models import utcnow
from forum.core.text import slugify, visible_text
from forum.extensions import db
from forum.policy import can, forget_cached_rules, post_is_visible, topic_is_live, visible_posts_filter

MAX_TITLE_LENGTH = 200
MIN_TITLE_LENGTH = 3
EDIT_REASON_LENGTH = 255
HEX_COLOUR = "#0123456789abcdefABCDEF"


# --- categories ----------------------------------------------------------------------------------------

def _check_colour(colour: str) -> str:
    colour = colour.strip()
    if len(colour) != 7 or any(ch not in HEX_COLOUR for ch in colour) or not colour.startswith("#"):
        raise DomainError(_l("Use a colour like #3b6ea5."), field="colour")
    return colour.lower()


def _check_parent(category: Category | None, parent: Category | None) -> None:
    if parent is None:
        return
    if category is not None and parent.id == category.id:
        raise DomainError(_l("A category cannot be its own parent."), field="parent_id")
    if parent.parent_id is not None:
        raise DomainError(_l("Sub-categories go one level deep."), field="parent_id")


def save_category(
    actor: User,
    category: Category | None,
    *,
    name: str,
    slug: str | None = None,
    description: str | None = None,
    colour: str = "#3b6ea5",
    parent: Category | None = None,
    position: int = 0,
    visibility: Visibility = Visibility.MEMBERS,
    groups: list[Group] = (),
    staff_only_topics: bool = False,
) -> Category:
    """Create (category=None) or update a category."""
    if not can(actor, "administer"):
        raise NotAllowed(_l("Only administrators manage categories."))
    return write_category(
        category, name=name, slug=slug, description=description, colour=colour, parent=parent, position=position,
        visibility=visibility, groups=groups, staff_only_topics=staff_only_topics,
    )


def write_category(
    category: Category | None,
    *,
    name: str,
    slug: str | None = None,
    description: str | None = None,
    colour: str = "#3b6ea5",
    parent: Category | None = None,
    position: int = 0,
    visibility: Visibility = Visibility.MEMBERS,
    groups: list[Group] = (),
    staff_only_topics: bool = False,
) -> Category:
    """Create or update a category with its checks, for a caller that has applied its own permission rule
    (an experiment's team creates and re-scopes the experiment's category, and is not an administrator)."""
    name = name.strip()
    if not name:
        raise DomainError(_l("Please give the category a name."), field="name")
    slug = slugify(slug or name)
    clash = db.session.execute(select(Category.id).where(Category.slug == slug)).scalar_one_or_none()
    if clash is not None and (category is None or clash != category.id):
        raise DomainError(_l("Another category already uses that address."), field="slug")
    _check_parent(category, parent)
    if visibility == Visibility.GROUPS and not groups:
        raise DomainError(_l("Choose at least one group for a restricted category."), field="groups")
    if category is None:
        category = Category()
        db.session.add(category)
    category.name = name
    category.slug = slug
    category.description = (description or "").strip() or None
    category.colour = _check_colour(colour)
    category.parent_id = parent.id if parent else None
    category.position = position
    category.visibility = visibility
    category.groups = list(groups) if visibility == Visibility.GROUPS else []
    category.staff_only_topics = staff_only_topics
    db.session.flush()
    forget_cached_rules()
    return category


# --- topics and posts ----------------------------------------------------------------------------------

def check_raw(raw: str) -> str:
    raw = raw.strip()
    if not raw:
        raise DomainError(_l("Please write something."), field="raw")
    limit = current_app.config["FORUM_MAX_POST_CHARS"]
    if len(raw) > limit:
        raise DomainError(
            _l("Posts are limited to %(limit)d characters; this one has %(n)d.", limit=limit, n=len(raw)),
            field="raw",
        )
    return raw


def check_title(title: str) -> str:
    # Bidi overrides and zero-width characters would let a title pass for another, or look empty.
    title = visible_text(title)
    if len(title) < MIN_TITLE_LENGTH:
        raise DomainError(_l("Please give a title of at least %(n)d characters.", n=MIN_TITLE_LENGTH), field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise DomainError(_l("Titles are limited to %(n)d characters.", n=MAX_TITLE_LENGTH), field="title")
    return title


def create_topic(author: User, category: Category, title: str, raw: str) -> Topic | gate.Held:
    """Start a topic with its first post (or, if the gate holds the post, say why it waits)."""
    if not can(author, "create_topic", category):
        raise NotAllowed(_l("You cannot start topics in this category."))
    title = check_title(title)
    now = utcnow()
    topic = Topic(
        category_id=category.id, title=title, slug=slugify(title), user_id=author.id,
        created_at=now, bumped_at=now, last_post_at=now,
    )
    added = add_topic(author, topic, raw)
    if isinstance(added, Topic):
        category.topic_count = Category.topic_count + 1
    return added


def add_topic(author: User, topic: Topic, raw: str) -> Topic | gate.Held:
    """Write `topic`, built by a caller that has checked `author` may start it, with its first post, behind
    the gate (a held first post writes no topic)."""
    raw = check_raw(raw)
    submission = gate.Submission(author_id=author.id, raw=raw, category_id=topic.category_id, title=topic.title)
    held = gate.check(submission)
    if held is not None:
        return held
    db.session.add(topic)
    db.session.flush()
    _write_post(author, topic, raw)
    events.topic_created.announce(db.session, topic_id=topic.id, category_id=topic.category_id, user_id=author.id)
    return topic


def move_topic(actor: User, topic: Topic, category: Category) -> None:
    """Move a topic, with its posts, to another category (facilitators only)."""
    if not can(actor, "move_topic", topic):
        raise NotAllowed(_l("Only facilitators move topics."))
    if topic.is_private:
        raise DomainError(_l("Private messages belong to no category."), field="category_id")
    if category.id == topic.category_id:
        raise DomainError(_l("The topic is already in that category."), field="category_id")
    source = topic.category_id
    if topic_is_live(topic):
        for category_id, delta in ((source, -1), (category.id, +1)):
            db.session.execute(
                update(Category).where(Category.id == category_id).values(
                    topic_count=Category.topic_count + delta, post_count=Category.post_count + delta * topic.post_count
                )
            )
    topic.category_id = category.id
    db.session.flush()
    events.topic_moved.announce(
        db.session, topic_id=topic.id, from_category_id=source, to_category_id=category.id, actor_id=actor.id
    )


def _next_post_number(topic: Topic) -> int:
    """Atomically take the next number in the topic, safe under concurrent writers on any database."""
    number = db.session.execute(
        update(Topic)
        .where(Topic.id == topic.id)
        .values(highest_post_number=Topic.highest_post_number + 1)
        .returning(Topic.highest_post_number)
    ).scalar_one()
    topic.highest_post_number = number
    return number


def _reply_target(topic: Topic, reply_to_post_number: int | None) -> Post | None:
    if reply_to_post_number is None:
        return None
    target = db.session.execute(
        select(Post).where(Post.topic_id == topic.id, Post.post_number == reply_to_post_number)
    ).scalar_one_or_none()
    if target is None or not post_is_visible(target):
        raise DomainError(_l("The post you are replying to no longer exists."), field="reply_to")
    return target


def create_post(author: User, topic: Topic, raw: str, reply_to_post_number: int | None = None) -> Post | gate.Held:
    """Add a post to a topic: the one write path for posts, from the web, email, API or demo data. Returns
    the post, or what the gate said if it holds the post."""
    if not can(author, "reply", topic):
        raise NotAllowed(_l("You cannot reply to this topic."))
    raw = check_raw(raw)
    target = _reply_target(topic, reply_to_post_number)
    held = gate.check(
        gate.Submission(author_id=author.id, raw=raw, topic_id=topic.id, reply_to_post_number=reply_to_post_number)
    )
    if held is not None:
        return held
    return _write_post(author, topic, raw, target)


def _write_post(author: User, topic: Topic, raw: str, target: Post | None = None) -> Post:
    parsed = parse_markdown(raw)
    mentioned, groups = mention_targets(parsed.mentions)
    now = utcnow()
    post = Post(
        topic_id=topic.id,
        post_number=_next_post_number(topic),
        user_id=author.id,
        reply_to_post_number=target.post_number if target else None,
        reply_to_user_id=target.user_id if target else None,
        raw=raw,
        cooked=parsed.html(_mention_links(mentioned)),
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    db.session.add(PostRevision(
        post_id=post.id, version=1, raw=raw, title=topic.title if post.post_number == 1 else None, user_id=author.id,
        created_at=now,
    ))
    if target is not None:
        target.reply_count = Post.reply_count + 1
    topic.post_count = Topic.post_count + 1
    topic.bumped_at = now
    topic.last_post_at = now
    topic.last_post_user_id = author.id
    _refresh_participants(topic)
    db.session.execute(update(Category).where(Category.id == topic.category_id).values(post_count=Category.post_count + 1))
    db.session.flush()
    events.post_created.announce(
        db.session, post_id=post.id, topic_id=topic.id, user_id=author.id,
        reply_to_post_number=post.reply_to_post_number,
        mentioned_user_ids=[user.id for user in mentioned], mentioned_group_ids=[group.id for group in groups],
        quoted_post_ids=_quoted_post_ids(parsed.quote_sources),
    )
    return post


def _mention_links(users: list[User]) -> dict[str, str]:
    return {user.username_key: links.profile_url(user) for user in users}


def _quoted_post_ids(sources: list[str]) -> list[int]:
    """The posts that a text's quote headers link to (permalinks, or the topic links of older quotes)."""
    references = [ref for ref in map(links.quoted_post, sources) if ref is not None]
    by_id = [ref.post_id for ref in references if ref.post_id is not None]
    by_number = [(ref.topic_id, ref.post_number) for ref in references if ref.post_id is None]
    if not references:
        return []
    found = db.session.execute(
        select(Post.id).where(or_(Post.id.in_(by_id), tuple_(Post.topic_id, Post.post_number).in_(by_number)))
    ).scalars()
    return sorted(set(found))


FEATURED_USERS = 5


def _refresh_participants(topic: Topic) -> None:
    """Recount who takes part in the topic (at write time, so that lists never count posts)."""
    db.session.flush()
    rows = db.session.execute(
        select(Post.user_id, func.count(Post.id).label("posts"))
        .where(Post.topic_id == topic.id, visible_posts_filter())
        .group_by(Post.user_id)
        .order_by(func.count(Post.id).desc(), func.min(Post.post_number))
    ).all()
    topic.participant_count = len(rows)
    topic.featured_user_ids = ",".join(str(user_id) for user_id, _posts in rows[:FEATURED_USERS])


def edit_post(editor: User, post: Post, raw: str, title: str | None = None, reason: str | None = None) -> Post:
    """Change a post's text (and, for a first post, its topic's title), keeping a revision with the editor's
    reason, if they gave one."""
    if not can(editor, "edit_post", post):
        raise NotAllowed(_l("You cannot edit this post."))
    raw = check_raw(raw)
    reason = (reason or "").strip()[:EDIT_REASON_LENGTH] or None
    topic = post.topic
    new_title = check_title(title) if title is not None and post.is_first else None
    if raw == post.raw and (new_title is None or new_title == topic.title):
        return post
    parsed = parse_markdown(raw)
    mentioned, _groups = mention_targets(parsed.mentions)
    already_named = parse_markdown(post.raw).mentions
    diff_runs = line_runs(post.raw, raw)
    post.version += 1
    post.raw = raw
    post.cooked = parsed.html(_mention_links(mentioned))
    post.edited_at = utcnow()
    if new_title is not None:
        topic.title = new_title
        topic.slug = slugify(new_title)
    db.session.add(
        PostRevision(
            post_id=post.id, version=post.version, raw=raw, title=topic.title if post.is_first else None,
            diff_runs=diff_runs, user_id=editor.id, created_at=post.edited_at, reason=reason,
        )
    )
    db.session.flush()
    events.post_edited.announce(
        db.session, post_id=post.id, topic_id=topic.id, editor_id=editor.id, author_id=post.user_id,
        version=post.version, reason=reason, newly_mentioned_user_ids=[user.id for user in mentioned if user.username_key not in already_named],
    )
    return post


def _change_visible_counts(post: Post, delta: int) -> None:
    topic = post.topic
    topic.post_count = Topic.post_count + delta
    db.session.execute(update(Category).where(Category.id == topic.category_id).values(post_count=Category.post_count + delta))
    if post.reply_to_post_number is not None:
        db.session.execute(
            update(Post)
            .where(Post.topic_id == topic.id, Post.post_number == post.reply_to_post_number)
            .values(reply_count=Post.reply_count + delta)
        )
    _refresh_participants(topic)


def post_visibility_changed(post: Post, shown: bool) -> None:
    """Keep the stored counts (topic, category, replies, participants) right when a post leaves view or comes
    back other than by deletion (a facilitator hides it): the caller has changed the post's state already."""
    _change_visible_counts(post, +1 if shown else -1)
    db.session.flush()


def delete_post(actor: User, post: Post) -> None:
    """Soft-delete a post; deleting the first post deletes the topic. Staff can restore either."""
    if not can(actor, "delete_post", post):
        raise NotAllowed(_l("You cannot delete this post."))
    now = utcnow()
    post.deleted_at = now
    post.deleted_by_id = actor.id
    _change_visible_counts(post, -1)
    if post.is_first:
        post.topic.deleted_at = now
        post.topic.deleted_by_id = actor.id
        db.session.execute(
            update(Category).where(Category.id == post.topic.category_id).values(topic_count=Category.topic_count - 1)
        )
    db.session.flush()
    events.post_deleted.announce(db.session, post_id=post.id, topic_id=post.topic_id, actor_id=actor.id)


def restore_post(actor: User, post: Post) -> None:
    if not can(actor, "restore_post", post):
        raise NotAllowed(_l("Only facilitators restore deleted posts."))
    post.deleted_at = None
    post.deleted_by_id = None
    _change_visible_counts(post, +1)
    if post.is_first and post.topic.deleted_at is not None:
        post.topic.deleted_at = None
        post.topic.deleted_by_id = None
        db.session.execute(
            update(Category).where(Category.id == post.topic.category_id).values(topic_count=Category.topic_count + 1)
        )
    db.session.flush()
    events.post_restored.announce(db.session, post_id=post.id, topic_id=post.topic_id, actor_id=actor.id)


def quote_markdown(post: Post, author: User, excerpt: str | None = None) -> str:
    """A Markdown quote of `post` (or of `excerpt` from it) that links back to its source by the post's
    permalink, which outlives a retitle or a move."""
    text = (excerpt if excerpt is not None else post.raw).strip()
    source = links.stored_post_url(post.id)
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    return f"> [@{author.username} #{post.post_number}]({source}):\n>\n{quoted}\n\n"


def toggle_like(user: User, post: Post) -> bool:
    """Like a post, or undo the like; returns whether the member now likes it."""
    if not can(user, "like", post) or not can(user, "view_topic", post.topic):
        raise NotAllowed(_l("You cannot like this post."))
    existing = db.session.get(PostLike, (post.id, user.id))
    if existing is not None:
        db.session.delete(existing)
        post.like_count = Post.like_count - 1
        db.session.flush()
        return False
    db.session.add(PostLike(post_id=post.id, user_id=user.id))
    post.like_count = Post.like_count + 1
    db.session.flush()
    events.post_liked.announce(db.session, post_id=post.id, topic_id=post.topic_id, user_id=user.id)
    return True
