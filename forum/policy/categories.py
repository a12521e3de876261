"""Who may read a category and start topics in it.

Categories are few, so their rules are loaded in one small query and applied in Python: the same code then
answers for a single category and for a list of them.
"""

from sqlalchemy import select

from forum.board.models import Category, Visibility, category_groups
from forum.extensions import db

CategoryRules = dict[int, tuple[Visibility, int | None, frozenset[int]]]


def load_category_rules() -> CategoryRules:
    """category id -> (visibility, parent id, group ids)."""
    rows = db.session.execute(
        select(Category.id, Category.visibility, Category.parent_id, category_groups.c.group_id).outerjoin(
            category_groups, category_groups.c.category_id == Category.id
        )
    ).all()
    rules: dict[int, tuple[Visibility, int | None, set[int]]] = {}
    for category_id, visibility, parent_id, group_id in rows:
        rule = rules.setdefault(category_id, (visibility, parent_id, set()))
        if group_id is not None:
            rule[2].add(group_id)
    return {cid: (vis, parent, frozenset(groups)) for cid, (vis, parent, groups) in rules.items()}


class CategoryPolicy:
    """Rules about categories (mixed into Policy, which provides user, is_member, is_staff, group_ids)."""

    def _rule_allows(self, visibility: Visibility, group_ids: frozenset[int]) -> bool:
        if visibility == Visibility.PUBLIC:
            return True
        if not self.is_member:
            return False
        if self.is_staff or visibility == Visibility.MEMBERS:
            return True
        return bool(group_ids & self.group_ids)

    def _compute_visible_category_ids(self) -> frozenset[int]:
        rules = self.category_rules

        def readable(category_id: int, depth: int = 0) -> bool:
            # A sub-category also needs its parent to be readable.
            visibility, parent_id, group_ids = rules[category_id]
            if not self._rule_allows(visibility, group_ids):
                return False
            return parent_id is None or depth > 8 or readable(parent_id, depth + 1)

        return frozenset(cid for cid in rules if readable(cid))

    @property
    def hidden_category_ids(self) -> frozenset[int]:
        """Categories the member may not read (search excludes the few rather than lists the many)."""
        return frozenset(self.category_rules) - self.visible_category_ids

    def can_view_category(self, category: Category) -> bool:
        return category.id in self.visible_category_ids

    def can_create_topic(self, category: Category) -> bool:
        if not self.can_write or not self.can_view_category(category):
            return False
        return self.is_staff or not category.staff_only_topics
