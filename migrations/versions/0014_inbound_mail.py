"""inbound mail: received messages stored raw with their outcome, reply keys, category addresses, bounce counts

Revision ID: 0014_inbound_mail
Revises: 0013_notification_mail
Create Date: 2026-12-03 23:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0014_inbound_mail"
down_revision = "0013_notification_mail"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbound_emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("envelope_from", sa.String(length=254), nullable=True),
        sa.Column("envelope_to", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.Enum("received", "posted", "rejected", "dropped", "bounce", "held", "failed",
                                    name="inboundstatus", native_enum=False, length=12), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("from_address", sa.String(length=254), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_inbound_emails_post_id_posts"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_inbound_emails_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_emails")),
    )
    op.create_index("ix_inbound_emails_message_id", "inbound_emails", ["message_id"], unique=False)
    op.create_index("ix_inbound_emails_status", "inbound_emails", ["status", "id"], unique=False)
    op.create_index(op.f("ix_inbound_emails_user_id"), "inbound_emails", ["user_id"], unique=False)
    op.create_index(op.f("ix_inbound_emails_post_id"), "inbound_emails", ["post_id"], unique=False)
    op.create_table(
        "reply_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_reply_keys_post_id_posts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reply_keys_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_reply_keys_key_hash")),
    )
    op.create_index(op.f("ix_reply_keys_user_id"), "reply_keys", ["user_id"], unique=False)
    op.create_index(op.f("ix_reply_keys_post_id"), "reply_keys", ["post_id"], unique=False)
    op.create_table(
        "category_addresses",
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("local_part", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"],
                                name=op.f("fk_category_addresses_category_id_categories"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("category_id", name=op.f("pk_category_addresses")),
        sa.UniqueConstraint("local_part", name=op.f("uq_category_addresses_local_part")),
    )
    with op.batch_alter_table("email_preferences") as batch:
        batch.add_column(sa.Column("bounces", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("email_preferences") as batch:
        batch.drop_column("bounces")
    op.drop_table("category_addresses")
    op.drop_index(op.f("ix_reply_keys_post_id"), table_name="reply_keys")
    op.drop_index(op.f("ix_reply_keys_user_id"), table_name="reply_keys")
    op.drop_table("reply_keys")
    op.drop_index(op.f("ix_inbound_emails_post_id"), table_name="inbound_emails")
    op.drop_index(op.f("ix_inbound_emails_user_id"), table_name="inbound_emails")
    op.drop_index("ix_inbound_emails_status", table_name="inbound_emails")
    op.drop_index("ix_inbound_emails_message_id", table_name="inbound_emails")
    op.drop_table("inbound_emails")
