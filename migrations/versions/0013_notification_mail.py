"""notification mail: which posts mailing-list mode mailed to whom, and notifications by age for the mail sweep

Revision ID: 0013_notification_mail
Revises: 0012_mail
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0013_notification_mail"
down_revision = "0012_mail"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mailing_list_emails",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_mailing_list_emails_post_id_posts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mailing_list_emails_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "post_id", name=op.f("pk_mailing_list_emails")),
    )
    op.create_index("ix_notifications_created_at", "notifications", ["created_at"], unique=False)


def downgrade():
    op.drop_index("ix_notifications_created_at", table_name="notifications")
    op.drop_table("mailing_list_emails")
