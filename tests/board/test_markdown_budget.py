"""A post too complex to render is refused the same way on every path, even on a threaded server."""

import threading

from sqlalchemy import func, select

from forum.board.models import Post, Topic
from forum.core import markdown
from forum.extensions import db
from tests.conftest import page_text

# 32,000 characters (the default FORUM_MAX_POST_CHARS) that take markdown-it over a second to parse.
PATHOLOGICAL = "![" * 16_000


def _in_a_thread(call):
    """Run a request off the main thread, as `flask run` and gunicorn's threaded workers do."""
    result = []
    worker = threading.Thread(target=lambda: result.append(call()))
    worker.start()
    worker.join(timeout=60)
    return result[0]


def _post_count(app, topic_id) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(Post.id)).where(Post.topic_id == topic_id)).scalar_one()


def test_too_complex_reply_is_refused_in_a_threaded_server_and_the_text_kept(app, client, auth, make, monkeypatch):
    monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.2)
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    with app.app_context():
        slug = db.session.get(Topic, topic_id).slug
    auth.login("aino")
    raw = "Hello @aino " + PATHOLOGICAL[:31_000]
    response = _in_a_thread(lambda: client.post(f"/t/{slug}/{topic_id}/reply", data={"raw": raw}))
    assert response.status_code == 200
    assert "too complex to display" in page_text(response)
    assert raw[:200] in response.get_data(as_text=True), "the composer keeps what was typed"
    assert _post_count(app, topic_id) == 1


def test_too_complex_new_topic_is_refused_and_preview_says_the_same(app, client, auth, make, monkeypatch):
    monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.2)
    make.user("aino")
    make.category("Noticeboard")
    auth.login("aino")
    response = _in_a_thread(
        lambda: client.post("/c/noticeboard/new-topic", data={"title": "A hard one", "raw": PATHOLOGICAL})
    )
    assert response.status_code == 200
    assert "too complex to display" in page_text(response)
    preview = _in_a_thread(lambda: client.post("/preview", json={"raw": PATHOLOGICAL}))
    assert preview.status_code == 400
    assert "too complex to display" in preview.get_data(as_text=True)


def test_too_complex_edit_is_refused_and_the_post_stays_as_it_was(app, client, auth, make, monkeypatch):
    monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.2)
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category(), raw="The original text.")
    with app.app_context():
        post = db.session.execute(select(Post).where(Post.topic_id == topic_id)).scalar_one()
    auth.login("aino")
    response = _in_a_thread(
        lambda: client.post(f"/p/{post.id}/edit", data={"title": "A topic about learning", "raw": PATHOLOGICAL})
    )
    assert response.status_code == 200
    assert "too complex to display" in page_text(response)
    with app.app_context():
        assert db.session.get(Post, post.id).raw == "The original text."
