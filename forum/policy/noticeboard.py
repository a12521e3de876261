"""Who opens the Noticeboard and chooses the notice that every member sees as a banner.

Posting a notice needs no rule of its own: the Noticeboard only lets facilitators start topics
(`staff_only_topics`, answered by `can_create_topic`), and members reply as anywhere else."""


class NoticeboardPolicy:
    """Rules about the Noticeboard (mixed into Policy)."""

    def can_open_noticeboard(self, _obj=None) -> bool:
        """Create the Noticeboard category on first use (facilitators, who are not administrators)."""
        return self.is_staff

    def can_pin_notice(self, topic) -> bool:
        """Pin a notice (it becomes the banner) or unpin it."""
        return self.is_staff and self.can_view_topic(topic)
