"""Topic view counts, batched. A visitor's page view writes one small upsert into topic_view_counts; a
member's view is counted in the same upsert that records their read position (topic_users). Pending
counts are folded into topics.views by the periodic jobs (forum.core.jobs). Reading a topic therefore never updates the hot topics row.
"""

from sqlalchemy import bindparam, delete, update

from forum.board.models import Topic, TopicViewCount
from forum.core.upsert import insert_for_dialect
from forum.extensions import db


def _upsert(topic_id: int):
    statement = insert_for_dialect(TopicViewCount).values(topic_id=topic_id, pending=1)
    return statement.on_conflict_do_update(
        index_elements=[TopicViewCount.topic_id], set_={"pending": TopicViewCount.pending + 1}
    )


def record_view(topic_id: int) -> None:
    """Count one visitor's view of a topic, in its own small transaction."""
    db.session.execute(_upsert(topic_id))
    db.session.commit()


def fold_pending() -> int:
    """Move pending views (visitors' and members') into topics.views; returns how many topics changed."""
    from forum.tracking.services import fold_member_views

    pending = fold_member_views()
    taken = db.session.execute(delete(TopicViewCount).returning(TopicViewCount.topic_id, TopicViewCount.pending))
    for topic_id, views in taken.all():
        pending[topic_id] = pending.get(topic_id, 0) + views
    if pending:
        topics = Topic.__table__
        db.session.execute(
            update(topics).where(topics.c.id == bindparam("tid")).values(views=topics.c.views + bindparam("n")),
            [{"tid": topic_id, "n": views} for topic_id, views in pending.items()],
        )
    db.session.commit()
    return len(pending)
