"""search queue: changes for the search index, written with the change itself

Revision ID: 0008_search_queue
Revises: 0007_featured_users
Create Date: 2026-11-29 07:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0008_search_queue"
down_revision = "0007_featured_users"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_queue")),
    )
    with op.batch_alter_table("search_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_queue_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_search_queue_pending", ["processed_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("search_queue", schema=None) as batch_op:
        batch_op.drop_index("ix_search_queue_pending")
        batch_op.drop_index(batch_op.f("ix_search_queue_created_at"))
    op.drop_table("search_queue")
