"""Profile pages show activity the viewer may see; member search feeds @mention completion."""

from forum.board.models import Post, Visibility
from forum.extensions import db
from tests.conftest import page_text


def test_profile_counts_and_lists_only_what_the_viewer_can_read(app, client, auth, make):
    aino, mikko = make.user("aino", display_name="Aino V"), make.user("mikko")
    make.user("outsider")
    team = make.group("Team", [aino, mikko])
    open_topic = make.topic(aino, make.category("General"), title="Open reflections")
    make.topic(aino, make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team]), title="Team secrets")
    make.post(aino, open_topic, "A reply of mine")
    with app.app_context():
        from sqlalchemy import select

        post_id = db.session.execute(select(Post.id).where(Post.topic_id == open_topic, Post.post_number == 1)).scalar_one()
    auth.login("mikko")
    client.post(f"/p/{post_id}/like")
    page = page_text(client.get("/u/aino?tab=topics"))
    assert "Open reflections" in page and "Team secrets" in page
    auth.logout()
    auth.login("outsider")
    topics = page_text(client.get("/u/aino?tab=topics"))
    assert "Open reflections" in topics and "Team secrets" not in topics
    assert "Topics started 1" in topics and "Replies 1" in topics and "Likes received 1" in topics
    assert "liked by Mikko" in page_text(client.get("/u/aino?tab=likes-received"))
    assert client.get("/u/aino?tab=nonsense").status_code == 404


def test_member_search_for_mentions(app, client, auth, make):
    make.user("aino", display_name="Aino Virtanen")
    make.user("ainar", display_name="Ainar S")
    make.user("mikko")
    auth.login("mikko")
    found = client.get("/u/search?q=ai").get_json()["members"]
    assert [m["username"] for m in found] == ["ainar", "aino"]
    assert client.get("/u/search?q=").status_code == 400
    assert client.get("/u/search?q=%25").get_json()["members"] == []
