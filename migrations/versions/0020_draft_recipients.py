"""draft recipients: a new private message is kept as a draft too, with whom it is to

Revision ID: 0020_draft_recipients
Revises: 0019_task_box_names
Create Date: 2026-12-04 18:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0020_draft_recipients"
down_revision = "0019_task_box_names"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("recipients", sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("recipients")
