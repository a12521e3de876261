"""Who may read and answer a topic, and which topics a member may list."""

from sqlalchemy import or_, select

from forum.board.models import Topic, topic_allowed_groups, topic_allowed_users
from forum.extensions import db
from forum.policy.states import live_topics_filter, topic_is_live


class TopicPolicy:
    """Rules about topics and private messages (mixed into Policy)."""

    def _participation(self):
        """The private messages the member is on directly, and those they reach through a group."""
        direct = select(topic_allowed_users.c.topic_id).where(topic_allowed_users.c.user_id == self.user.id)
        via_groups = select(topic_allowed_groups.c.topic_id).where(topic_allowed_groups.c.group_id.in_(self.group_ids))
        return direct, via_groups

    def _compute_participating_topic_ids(self) -> frozenset[int]:
        if not self.is_member:
            return frozenset()
        direct, via_groups = self._participation()
        return frozenset(db.session.execute(direct.union(via_groups)).scalars())

    def participating_filter(self):
        """Private messages the member takes part in, directly or through a group."""
        direct, via_groups = self._participation()
        return Topic.is_private & (Topic.id.in_(direct) | Topic.id.in_(via_groups))

    def visible_topics_filter(self, include_private: bool = False):
        """A WHERE clause restricting topics to those the member may read (use with select(Topic)).

        Topic lists leave private messages out (they have their inbox); search, bookmarks, uploads and
        feeds that must reach a member's messages pass include_private=True."""
        clause = Topic.is_private.is_(False) & Topic.category_id.in_(self.visible_category_ids)
        if include_private and self.is_member:
            clause = or_(clause, self.participating_filter())
        if not self.is_staff:
            clause = clause & live_topics_filter()
        return clause

    def can_view_topic(self, topic: Topic) -> bool:
        if topic.is_private:
            # Private messages are for their participants only, facilitators included; one query for all of
            # a member's messages rather than one per topic, since lists and search ask about many.
            participates = self.is_member and topic.id in self.participating_topic_ids
            return participates and (topic_is_live(topic) or self.is_staff)
        if topic.category_id not in self.visible_category_ids:
            return False
        return topic_is_live(topic) or self.is_staff

    def can_reply(self, topic: Topic) -> bool:
        if not self.can_write or not self.can_view_topic(topic) or topic.archived_at is not None:
            return False
        return topic_is_live(topic) and (not topic.is_locked or self.is_staff)

    def can_move_topic(self, topic: Topic) -> bool:
        """Facilitators, and a category's own moderators for its topics."""
        if self.is_staff:
            return self.can_view_topic(topic)
        return self.can_moderate_topic(topic)
