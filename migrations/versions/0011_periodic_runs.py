"""periodic runs: one row per periodic job, claimed by the worker that runs it in a period

Revision ID: 0011_periodic_runs
Revises: 0010_revision_diffs
Create Date: 2026-12-03 19:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0011_periodic_runs"
down_revision = "0010_revision_diffs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "periodic_runs",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("last_run", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_periodic_runs")),
    )


def downgrade():
    op.drop_table("periodic_runs")
