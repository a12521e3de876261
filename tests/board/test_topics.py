"""Posting and reading: topics, replies, reply-to, pagination, deep links, the threaded view."""

import re

from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.extensions import db
from tests.conftest import page_text


def _topic(app, topic_id) -> Topic:
    with app.app_context():
        return db.session.get(Topic, topic_id)


def test_member_starts_a_topic_and_sees_it_in_the_category(app, client, auth, make):
    make.user("aino")
    make.category("Noticeboard")
    auth.login("aino")
    response = client.post(
        "/c/noticeboard/new-topic", data={"title": "Learning cycles in Jyväskylä", "raw": "We **tried** it."}
    )
    assert response.status_code == 302
    topic_page = client.get(response.headers["Location"])
    assert "Learning cycles in Jyväskylä" in page_text(topic_page)
    assert "<strong>tried</strong>" in topic_page.get_data(as_text=True)
    listing = page_text(client.get("/c/noticeboard"))
    assert "Learning cycles in Jyväskylä" in listing


def test_topic_url_uses_a_slug_and_redirects_from_a_wrong_one(app, client, auth, make):
    author = make.user("aino")
    topic_id = make.topic(author, make.category(), title="Systems stewardship: first notes")
    auth.login("aino")
    response = client.get(f"/t/wrong-slug/{topic_id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/t/systems-stewardship-first-notes/{topic_id}")
    assert client.get(f"/t/{topic_id}").status_code == 301


