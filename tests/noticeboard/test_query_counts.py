"""The banner costs one query per page for a member, none for a visitor, and keeps pages within their bound."""

import pytest

from forum.board.models import Category, Visibility
from forum.extensions import db
from tests.board.test_query_counts import MAX_QUERIES
from tests.noticeboard.conftest import banner


def _count(client, count_queries, url) -> int:
    client.get(url)  # warm up (first request loads things once per process)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.n


def _cost(app, client, count_queries, monkeypatch, urls) -> dict[str, tuple[int, int]]:
    """Per page: (queries with the banner, queries with the banner switched off)."""
    with_banner = {url: _count(client, count_queries, url) for url in urls}
    with monkeypatch.context() as patch:
        patch.setitem(app.jinja_env.globals, "notice_banner", lambda: None)
        without = {url: _count(client, count_queries, url) for url in urls}
    return {url: (with_banner[url], without[url]) for url in urls}


@pytest.fixture
def pages(app, make, noticeboard):
    """The pages whose query counts tests/board/test_query_counts.py bounds."""
    topic = make.topic(noticeboard.member_id, make.category("General"), title="Learning cycles")
    make.post(noticeboard.facilitator_id, topic, "A reply.", reply_to=1)
    url = noticeboard.url(topic)
    return [f"{url}?page=1", f"{url}?view=threaded", "/latest", "/c/general", "/c/noticeboard"]


def test_a_member_pays_one_query_for_the_banner_shown_or_not(app, client, auth, noticeboard, pages, count_queries, monkeypatch):
    notice = noticeboard.notice()
    auth.login("aino")
    shown = _cost(app, client, count_queries, monkeypatch, pages)
    assert banner(client.get("/latest")) is not None
    client.post(f"/noticeboard/{notice}/dismiss")
    read = _cost(app, client, count_queries, monkeypatch, pages)
    assert banner(client.get("/latest")) is None
    for url in pages:
        assert shown[url][0] - shown[url][1] == 1, (url, shown[url])
        assert read[url][0] - read[url][1] == 1, (url, read[url])
        assert shown[url][0] <= MAX_QUERIES, (url, shown[url])


def test_a_member_pays_one_query_when_there_is_no_notice(app, client, auth, noticeboard, pages, count_queries, monkeypatch):
    auth.login("aino")
    for url, (with_banner, without) in _cost(app, client, count_queries, monkeypatch, pages).items():
        assert with_banner - without == 1, url


def test_a_visitor_pays_nothing_for_the_banner(app, client, noticeboard, pages, count_queries, monkeypatch):
    noticeboard.notice()
    with app.app_context():
        for category in db.session.query(Category):
            category.visibility = Visibility.PUBLIC
        db.session.commit()
    for url, (with_banner, without) in _cost(app, client, count_queries, monkeypatch, pages).items():
        assert with_banner == without, url
