"""The search page works through forum.search.backend alone, and the permission rules stay outside it."""

import pytest
from sqlalchemy import select

from forum.board.models import Post, Visibility
from forum.extensions import db
from forum.search import backend
from forum.search.backend import Hits
from tests.conftest import page_text
from tests.search.test_search_page import hit_links, hit_titles


class ListedBackend:
    """A second backend, for these tests: it finds the posts it is told to, whatever the query, and notes the
    visibility it was handed."""

    found: list[int] = []
    visibilities: list = []

    def query(self, search, visibility):
        self.visibilities.append(visibility)
        return Hits(keys=[f"p{post_id}" for post_id in self.found], total=len(self.found), more=False,
                    highlighter=_Unmarked())

    def complete_titles(self, text, visibility, limit):
        return []

    def complete_members(self, text, limit):
        return []


class _Unmarked:
    def title(self, text):
        return None

    def body(self, text):
        return None


@pytest.fixture
def listed(app, monkeypatch):
    monkeypatch.setitem(backend.BACKENDS, "listed", f"{__name__}:ListedBackend")
    monkeypatch.setitem(app.config, "FORUM_SEARCH_BACKEND", "listed")
    monkeypatch.setattr(ListedBackend, "found", [])
    monkeypatch.setattr(ListedBackend, "visibilities", [])
    return ListedBackend


def _first_post(app, topic_id) -> int:
    with app.app_context():
        return db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def test_the_search_page_shows_what_the_configured_backend_finds(app, client, make, auth, listed):
    aino = make.user("aino")
    topic = make.topic(make.facilitator("marcus"), make.category("General"), "Weekly check-in", "Nothing here.")
    reply = make.post(aino, topic, "We tried participatory budgeting.")
    listed.found = [reply]
    auth.login("aino")
    response = client.get("/search?q=budgeting")
    assert response.status_code == 200
    assert hit_titles(response) == ["Weekly check-in"]
    assert hit_links(response) == [f"/t/weekly-check-in/{topic}/2"]


def test_the_backend_is_told_what_a_member_may_not_see_and_cannot_show_it_anyway(app, client, make, auth, listed):
    make.user("aino")
    fiona = make.facilitator("fiona")
    team_room = make.category("Team room", visibility=Visibility.GROUPS, group_ids=(make.group("Team", [fiona]),))
    hidden = make.topic(fiona, team_room, "Harvest in the team room", "Harvest notes.")
    shown = make.topic(fiona, make.category("General"), "Harvest for all", "Harvest notes.")
    listed.found = [_first_post(app, hidden), _first_post(app, shown)]
    auth.login("aino")
    response = client.get("/search?q=harvest")
    assert hit_titles(response) == ["Harvest for all"]
    assert [v.hidden_category_ids for v in listed.visibilities] == [frozenset({team_room})]


def test_naming_an_author_does_not_reveal_a_category_hidden_from_the_searcher(client, make, auth):
    make.user("aino")
    fiona = make.facilitator("fiona")
    make.category("Team room", visibility=Visibility.GROUPS, group_ids=(make.group("Team", [fiona]),))
    auth.login("aino")
    text = page_text(client.get("/search?q=harvest user:fiona category:team-room"))
    assert "There is no category “team-room”." in text


def test_an_unknown_search_backend_is_named_in_the_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_SEARCH_BACKEND", "elastic")
    with app.app_context(), pytest.raises(backend.UnknownSearchBackend, match="'elastic'.*whoosh"):
        backend.current()