def test_reply_to_a_post_names_its_target_and_counts_replies(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category())
    auth.login("mikko")
    slug = _topic(app, topic_id).slug
    response = client.post(f"/t/{slug}/{topic_id}/reply", data={"raw": "Good point.", "reply_to": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{slug}/{topic_id}/2")
    page = client.get(f"/t/{slug}/{topic_id}")
    text = page_text(page)
    assert "in reply to @aino #1" in text
    assert "1 reply" in text
    replies = client.get("/p/1/replies?fragment=1".replace("1", str(_first_post_id(app, topic_id)), 1))
    assert "Good point." in page_text(replies)
    assert mikko


def _first_post_id(app, topic_id) -> int:
    with app.app_context():
        return db.session.execute(
            select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)
        ).scalar_one()


def test_posts_have_stable_numbers_and_deep_links_land_on_their_page(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    for n in range(2, 13):
        make.post(aino, topic_id, f"Post number {n}")
    auth.login("aino")
    slug = _topic(app, topic_id).slug
    response = client.get(f"/t/{slug}/{topic_id}/12")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{slug}/{topic_id}?page=3#post-12")
    page3 = client.get(f"/t/{slug}/{topic_id}?page=3")
    assert 'id="post-12"' in page3.get_data(as_text=True)
    assert "Post number 11" in page_text(page3)
    assert "Post number 10" not in page_text(page3)


def test_topic_pages_paginate_with_links(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    for n in range(2, 8):
        make.post(aino, topic_id, f"Post number {n}")
    auth.login("aino")
    slug = _topic(app, topic_id).slug
    html = client.get(f"/t/{slug}/{topic_id}").get_data(as_text=True)
    assert f'href="/t/{slug}/{topic_id}?page=2"' in html
    assert client.get(f"/t/{slug}/{topic_id}?page=2").status_code == 200
    assert client.get(f"/t/{slug}/{topic_id}?page=3").status_code == 404


def test_page_links_above_and_below_a_topic_are_told_apart(app, client, auth, make):
    """Two navigation landmarks with one name would be the same place in a screen reader's landmark list."""
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    for n in range(2, 8):
        make.post(aino, topic_id, f"Post number {n}")
    auth.login("aino")
    html = client.get(f"/t/{_topic(app, topic_id).slug}/{topic_id}").get_data(as_text=True)
    names = re.findall(r'<nav[^>]*aria-label="([^"]*)"', html)
    assert "Pages of this topic, top" in names and "Pages of this topic, bottom" in names
    assert len(names) == len(set(names))


def test_threaded_view_nests_replies_under_what_they_answer(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category())
    make.post(mikko, topic_id, "Root two", reply_to=None)  # 2
    make.post(aino, topic_id, "Answer to one", reply_to=1)  # 3
    make.post(mikko, topic_id, "Answer to three", reply_to=3)  # 4
    auth.login("aino")
    slug = _topic(app, topic_id).slug
    html = client.get(f"/t/{slug}/{topic_id}?view=threaded").get_data(as_text=True)
    order = [html.index(f'id="post-{n}"') for n in (1, 3, 4, 2)]
    assert order == sorted(order), "replies follow what they answer, before the next conversation"
    assert 'class="post depth-1" id="post-3"' in html
    assert 'class="post depth-2" id="post-4"' in html
    deep = client.get(f"/t/{slug}/{topic_id}/4?view=threaded")
    assert deep.headers["Location"].endswith(f"/t/{slug}/{topic_id}?page=1&view=threaded#post-4")


def test_topic_list_shows_counts_and_newest_activity_first(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    category = make.category("Experiments")
    older = make.topic(aino, category, title="Older topic")
    newer = make.topic(aino, category, title="Newer topic")
    make.post(mikko, older, "Bumps the older topic")
    auth.login("aino")
    text = page_text(client.get("/latest"))
    assert text.index("Older topic") < text.index("Newer topic")
    assert newer
    category_page = client.get("/c/experiments").get_data(as_text=True)
    assert "2 participants" in category_page


def test_failed_reply_keeps_the_typed_text(app, client, auth, make, monkeypatch):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    app.config["FORUM_MAX_POST_CHARS"] = 50
    try:
        slug = _topic(app, topic_id).slug
        long_text = "A carefully written reflection " * 3
        response = client.post(f"/t/{slug}/{topic_id}/reply", data={"raw": long_text})
    finally:
        app.config["FORUM_MAX_POST_CHARS"] = 32000
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Posts are limited to 50 characters" in html
    assert long_text.strip() in html


def test_new_topic_with_empty_title_says_so_and_keeps_the_post(app, client, auth, make):
    make.user("aino")
    make.category("Noticeboard")
    auth.login("aino")
    response = client.post("/c/noticeboard/new-topic", data={"title": "  ", "raw": "My careful words"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Please give a title" in text
    assert "My careful words" in text


def test_a_title_of_invisible_characters_is_refused_and_one_with_them_is_cleaned(app, client, auth, make):
    make.user("aino")
    make.category("Noticeboard")
    auth.login("aino")
    empty = client.post("/c/noticeboard/new-topic", data={"title": "\u202e\u200b\x07\x1b\u2800\u3164\u200f", "raw": "Words"})
    assert empty.status_code == 200 and "Please give a title" in page_text(empty)
    started = client.post("/c/noticeboard/new-topic", data={"title": "Budget \u202eserutan\u202c\u200b review", "raw": "Words"})
    assert started.status_code == 302
    with app.app_context():
        assert db.session.execute(select(Topic.title)).scalar_one() == "Budget serutan review"


def test_unknown_ids_and_malformed_pages_are_404_not_500(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    auth.login("aino")
    slug = _topic(app, topic_id).slug
    for url in [
        "/t/nothing/999999",
        "/c/no-such-category",
        f"/t/{slug}/{topic_id}?page=abc",
        f"/t/{slug}/{topic_id}?page=-1",
        f"/t/{slug}/{topic_id}?page=0",
        f"/t/{slug}/{topic_id}?page=99999999999999",
        f"/t/{slug}/{topic_id}?view=sideways",
        f"/t/{slug}/{topic_id}/99",
        "/latest?page=x",
        "/p/424242/history",
        "/u/nobody-here",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in page_text(response), url


def test_quote_prefills_the_composer_with_a_quote_linked_to_its_source(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category(), raw="Trust the front line.")
    make.user("mikko")
    auth.login("mikko")
    slug = _topic(app, topic_id).slug
    with app.app_context():
        first_id = db.session.execute(select(Post.id).where(Post.topic_id == topic_id)).scalar_one()
    form = client.get(f"/t/{slug}/{topic_id}/reply?quote=1").get_data(as_text=True)
    assert f"&gt; [@aino #1](/p/{first_id}):" in form
    assert "&gt; Trust the front line." in form
    quote = f"> [@aino #1](/p/{first_id}):\n>\n> Trust the front line.\n\nAgreed."
    client.post(f"/t/{slug}/{topic_id}/reply", data={"raw": quote, "reply_to": "1"})
    html = client.get(f"/t/{slug}/{topic_id}").get_data(as_text=True)
    assert f'<blockquote>\n<p><a href="/p/{first_id}"' in html
    assert client.get(f"/p/{first_id}").headers["Location"].endswith(f"/t/{slug}/{topic_id}?page=1#post-1")


def test_threaded_view_pages_stay_the_same_size_however_a_conversation_branches(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    for n in range(2, 10):
        make.post(aino, topic_id, f"Answer {n} to the opening post", reply_to=1)
    auth.login("aino")
    slug = _topic(app, topic_id).slug
    first = client.get(f"/t/{slug}/{topic_id}?view=threaded").get_data(as_text=True)
    second = client.get(f"/t/{slug}/{topic_id}?view=threaded&page=2").get_data(as_text=True)
    assert first.count('<article class="post') == 5 and second.count('<article class="post') == 4
    deep = client.get(f"/t/{slug}/{topic_id}/9?view=threaded")
    assert deep.headers["Location"].endswith(f"/t/{slug}/{topic_id}?page=2&view=threaded#post-9")
