"""avatars and first steps: a member's picture (named by its content) and when they put the newcomer's
welcome away

Revision ID: 0017_avatars_first_steps
Revises: 0018_moderation_topics_ips
Create Date: 2026-12-04 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_avatars_first_steps'
# Numbered 0017 when it was written, after 0016; 0018 reached the main line first (also on 0016), so this one
# follows it: databases already at 0018 upgrade to this, and the history stays one line.
down_revision = '0018_moderation_topics_ips'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('avatar', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('welcome_dismissed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('welcome_dismissed_at')
        batch_op.drop_column('avatar')
