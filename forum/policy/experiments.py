"""Who may propose, edit and move an experiment along, and write its learning log.

An experiment's team is a group (`team_group_id`); facilitators and administrators (staff) may do whatever the
team may. Who reads an experiment is who reads its category: that rule stays in categories.py. The rules read
only the attributes of the experiment they are given, so that nothing here loads a row."""


class ExperimentPolicy:
    """Rules about experiments (mixed into Policy, which provides is_member, is_staff, group_ids)."""

    def _on_team_or_staff(self, experiment) -> bool:
        if not self.is_member:
            return False
        return self.is_staff or (experiment is not None and experiment.team_group_id in self.group_ids)

    def can_view_experiment(self, experiment) -> bool:
        return experiment.category_id in self.visible_category_ids

    def can_propose_experiment(self, _obj=None) -> bool:
        return self.is_member

    def can_edit_experiment(self, experiment) -> bool:
        return self._on_team_or_staff(experiment)

    def can_change_status(self, experiment) -> bool:
        return self._on_team_or_staff(experiment)

    def can_write_learning_log(self, experiment) -> bool:
        return self._on_team_or_staff(experiment)

    def can_turn_category_into_experiment(self, _category=None) -> bool:
        return self.is_staff
