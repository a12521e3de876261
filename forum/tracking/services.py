"""Read positions and notification levels. Services flush, never commit."""

from sqlalchemy import bindparam, case, select, update

from forum.board.models import Category, Topic
from forum.core.models import utcnow
from forum.core.upsert import insert_for_dialect
from forum.extensions import db
from forum.policy import live_topics_filter, visible_topics_filter
from forum.tracking.models import CategoryUser, NotificationLevel, TopicUser


def _read_position_upsert(user_id: int, topic_id: int, post_number: int, *, count_view: bool):
    now = utcnow()
    statement = insert_for_dialect(TopicUser).values(
        user_id=user_id,
        topic_id=topic_id,
        last_read_post_number=post_number,
        first_visited_at=now,
        last_visited_at=now,
        view_count=1 if count_view else 0,
        view_count_folded=0,
    )
    new = statement.excluded
    changes = {
        # Reading never moves the position backwards (the member may scroll up, or open an old page).
        "last_read_post_number": case(
            (new.last_read_post_number > TopicUser.last_read_post_number, new.last_read_post_number),
            else_=TopicUser.last_read_post_number,
        ),
        "last_visited_at": new.last_visited_at,
    }
    if count_view:
        changes["view_count"] = TopicUser.view_count + 1
    return statement.on_conflict_do_update(index_elements=[TopicUser.user_id, TopicUser.topic_id], set_=changes)


def record_visit(user, topic: Topic, read_up_to: int) -> None:
    """A member opened a page of a topic: their read position, visit time and a view, in one upsert."""
    db.session.execute(_read_position_upsert(user.id, topic.id, read_up_to, count_view=True))


def mark_read(user, topic: Topic, post_number: int) -> None:
    """Posts up to `post_number` scrolled into view (sent by the browser)."""
    post_number = max(0, min(post_number, topic.highest_post_number))
    db.session.execute(_read_position_upsert(user.id, topic.id, post_number, count_view=False))


def note_own_post(user, topic: Topic, post_number: int, started_topic: bool) -> None:
    """An author has read what they wrote, and follows the topic: watching it if they started it."""
    state = db.session.get(TopicUser, (user.id, topic.id))
    if state is None:
        state = TopicUser(user_id=user.id, topic_id=topic.id, last_read_post_number=0)
        db.session.add(state)
    state.last_read_post_number = max(state.last_read_post_number or 0, post_number)
    state.last_visited_at = utcnow()
    if state.notification_level is None:
        state.notification_level = NotificationLevel.WATCHING if started_topic else NotificationLevel.TRACKING


def set_topic_level(user, topic: Topic, level: NotificationLevel) -> None:
    state = db.session.get(TopicUser, (user.id, topic.id))
    if state is None:
        state = TopicUser(user_id=user.id, topic_id=topic.id, last_read_post_number=0)
        db.session.add(state)
    state.notification_level = level
    db.session.flush()


def carry_topic_levels(source: Topic, target: Topic) -> int:
    """A topic merged into another: members who chose a level for it (watching it, say) keep hearing of its
    conversation, now in `target`, unless they chose a level for `target` already. Returns how many."""
    chosen = db.session.execute(
        select(TopicUser.user_id, TopicUser.notification_level)
        .where(TopicUser.topic_id == source.id, TopicUser.notification_level.is_not(None))
    ).all()
    existing = {
        row.user_id: row for row in db.session.execute(
            select(TopicUser).where(TopicUser.topic_id == target.id, TopicUser.user_id.in_([u for u, _l in chosen]))
        ).scalars()
    }
    carried = 0
    for user_id, level in chosen:
        state = existing.get(user_id)
        if state is not None and state.notification_level is not None:
            continue
        if state is None:
            db.session.add(TopicUser(user_id=user_id, topic_id=target.id, last_read_post_number=0,
                                     notification_level=level))
        else:
            state.notification_level = level
        carried += 1
    db.session.flush()
    return carried


def set_category_level(user, category: Category, level: NotificationLevel) -> None:
    state = db.session.get(CategoryUser, (user.id, category.id))
    if state is None:
        state = CategoryUser(user_id=user.id, category_id=category.id, notification_level=level)
        db.session.add(state)
    state.notification_level = level
    db.session.flush()


def dismiss(user, category: Category | None = None) -> int:
    """Mark every readable topic (in a category and its sub-categories, or everywhere) as read."""
    topics = select(Topic.id, Topic.highest_post_number).where(visible_topics_filter(user), live_topics_filter())
    if category is not None:
        subtree = select(Category.id).where((Category.id == category.id) | (Category.parent_id == category.id))
        topics = topics.where(Topic.category_id.in_(subtree))
    rows = db.session.execute(topics).all()
    now = utcnow()
    for topic_id, highest in rows:
        statement = insert_for_dialect(TopicUser).values(
            user_id=user.id, topic_id=topic_id, last_read_post_number=highest, first_visited_at=now,
            last_visited_at=now, view_count=0, view_count_folded=0,
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[TopicUser.user_id, TopicUser.topic_id],
                set_={"last_read_post_number": statement.excluded.last_read_post_number},
            )
        )
    return len(rows)


def fold_member_views() -> dict[int, int]:
    """Take the members' views not yet counted in topics.views: {topic id: views}. The rows stay locked
    (on PostgreSQL) until the caller commits, so no view is counted twice or lost."""
    rows = db.session.execute(
        select(TopicUser.user_id, TopicUser.topic_id, TopicUser.view_count, TopicUser.view_count_folded)
        .where(TopicUser.view_count > TopicUser.view_count_folded)
        .with_for_update()
    ).all()
    if not rows:
        return {}
    table = TopicUser.__table__
    db.session.execute(
        update(table)
        .where(table.c.user_id == bindparam("uid"), table.c.topic_id == bindparam("tid"))
        .values(view_count_folded=bindparam("counted")),
        [{"uid": user_id, "tid": topic_id, "counted": count} for user_id, topic_id, count, _folded in rows],
    )
    pending: dict[int, int] = {}
    for _user_id, topic_id, count, folded in rows:
        pending[topic_id] = pending.get(topic_id, 0) + count - folded
    return pending
