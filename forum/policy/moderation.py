"""Who moderates what. Facilitators (and admins) moderate the whole forum; a category may also name a group of
its own moderators (an experiment's, say), who moderate the topics and posts in it. The rules read only the
attributes of what they are given (a topic's category, if it was not loaded with the topic, from the session), so
the board, which asks the policy, does not depend on moderation."""

from sqlalchemy import inspect
from sqlalchemy.orm.base import NO_VALUE

from forum.auth.models import User
from forum.board.models import Category
from forum.extensions import db


def _category_of(topic):
    """The topic's category as loaded with it, else from the session (by primary key: no query once loaded)."""
    loaded = inspect(topic).attrs.category.loaded_value
    return db.session.get(Category, topic.category_id) if loaded is NO_VALUE else loaded


class ModerationPolicy:
    """Rules about moderation (mixed into Policy, which provides is_member, is_staff, can_write, group_ids)."""

    def can_moderate_category(self, category) -> bool:
        if self.is_staff:
            return True
        group_id = getattr(category, "moderators_group_id", None)
        return self.is_member and group_id is not None and group_id in self.group_ids

    def can_moderate_topic(self, topic) -> bool:
        """Close, pin, archive, unlist, split, merge, move, time or hand over the topic; hide its posts. Private
        messages are moderated by staff only, and only through a participant's flag."""
        if topic.is_private or not self.can_view_topic(topic):
            return False
        return self.is_staff or self.can_moderate_category(_category_of(topic))

    def can_moderate_post(self, post, topic=None) -> bool:
        """Hide or show it, make it a wiki, lock its edits: the topic's moderators (`topic`, else post.topic),
        except that a category's own moderators leave facilitators' posts to facilitators."""
        if not self.can_moderate_topic(topic if topic is not None else post.topic):
            return False
        if self.is_staff:
            return True
        author = db.session.get(User, post.user_id)  # loaded with the post wherever posts are shown
        return author is None or not author.is_staff

    def can_flag_post(self, post) -> bool:
        """Members flag posts they can read that are not their own (the caller checks they can read it)."""
        return self.can_write and post.user_id != self.user.id and post.deleted_at is None

    def can_review(self, _obj=None) -> bool:
        """Open the review queue (flags, posts held for approval)."""
        return self.is_staff

    def can_moderate_member(self, member) -> bool:
        """Silence, suspend, reset the profile of a member: staff, on members who are not staff (admins on anyone
        but themselves)."""
        if not self.is_staff or member is None or member.id == self.user.id:
            return False
        return self.user.is_admin or not member.is_staff

    def can_view_ip_addresses(self, _member=None) -> bool:
        return self.is_member and self.user.is_admin

    def can_view_moderation_log(self, _obj=None) -> bool:
        return self.is_staff
