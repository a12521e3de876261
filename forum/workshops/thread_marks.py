"""What a peer-challenge thread's topic page shows (through forum.board.annotations): which workshop the thread
belongs to, with its open and responded challenges and the facilitator's summary (pinned at the top of every
page of the thread), and a line on each marked post of the page. One query, and
none for topics outside the Workshops category."""

from flask import render_template, url_for
from markupsafe import Markup
from sqlalchemy import and_, case, false, func, select, true
from sqlalchemy.orm import aliased

from forum.board import annotations
from forum.board.models import Post
from forum.experiments.models import Experiment
from forum.extensions import db
from forum.policy import visible_posts_filter
from forum.workshops.forms import MARK_LABELS
from forum.workshops.models import CATEGORY_SLUG, MarkKind, PostMark, Workshop


def annotate(topic, posts, _user) -> annotations.Annotations | None:
    if topic.is_private or topic.category is None or topic.category.slug != CATEGORY_SLUG:
        return None
    post_ids = [post.id for post in posts]
    # One statement: the thread's workshop, its challenge counts (over the posts the board shows), and the marks
    # of this page's posts; the outer join gives one row with no mark when the page has none.
    open_or_not = case((PostMark.responded_at.is_(None), 1), else_=0)
    counts = (
        select(func.coalesce(func.sum(open_or_not), 0).label("open"), func.count().label("challenges"))
        .select_from(PostMark).join(Post, Post.id == PostMark.post_id)
        .where(Post.topic_id == topic.id, PostMark.kind == MarkKind.CHALLENGE, visible_posts_filter())
        .subquery()
    )
    summary = aliased(Post)
    rows = db.session.execute(
        select(Workshop.slug, Workshop.title, counts.c.open, counts.c.challenges, summary, PostMark, Experiment.title)
        .select_from(Workshop)
        .join(counts, true())
        .outerjoin(summary, and_(summary.id == Workshop.summary_post_id, summary.deleted_at.is_(None)))
        .outerjoin(PostMark, PostMark.post_id.in_(post_ids) if post_ids else false())
        .outerjoin(Experiment, Experiment.id == PostMark.experiment_id)
        .where(Workshop.topic_id == topic.id)
    ).all()
    if not rows:
        return None
    slug, title, open_count, challenges, summary_post = rows[0][:5]
    found = annotations.Annotations(header=Markup(render_template(
        "workshops/_thread_note.html", url=url_for("workshops.show", slug=slug), title=title,
        open_count=open_count, responded_count=challenges - open_count, summary=summary_post,
    )))
    for *_workshop, mark, experiment_title in rows:
        if mark is not None:
            found.posts[mark.post_id] = Markup(render_template(
                "workshops/_post_mark.html", mark=mark, label=MARK_LABELS[mark.kind], experiment_title=experiment_title,
            ))
    return found


def register() -> None:
    annotations.register("workshop_marks", annotate)
