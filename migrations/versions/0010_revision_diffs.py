"""revision diffs: the line diff from the previous version, computed once at edit time

Revision ID: 0010_revision_diffs
Revises: 0009_auth_hardening
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa

from forum.board.diff import line_runs


revision = "0010_revision_diffs"
down_revision = "0009_auth_hardening"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("post_revisions", sa.Column("diff_runs", sa.Text(), nullable=True))
    _compute_existing_diffs()


def _compute_existing_diffs():
    """Earlier edits get their stored diff now, so that the history page never computes one."""
    bind = op.get_bind()
    revisions = sa.table(
        "post_revisions", sa.column("id"), sa.column("post_id"), sa.column("version"), sa.column("raw"),
        sa.column("diff_runs"),
    )
    rows = bind.execute(
        sa.select(revisions.c.id, revisions.c.post_id, revisions.c.raw).order_by(revisions.c.post_id, revisions.c.version)
    )
    previous_post, previous_raw = None, None
    for revision_id, post_id, raw in rows.all():
        if post_id == previous_post:
            bind.execute(
                revisions.update().where(revisions.c.id == revision_id).values(diff_runs=line_runs(previous_raw, raw))
            )
        previous_post, previous_raw = post_id, raw


def downgrade():
    with op.batch_alter_table("post_revisions", schema=None) as batch_op:
        batch_op.drop_column("diff_runs")
