"""Topic view counts, batched: a page view writes one small upsert into topic_view_counts; the pending
counts are folded into topics.views every few seconds (by whichever worker notices first) or by
`flask forum fold-views`. Reading a topic therefore never updates the hot topics row.
"""

import time

from flask import current_app
from sqlalchemy import bindparam, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.board.models import Topic, TopicViewCount
from forum.extensions import db

_last_fold = 0.0


def _upsert(topic_id: int):
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(TopicViewCount).values(topic_id=topic_id, pending=1)
    return statement.on_conflict_do_update(
        index_elements=[TopicViewCount.topic_id], set_={"pending": TopicViewCount.pending + 1}
    )


def record_view(topic_id: int) -> None:
    """Count one view of a topic, in its own small transaction."""
    db.session.execute(_upsert(topic_id))
    db.session.commit()
    fold_if_due()


def fold_pending() -> int:
    """Move pending view counts into topics.views; returns how many topics changed."""
    taken = db.session.execute(
        delete(TopicViewCount).returning(TopicViewCount.topic_id, TopicViewCount.pending)
    ).all()
    if taken:
        topics = Topic.__table__
        db.session.execute(
            update(topics).where(topics.c.id == bindparam("tid")).values(views=topics.c.views + bindparam("n")),
            [{"tid": topic_id, "n": pending} for topic_id, pending in taken],
        )
    db.session.commit()
    return len(taken)


def fold_if_due() -> None:
    global _last_fold
    now = time.monotonic()
    if now - _last_fold >= current_app.config["FORUM_VIEW_FLUSH_SECONDS"]:
        _last_fold = now
        fold_pending()
