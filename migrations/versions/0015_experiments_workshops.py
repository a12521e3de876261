"""experiments and workshops: the experiment record, its lifecycle and learning log; workshops, RSVPs,
nominations, marks on peer-challenge posts and calendar feeds

Revision ID: 0015_experiments_workshops
Revises: 0014_inbound_mail
Create Date: 2026-12-03 23:18:53.328562

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_experiments_workshops'
down_revision = '0014_inbound_mail'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feeds'))
    )
    op.create_table('experiments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('team_group_id', sa.Integer(), nullable=False),
    sa.Column('organisations', sa.Text(), nullable=False),
    sa.Column('country', sa.String(length=80), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('principles', sa.String(length=40), nullable=False),
    sa.Column('learning_questions', sa.Text(), nullable=False),
    sa.Column('setting', sa.Text(), nullable=True),
    sa.Column('signals', sa.Text(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'designing', 'running', 'reflecting', 'concluded', 'paused', name='status', native_enum=False, length=12), nullable=False),
    sa.Column('reach', sa.Enum('group', 'team', name='reach', native_enum=False, length=8), nullable=False),
    sa.Column('learning_log_topic_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_experiments_category_id_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_experiments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['learning_log_topic_id'], ['topics.id'], name=op.f('fk_experiments_learning_log_topic_id_topics'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_group_id'], ['groups.id'], name=op.f('fk_experiments_team_group_id_groups'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiments')),
    sa.UniqueConstraint('category_id', name=op.f('uq_experiments_category_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_experiments_slug')),
    sa.UniqueConstraint('team_group_id', name=op.f('uq_experiments_team_group_id'))
    )
    op.create_table('experiment_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experiment_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('proposed', 'designing', 'running', 'reflecting', 'concluded', 'paused', name='status', native_enum=False, length=12), nullable=True),
    sa.Column('to_status', sa.Enum('proposed', 'designing', 'running', 'reflecting', 'concluded', 'paused', name='status', native_enum=False, length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_experiment_status_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_experiment_status_changes_experiment_id_experiments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiment_status_changes'))
    )
    with op.batch_alter_table('experiment_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experiment_status_changes_experiment_id'), ['experiment_id'], unique=False)

    op.create_table('learning_log_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experiment_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_learning_log_entries_experiment_id_experiments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_learning_log_entries_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_log_entries')),
    sa.UniqueConstraint('post_id', name=op.f('uq_learning_log_entries_post_id'))
    )
    with op.batch_alter_table('learning_log_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_log_entries_experiment_id'), ['experiment_id'], unique=False)

    op.create_table('post_marks',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('challenge', 'question', 'suggestion', 'reflection', name='markkind', native_enum=False, length=12), nullable=False),
    sa.Column('experiment_id', sa.Integer(), nullable=True),
    sa.Column('response_post_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_post_marks_experiment_id_experiments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_marks_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responded_by_id'], ['users.id'], name=op.f('fk_post_marks_responded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_post_id'], ['posts.id'], name=op.f('fk_post_marks_response_post_id_posts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_post_marks'))
    )
    with op.batch_alter_table('post_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_marks_experiment_id'), ['experiment_id'], unique=False)

    op.create_table('workshops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('launch', 'design', 'sharing', 'other', name='kind', native_enum=False, length=10), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('call_link', sa.String(length=500), nullable=True),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('organisations', sa.Text(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('summary_post_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_workshops_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['summary_post_id'], ['posts.id'], name=op.f('fk_workshops_summary_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_workshops_topic_id_topics'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops')),
    sa.UniqueConstraint('slug', name=op.f('uq_workshops_slug'))
    )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshops_starts_at'), ['starts_at'], unique=False)

    op.create_table('workshop_experiments',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('experiment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_workshop_experiments_experiment_id_experiments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_experiments_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', 'experiment_id', name=op.f('pk_workshop_experiments'))
    )
    with op.batch_alter_table('workshop_experiments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_experiments_experiment_id'), ['experiment_id'], unique=False)

    op.create_table('workshop_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('experiment_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('pitch', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('selected_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['experiment_id'], ['experiments.id'], name=op.f('fk_workshop_nominations_experiment_id_experiments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_workshop_nominations_proposer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_nominations_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_nominations'))
    )
    with op.batch_alter_table('workshop_nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_nominations_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_rsvps',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Enum('going', 'maybe', 'not_going', name='answer', native_enum=False, length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workshop_rsvps_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_rsvps_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', 'user_id', name=op.f('pk_workshop_rsvps'))
    )
    with op.batch_alter_table('workshop_rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_rsvps_user_id'), ['user_id'], unique=False)

    op.create_table('workshop_nomination_supports',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['workshop_nominations.id'], name=op.f('fk_workshop_nomination_supports_nomination_id_workshop_nominations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_workshop_nomination_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nomination_id', 'user_id', name=op.f('pk_workshop_nomination_supports'))
    )


def downgrade():
    op.drop_table('workshop_nomination_supports')
    with op.batch_alter_table('workshop_rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_rsvps_user_id'))

    op.drop_table('workshop_rsvps')
    with op.batch_alter_table('workshop_nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_nominations_workshop_id'))

    op.drop_table('workshop_nominations')
    with op.batch_alter_table('workshop_experiments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_experiments_experiment_id'))

    op.drop_table('workshop_experiments')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshops_starts_at'))

    op.drop_table('workshops')
    with op.batch_alter_table('post_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_marks_experiment_id'))

    op.drop_table('post_marks')
    with op.batch_alter_table('learning_log_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_log_entries_experiment_id'))

    op.drop_table('learning_log_entries')
    with op.batch_alter_table('experiment_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experiment_status_changes_experiment_id'))

    op.drop_table('experiment_status_changes')
    op.drop_table('experiments')
    op.drop_table('calendar_feeds')
