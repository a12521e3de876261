"""Quoting a post into a reply: on the reply page (the path without JavaScript) and from the post's quote
address the topic page's script reads."""

from sqlalchemy import select

from forum.board.models import Post, Topic
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
