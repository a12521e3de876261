"""Categories, topics, posts and post revisions."""

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import Group, User
from forum.core.models import UTCDateTime, string_enum, utcnow
from forum.extensions import db


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    MEMBERS = "members"  # every signed-in member
    GROUPS = "groups"  # only members of the category's groups (and staff)


category_groups = Table(
    "category_groups",
    db.metadata,
    Column("category_id", Integer, ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    colour: Mapped[str] = mapped_column(String(7), default="#3b6ea5")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    position: Mapped[int] = mapped_column(default=0)
    visibility: Mapped[Visibility] = mapped_column(
        string_enum(Visibility, 20),
        default=Visibility.MEMBERS,
    )
    # When set, only facilitators and admins start topics here (e.g. the noticeboard); members reply.
    staff_only_topics: Mapped[bool] = mapped_column(default=False)
    # Besides the facilitators, this group moderates the category (e.g. an experiment's own moderators).
    moderators_group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped["Category | None"] = relationship(remote_side=[id], lazy="raise")
    groups: Mapped[list[Group]] = relationship(secondary=category_groups, order_by="Group.name", lazy="raise")


topic_allowed_users = Table(
    "topic_allowed_users",
    db.metadata,
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

topic_allowed_groups = Table(
    "topic_allowed_groups",
    db.metadata,
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Topic(db.Model):
    __tablename__ = "topics"
    __table_args__ = (Index("ix_topics_category_bumped", "category_id", "bumped_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a private message, which belongs to its participants rather than a category.
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    is_private: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    title: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Newest activity, used to order topic lists.
    bumped_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Counts of visible (not deleted) posts; highest_post_number never goes down.
    post_count: Mapped[int] = mapped_column(default=0)
    highest_post_number: Mapped[int] = mapped_column(default=0)
    participant_count: Mapped[int] = mapped_column(default=0)
    # The most active posters, most posts first ("12,7,3"): topic lists show them without counting posts.
    featured_user_ids: Mapped[str] = mapped_column(String(120), default="", server_default="")
    views: Mapped[int] = mapped_column(default=0)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    # Pinned at the top of every topic list, not only its category's.
    pinned_globally: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_locked: Mapped[bool] = mapped_column(default=False)  # closed: no new replies
    # Archived: read-only for everyone, staff included, and out of the lists of new and unread topics.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Unlisted: readable by its link, but in no topic list, search or digest.
    is_unlisted: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Its opening post is hidden (by a facilitator, by flags, with its suspended author): out of every list,
    # search and digest, as an unlisted topic is, until the post is shown again.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    category: Mapped[Category | None] = relationship(lazy="raise")
    author: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_post_user_id], lazy="raise")
    allowed_users: Mapped[list[User]] = relationship(secondary=topic_allowed_users, lazy="raise", order_by="User.display_name")
    allowed_groups: Mapped[list[Group]] = relationship(secondary=topic_allowed_groups, lazy="raise", order_by="Group.name")

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)

    @property
    def featured_ids(self) -> list[int]:
        return [int(i) for i in self.featured_user_ids.split(",") if i]


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("topic_id", "post_number", name="uq_posts_topic_number"),
        Index("ix_posts_user_created", "user_id", "created_at"),
        Index("ix_posts_created_at", "created_at"),  # the facilitation dashboard's weekly counts
        Index("ix_posts_topic_reply_to", "topic_id", "reply_to_post_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    post_number: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reply_to_post_number: Mapped[int | None] = mapped_column()
    # Whom the reply answers, kept at write time so that a page can name them without a join per post.
    reply_to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raw: Mapped[str] = mapped_column(Text)
    # Sanitised HTML rendered once at write time ("cooked", as Discourse calls it).
    cooked: Mapped[str] = mapped_column(Text)
    # Visible replies pointing at this post.
    reply_count: Mapped[int] = mapped_column(default=0)
    like_count: Mapped[int] = mapped_column(default=0, server_default="0")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Hidden by a facilitator or by enough flags: shown only to its author (with the reason) and to staff.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_wiki: Mapped[bool] = mapped_column(default=False, server_default=false())  # any member may edit
    edits_locked: Mapped[bool] = mapped_column(default=False, server_default=false())  # only staff may edit

    topic: Mapped[Topic] = relationship(lazy="raise")
    author: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
    reply_to_user: Mapped[User | None] = relationship(foreign_keys=[reply_to_user_id], lazy="raise")

    @property
    def is_first(self) -> bool:
        return self.post_number == 1


class PostRevision(db.Model):
    """One version of a post as written; version 1 is the original."""

    __tablename__ = "post_revisions"
    __table_args__ = (UniqueConstraint("post_id", "version", name="uq_post_revisions_post_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    raw: Mapped[str] = mapped_column(Text)
    # The topic title at this version, kept for edits of a first post.
    title: Mapped[str | None] = mapped_column(String(255))
    # The line diff from the previous version, computed once at edit time (board.diff.line_runs);
    # None for version 1 and for versions too large to compare.
    diff_runs: Mapped[str | None] = mapped_column(Text)
    # Why the editor changed it ("fixed a link", a facilitator's "removed a resident's name"), if they said.
    reason: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    editor: Mapped[User] = relationship(lazy="raise")


class TopicViewCount(db.Model):
    """Views not yet added to topics.views: one small upsert per page view, folded in batches."""

    __tablename__ = "topic_view_counts"

    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    pending: Mapped[int] = mapped_column(default=0)


class PostLike(db.Model):
    """One like per member per post; undoing a like deletes the row."""

    __tablename__ = "post_likes"
    __table_args__ = (Index("ix_post_likes_user", "user_id", "created_at"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")
