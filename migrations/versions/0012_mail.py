"""mail: outbox moves to forum/mail with Message-IDs, members and permanent failures; email preferences,
mailing-list subscriptions, notification email decisions and digest runs

Revision ID: 0012_mail
Revises: 0011_periodic_runs
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0012_mail"
down_revision = "0011_periodic_runs"
branch_labels = None
depends_on = None


def _outbox_columns():
    with op.batch_alter_table("outbox_emails") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("headers", sa.Text(), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            op.f("fk_outbox_emails_user_id_users"), "users", ["user_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_outbox_emails_user_id"), ["user_id"], unique=False)
    # Messages that had used up their attempts under the old rules count as failed.
    op.execute("UPDATE outbox_emails SET failed_at = created_at WHERE sent_at IS NULL AND attempts >= 8")


def upgrade():
    _outbox_columns()
    op.create_table(
        "email_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Boolean(), nullable=False),
        sa.Column("replies", sa.Boolean(), nullable=False),
        sa.Column("quotes", sa.Boolean(), nullable=False),
        sa.Column("watching", sa.Boolean(), nullable=False),
        sa.Column("messages", sa.Boolean(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("away_minutes", sa.Integer(), nullable=False),
        sa.Column("digest", sa.Enum("daily", "weekly", "off", name="digestfrequency", native_enum=False, length=8),
                  nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("digest_weekday", sa.Integer(), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_email_preferences_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_email_preferences")),
    )
    op.create_table(
        "mailing_list_subscriptions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"],
                                name=op.f("fk_mailing_list_subscriptions_category_id_categories"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mailing_list_subscriptions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "category_id", name=op.f("pk_mailing_list_subscriptions")),
    )
    op.create_table(
        "notification_emails",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"],
                                name=op.f("fk_notification_emails_notification_id_notifications"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("notification_id", name=op.f("pk_notification_emails")),
    )
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_user_id", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        sa.UniqueConstraint("hour", name=op.f("uq_digest_runs_hour")),
    )
    op.create_table(
        "digests_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["digest_runs.id"], name=op.f("fk_digests_sent_run_id_digest_runs"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_digests_sent_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests_sent")),
        sa.UniqueConstraint("user_id", "period", name="uq_digests_sent_user_period"),
    )
    op.create_index("ix_digests_sent_run", "digests_sent", ["run_id"], unique=False)


def downgrade():
    op.drop_index("ix_digests_sent_run", table_name="digests_sent")
    op.drop_table("digests_sent")
    op.drop_table("digest_runs")
    op.drop_table("notification_emails")
    op.drop_table("mailing_list_subscriptions")
    op.drop_table("email_preferences")
    with op.batch_alter_table("outbox_emails") as batch:
        batch.drop_index(op.f("ix_outbox_emails_user_id"))
        batch.drop_constraint(op.f("fk_outbox_emails_user_id_users"), type_="foreignkey")
        for column in ("failed_at", "claimed_by", "headers", "message_id", "kind", "user_id"):
            batch.drop_column(column)
