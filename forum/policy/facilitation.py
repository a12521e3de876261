"""Who may see the facilitators' view of the group: its activity, open challenges and quiet learning logs."""


class FacilitationPolicy:
    """Rules about facilitation (mixed into Policy, which provides is_staff)."""

    def can_view_dashboard(self, _obj=None) -> bool:
        return self.is_staff
