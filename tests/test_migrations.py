"""The Alembic history is linear and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from forum.extensions import db
from tests.core.test_markdown import _normalise


def test_migrations_have_a_single_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_models_match_the_migrated_schema(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_revision_ids_fit_alembics_version_column(app):
    """alembic_version.version_num is VARCHAR(32): PostgreSQL refuses longer ids, SQLite would not tell."""
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        assert all(len(revision.revision) <= 32 for revision in script.walk_revisions())


def test_the_avatars_and_first_steps_migration_goes_down_and_up_again(app):
    """0017 adds two columns to users; its downgrade takes them away (SQLite rebuilds the table to do so)."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    def user_columns():
        with db.engine.connect() as connection:
            return {column["name"] for column in inspect(connection).get_columns("users")}

    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        below = script.get_revision("0017_avatars_first_steps").down_revision
        db.session.remove()
        try:
            downgrade(revision=below)
            assert {"avatar", "welcome_dismissed_at"}.isdisjoint(user_columns())
        finally:
            upgrade()
        assert {"avatar", "welcome_dismissed_at"} <= user_columns()


def test_upgrade_names_the_task_boxes_of_posts_cooked_before_they_had_names(app, make):
    """0019 cooks posts with task lists again; other posts keep their HTML as it is."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select, update

    from forum.board.models import Post

    aino = make.user("aino")
    category = make.category()
    with_tasks = make.topic(aino, category, title="Plan for cycle 3", raw="- [x] Book the room\n- [ ] Ask @aino")
    without = make.topic(aino, category, title="Notes", raw="Just *notes*.")
    old_cooked = ('<ul class="contains-task-list"><li class="task-list-item"><input class="task-list-item-checkbox" '
                  'checked="checked" type="checkbox" disabled="disabled"> Book the room</li></ul>')
    with app.app_context():
        as_written = db.session.execute(select(Post.cooked).where(Post.topic_id == with_tasks)).scalar_one()
        db.session.execute(update(Post).where(Post.topic_id == with_tasks).values(cooked=old_cooked))
        db.session.execute(update(Post).where(Post.topic_id == without).values(cooked="<p>kept</p>"))
        db.session.commit()
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        downgrade(revision=script.get_revision("0019_task_box_names").down_revision)
        upgrade()
        cooked = dict(db.session.execute(select(Post.topic_id, Post.cooked)).all())
    assert 'aria-label="Book the room"' in cooked[with_tasks] and 'aria-label="Ask @aino"' in cooked[with_tasks]
    assert _normalise(cooked[with_tasks]) == _normalise(as_written)  # as a post written today, mention link and all
    assert cooked[without] == "<p>kept</p>"
