"""moderation, continued: a topic whose opening post is hidden leaves the lists (topics.hidden_at); an edit
keeps its reason in the post's history (post_revisions.reason); each login session keeps the address it was last used from, for administrators (user_sessions.ip_address); posts by time, for the facilitation dashboard's weekly counts

Revision ID: 0018_moderation_topics_ips
Revises: 0016_moderation
Create Date: 2026-12-04 14:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_moderation_topics_ips'
down_revision = '0016_moderation'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ip_address', sa.String(length=45), nullable=True))
    op.create_index('ix_posts_created_at', 'posts', ['created_at'], unique=False)
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=255), nullable=True))


def downgrade():
    op.drop_index('ix_posts_created_at', table_name='posts')
    with op.batch_alter_table('post_revisions', schema=None) as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('ip_address')
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')
