"""Quoting a post into a reply: on the reply page (the path without JavaScript) and from the post's quote
address the topic page's script reads."""

from sqlalchemy import select

from forum.board.models import Post, Topic, Visibility
from forum.extensions import db


def _conversation(app, make):
    """Aino's topic with a reply from Amara (#2); Mikko is logged in to write."""
    aino = make.user("aino")
    amara = make.user("amara")
    make.user("mikko")
    topic_id = make.topic(aino, make.category(), raw="Where shall we meet?")
    make.post(amara, topic_id, "The library has rooms.")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        second = db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 2)).scalar_one()
        return topic.slug, topic_id, second


def test_a_quote_below_a_kept_draft_starts_a_paragraph_of_its_own(app, client, auth, make):
    slug, topic_id, second = _conversation(app, make)
    auth.login("mikko")
    client.put(f"/drafts/reply:{topic_id}", json={"raw": "@team"})
    form = client.get(f"/t/{slug}/{topic_id}/reply?quote=2").get_data(as_text=True)
    assert f"@team\n\n&gt; [@amara #2](/p/{second}):\n&gt;\n&gt; The library has rooms." in form


def test_a_posts_quote_is_answered_as_json_for_the_composer(app, client, auth, make):
    _slug, _topic_id, second = _conversation(app, make)
    auth.login("mikko")
    response = client.get(f"/p/{second}/quote")
    assert response.status_code == 200
    assert response.get_json() == {"quote": f"> [@amara #2](/p/{second}):\n>\n> The library has rooms.\n\n"}


def test_a_deleted_post_is_not_quoted(app, client, auth, make):
    _slug, _topic_id, second = _conversation(app, make)
    auth.login("amara")
    client.post(f"/p/{second}/delete")
    # Its author still reads it on the topic, but a quote would carry it into a new post.
    assert client.get(f"/p/{second}/quote").status_code == 404


def test_a_post_in_a_topic_the_member_cannot_read_is_not_quoted(app, client, auth, make):
    aino = make.user("aino")
    team = make.group("team", member_ids=[aino])
    make.user("mikko")
    topic_id = make.topic(aino, make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team]), raw="Secret plans.")
    with app.app_context():
        first = db.session.execute(select(Post.id).where(Post.topic_id == topic_id)).scalar_one()
    auth.login("mikko")
    response = client.get(f"/p/{first}/quote")
    assert response.status_code == 404
    assert "Secret plans" not in response.get_data(as_text=True)
