"""Who may schedule workshops, answer them, nominate and mark posts in their peer-challenge threads.

The rules read only the attributes of what they are given (a workshop, a post, an experiment): importing the
workshops' or experiments' models here would make the board, which asks the policy, depend on them."""


class WorkshopPolicy:
    """Rules about workshops (mixed into Policy)."""

    def can_schedule_workshop(self, _obj=None) -> bool:
        return self.is_staff

    def can_select_nomination(self, _nomination=None) -> bool:
        return self.is_staff

    def can_rsvp(self, workshop) -> bool:
        return self.is_member and workshop.cancelled_at is None

    def can_nominate(self, workshop) -> bool:
        return self.is_member and workshop.cancelled_at is None

    def can_see_call_link(self, _workshop=None) -> bool:
        return self.is_member

    def can_mark_post(self, post) -> bool:
        """The post's author or a facilitator types a post in a peer-challenge thread."""
        return self.is_member and (self.is_staff or post.user_id == self.user.id)

    def can_mark_responded(self, experiment) -> bool:
        """The team of the experiment a challenge is addressed to (or a facilitator) says it has answered."""
        if not self.is_member:
            return False
        return self.is_staff or (experiment is not None and experiment.team_group_id in self.group_ids)
