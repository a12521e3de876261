"""Fixtures: an app on a throw-away database (SQLite, or PostgreSQL when FORUM_TEST_DATABASE_URL is set),
emptied after every test; a client; an `auth` helper; and factories that go through the service layer.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from forum import create_app
from forum.auth import services as auth_services
from forum.auth.models import Role
from forum.board import services as board_services
from forum.board.models import Visibility
from forum.extensions import db
from forum.search import index as search_index

PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # Factories post the same default text again and again; tests/moderation/test_anti_abuse.py turns it on.
            "FORUM_DUPLICATE_POST_SECONDS": 0,
            "FORUM_OUTBOX_DIR": str(instance / "outbox"),
            "FORUM_UPLOADS_DIR": str(instance / "uploads"),
            "FORUM_POSTS_PER_PAGE": 5,
            "FORUM_TOPICS_PER_PAGE": 5,
            # A job runs as soon as its cause commits (mail is written, the index drained), so that a test sees
            # the effect straight after a request; tests run the periodic jobs themselves, when they mean to.
            "FORUM_JOBS_IMMEDIATE": True,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        _reset_schema()
        upgrade()
    yield app


def _reset_schema() -> None:
    """Start from an empty database (a previous run on PostgreSQL may have left tables behind)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


def empty_database(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _clean_database(app):
    yield
    empty_database(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    """An app and request context for calling services directly."""
    with app.test_request_context():
        yield
        db.session.rollback()


class Factory:
    """Members, categories, topics and posts, made through the same services as the real thing."""

    def __init__(self, app):
        self.app = app
        self.count = 0

    def _commit(self, obj):
        db.session.commit()
        return obj

    def user(self, username=None, role=Role.MEMBER, **kwargs):
        self.count += 1
        username = username or f"member{self.count}"
        with self.app.test_request_context():
            user = auth_services.create_user(
                username=username,
                email=kwargs.pop("email", f"{username}@example.org"),
                display_name=kwargs.pop("display_name", username.title()),
                password=kwargs.pop("password", PASSWORD),
                role=role,
                **kwargs,
            )
            return self._commit(user).id

    def admin(self, username="admin1"):
        return self.user(username, role=Role.ADMIN)

    def facilitator(self, username="facilitator1"):
        return self.user(username, role=Role.FACILITATOR)

    def group(self, name, member_ids=()):
        from forum.admin import services as admin_services
        from forum.auth.models import User

        with self.app.test_request_context():
            actor = self._system_admin()
            group = admin_services.save_group(actor, None, name=name, description=None)
            for member_id in member_ids:
                admin_services.add_to_group(actor, group, db.session.get(User, member_id))
            return self._commit(group).id

    def category(self, name="General", visibility=Visibility.MEMBERS, group_ids=(), **kwargs):
        from forum.auth.models import Group

        with self.app.test_request_context():
            groups = [db.session.get(Group, gid) for gid in group_ids]
            category = board_services.save_category(
                self._system_admin(), None, name=name, visibility=visibility, groups=groups, **kwargs
            )
            return self._commit(category).id

    def topic(self, author_id, category_id, title="A topic about learning", raw="First post text."):
        from forum.auth.models import User
        from forum.board.models import Category

        with self.app.test_request_context():
            topic = board_services.create_topic(
                db.session.get(User, author_id), db.session.get(Category, category_id), title, raw
            )
            return self._commit(topic).id

    def post(self, author_id, topic_id, raw="A reply.", reply_to=None):
        from forum.auth.models import User
        from forum.board.models import Topic

        with self.app.test_request_context():
            post = board_services.create_post(
                db.session.get(User, author_id), db.session.get(Topic, topic_id), raw, reply_to_post_number=reply_to
            )
            return self._commit(post).id

    def _system_admin(self):
        from sqlalchemy import select

        from forum.auth.models import User

        admin = db.session.execute(select(User).where(User.username_key == "system-admin")).scalar_one_or_none()
        if admin is None:
            admin = auth_services.create_user(
                username="system-admin", email="system-admin@example.org", display_name="System", password=PASSWORD,
                role=Role.ADMIN,
            )
        return admin


@pytest.fixture
def make(app):
    return Factory(app)


class Auth:
    def __init__(self, client, app):
        self.client = client
        self.app = app

    def login(self, username, password=PASSWORD, remember=False):
        data = {"login": username, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/login", data=data)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client, app):
    return Auth(client, app)


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside the `with` block: `with count_queries() as counter: ...; counter.n`."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        class Counter:
            n = 0
            statements: list = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.n += 1
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


def page_text(response) -> str:
    """The visible text of a response, whitespace folded (for asserting what a member reads)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- search: a fresh index per test that asks for one (others run without, and never pay for indexing) ---

class SearchIndex:
    def __init__(self, app):
        self.app = app

    def sync(self) -> int:
        """Apply what is queued, as the after-request hook or the periodic job would."""
        with self.app.app_context():
            return search_index.drain_all()

    def rebuild(self) -> int:
        """Build from the database and catch up, as `flask forum search-reindex` does."""
        with self.app.app_context():
            written = search_index.rebuild()
            search_index.drain_all()
            return written

    def check(self) -> dict:
        with self.app.app_context():
            return search_index.check()

    @property
    def root(self) -> Path:
        return Path(self.app.config["FORUM_SEARCH_INDEX_DIR"])


@pytest.fixture
def search(app):
    index = SearchIndex(app)
    shutil.rmtree(index.root, ignore_errors=True)
    index.rebuild()
    yield index
    with app.app_context():
        db.session.remove()
    shutil.rmtree(index.root, ignore_errors=True)
