"""Who may read, change and like a post."""

from typing import NamedTuple

from forum.board.models import Post, Topic
from forum.policy.states import post_is_visible


class PostPermissions(NamedTuple):
    read: bool
    reply: bool
    like: bool
    edit: bool
    delete: bool
    restore: bool
    flag: bool  # ask a facilitator to look at it
    moderate: bool  # hide it or show it again, make it a wiki, lock its edits


class PostPolicy:
    """Rules about posts (mixed into Policy)."""

    def can_view_post_content(self, post: Post) -> bool:
        """Removed posts keep their place in the stream but only staff and the author read them."""
        if post_is_visible(post):
            return True
        return self.is_staff or (self.is_member and self.user.id == post.user_id)

    def can_edit_post(self, post: Post, topic: Topic | None = None) -> bool:
        """Its author and staff; on a wiki, any member who may write and read its topic (`topic`, else
        post.topic, which must then be loaded); once its edits are locked, staff only. Deleted posts, nobody;
        hidden ones, staff only (to take out what got them hidden); in an archived topic, nobody."""
        topic = topic if topic is not None else post.topic
        if not self.is_member or post.deleted_at is not None or topic.archived_at is not None:
            return False
        if self.is_staff:
            return True
        if post.edits_locked or not post_is_visible(post):
            return False
        if self.user.id == post.user_id:
            return True
        return post.is_wiki and self.can_write and self.can_view_topic(topic)

    def can_delete_post(self, post: Post) -> bool:
        """Its author (not once its edits are locked) and staff; a wiki's other editors do not delete it."""
        if not self.is_member or not post_is_visible(post):
            return False
        return self.is_staff or (self.user.id == post.user_id and not post.edits_locked)

    def can_restore_post(self, post: Post) -> bool:
        return self.is_staff and post.deleted_at is not None

    def can_like(self, post: Post) -> bool:
        """Members like visible posts other than their own (reading the topic is checked by the caller)."""
        return self.is_member and post_is_visible(post) and self.user.id != post.user_id

    def post_permissions(self, post: Post, topic: Topic) -> PostPermissions:
        """Everything the post template asks about one post, in one call (it runs for every post on a page)."""
        visible = post_is_visible(post)
        return PostPermissions(
            read=self.can_view_post_content(post),
            reply=visible and self.can_reply(topic),
            like=self.can_like(post),
            edit=self.can_edit_post(post, topic),
            delete=self.can_delete_post(post),
            restore=self.can_restore_post(post),
            flag=visible and self.can_flag_post(post),
            moderate=post.deleted_at is None and self.can_moderate_post(post, topic),
        )
