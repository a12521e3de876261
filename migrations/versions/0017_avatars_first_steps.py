"""avatars and first steps: a member's picture (named by its content) and when they put the newcomer's
welcome away

Revision ID: 0017_avatars_first_steps
Revises: 0016_moderation
Create Date: 2026-12-04 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_avatars_first_steps'
down_revision = '0016_moderation'
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
