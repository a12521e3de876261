"""task-list box names: posts with task lists are cooked again, so that each box is named by its item's text

Cooked HTML is stored at write time; posts written before the renderer named the boxes keep unnamed form
controls (axe-core: "Form elements must have labels") until they are rendered again. Only posts with a box
are touched, with the same rendering as an edit (mentions linked to the members that exist).

Revision ID: 0019_task_box_names
Revises: 0017_avatars_first_steps
Create Date: 2026-12-04 14:30:00

"""
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from forum.core import links
from forum.core.markdown import MarkdownTooComplex, parse_markdown

revision = "0019_task_box_names"
down_revision = "0017_avatars_first_steps"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    posts = sa.table("posts", sa.column("id"), sa.column("raw"), sa.column("cooked"))
    users = sa.table("users", sa.column("username"), sa.column("username_key"))
    rows = bind.execute(
        sa.select(posts.c.id, posts.c.raw).where(posts.c.cooked.contains('class="task-list-item-checkbox"'))
    ).all()
    for post_id, raw in rows:
        try:
            parsed = parse_markdown(raw)
        except MarkdownTooComplex:
            continue  # accepted once, over the time budget on this machine now: keep the HTML it has
        found = bind.execute(
            sa.select(users.c.username, users.c.username_key).where(users.c.username_key.in_(parsed.mentions))
        ).all() if parsed.mentions else []
        mention_links = {key: links.profile_url(SimpleNamespace(username=name)) for name, key in found}
        bind.execute(posts.update().where(posts.c.id == post_id).values(cooked=parsed.html(mention_links)))


def downgrade():
    pass  # the named boxes are valid HTML for the older code too
