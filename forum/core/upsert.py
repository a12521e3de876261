"""INSERT … ON CONFLICT for the two databases we run on (SQLite embedded, PostgreSQL in production)."""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.extensions import db


def insert_for_dialect(model):
    """An INSERT statement for `model` that supports .on_conflict_do_update on the current database."""
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)
