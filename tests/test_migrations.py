"""The Alembic history is linear and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from forum.extensions import db


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
