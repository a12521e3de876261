"""Who may read, change and like a post."""

from typing import NamedTuple

from forum.board.models import Post, Topic
from forum.policy.states import post_is_visible


class PostPermissions(NamedTuple):
    read: bool
    reply: bool
    like: bool
    edit: bool
    restore: bool


class PostPolicy:
    """Rules about posts (mixed into Policy)."""

    def can_view_post_content(self, post: Post) -> bool:
        """Removed posts keep their place in the stream but only staff and the author read them."""
        if post_is_visible(post):
            return True
        return self.is_staff or (self.is_member and self.user.id == post.user_id)

    def can_edit_post(self, post: Post) -> bool:
        if not self.is_member or not post_is_visible(post):
            return False
        return self.is_staff or self.user.id == post.user_id

    def can_delete_post(self, post: Post) -> bool:
        return self.can_edit_post(post)

    def can_restore_post(self, post: Post) -> bool:
        return self.is_staff and post.deleted_at is not None

    def can_like(self, post: Post) -> bool:
        """Members like visible posts other than their own (reading the topic is checked by the caller)."""
        return self.is_member and post_is_visible(post) and self.user.id != post.user_id

    def post_permissions(self, post: Post, topic: Topic) -> PostPermissions:
        """Everything the post template asks about one post, in one call (it runs for every post on a page)."""
        return PostPermissions(
            read=self.can_view_post_content(post),
            reply=post_is_visible(post) and self.can_reply(topic),
            like=self.can_like(post),
            edit=self.can_edit_post(post),
            restore=self.can_restore_post(post),
        )
