"""What a member may do beyond reading and posting: messages, invitations, group mentions, administration."""

from forum.auth.models import MentionPolicy


class MemberPolicy:
    """Rules about members and groups (mixed into Policy)."""

    def can_send_message(self, _obj=None) -> bool:
        return self.can_write

    def can_invite(self, _obj=None) -> bool:
        return self.is_staff

    def can_administer(self, _obj=None) -> bool:
        return self.is_member and self.user.is_admin

    def can_mention_group(self, group) -> bool:
        if not self.is_member:
            return False
        if self.user.is_admin or (self.is_staff and group.mention_policy != MentionPolicy.NOBODY):
            return True
        if group.mention_policy == MentionPolicy.ALL_MEMBERS:
            return True
        return group.mention_policy == MentionPolicy.GROUP_MEMBERS and group.id in self.group_ids
