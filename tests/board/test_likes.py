"""Likes: one per member per post, undoable, counted, and who liked is visible."""

from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.extensions import db
from tests.conftest import page_text


def _first_post(app, topic_id) -> Post:
    with app.app_context():
        return db.session.execute(select(Post).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def test_like_then_undo(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko", display_name="Mikko K")
    topic_id = make.topic(aino, make.category())
    post = _first_post(app, topic_id)
    auth.login("mikko")
    client.post(f"/p/{post.id}/like")
    client.post(f"/p/{post.id}/like", headers={"Accept": "application/json"})
    response = client.post(f"/p/{post.id}/like", headers={"Accept": "application/json"})
    assert response.get_json() == {"liked": True, "like_count": 1, "like_count_label": "1 like", "message": "You liked post #1."}
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
    page = client.get(f"/t/{topic.slug}/{topic_id}?page=1").get_data(as_text=True)
    assert 'aria-pressed="true"' in page and "1 like" in page
    assert "Mikko K" in page_text(client.get(f"/p/{post.id}/likes"))


def test_members_cannot_like_their_own_posts_and_visitors_cannot_like(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    post = _first_post(app, topic_id)
    assert client.post(f"/p/{post.id}/like").status_code == 302  # to the login page
    auth.login("aino")
    assert client.post(f"/p/{post.id}/like").status_code == 403
    assert _first_post(app, topic_id).like_count == 0
