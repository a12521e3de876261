"""A fresh search index per test (other tests run without one, so they never pay for indexing)."""

import shutil
from pathlib import Path

import pytest

from forum.extensions import db
from forum.search import index as search_index


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
