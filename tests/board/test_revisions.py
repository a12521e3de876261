"""Editing keeps every version; deleting is soft and staff can restore."""

from sqlalchemy import select

from forum.board.models import Category, Post, PostRevision, Topic
from forum.extensions import db
from tests.conftest import page_text


def _post(app, topic_id, number=1) -> Post:
    with app.app_context():
        return db.session.execute(select(Post).where(Post.topic_id == topic_id, Post.post_number == number)).scalar_one()


def _topic(app, topic_id) -> Topic:
    with app.app_context():
        return db.session.get(Topic, topic_id)


def test_edit_keeps_a_revision_and_anyone_who_reads_sees_the_diff(app, client, auth, make):
    aino = make.user("aino")
    make.user("mikko")
    topic_id = make.topic(aino, make.category(), title="Learning log", raw="We met twice.\nIt went well.")
    post = _post(app, topic_id)
    auth.login("aino")
    response = client.post(f"/p/{post.id}/edit", data={"title": "Learning log, week 1", "raw": "We met three times.\nIt went well."})
    assert response.status_code == 302
    auth.logout()
    auth.login("mikko")
    topic = _topic(app, topic_id)
    assert topic.title == "Learning log, week 1"
    assert "edited" in page_text(client.get(f"/t/{topic.slug}/{topic_id}"))
    history = client.get(f"/p/{post.id}/history")
    html = history.get_data(as_text=True)
    assert "Version 2" in html and "Version 1 (original)" in html
    assert "- We met twice." in html and "+ We met three times." in html
    assert "Title changed to “Learning log, week 1”" in page_text(history)
    with app.app_context():
        versions = db.session.execute(select(PostRevision.version).where(PostRevision.post_id == post.id)).scalars().all()
    assert sorted(versions) == [1, 2]


def test_history_of_an_edit_that_kept_the_title_does_not_say_the_title_changed(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category(), title="Learning log", raw="We met twice.")
    post = _post(app, topic_id)
    auth.login("aino")
    client.post(f"/p/{post.id}/edit", data={"title": "Learning log", "raw": "We met three times."})
    client.post(f"/p/{post.id}/edit", data={"title": "Learning log", "raw": "We met four times."})
    text = page_text(client.get(f"/p/{post.id}/history"))
    assert "Version 3" in text and "+ We met four times." in text
    assert "Title changed" not in text


def test_history_names_only_the_versions_that_changed_the_title():
    from forum.board.diff import title_changes

    assert title_changes(["Log", "Log", "Log, week 1", None, "Log, week 1", "Log"]) == [
        None, "Log, week 1", None, None, "Log"]
    # Versions 1 written before titles were kept: a change from an unknown title is not claimed.
    assert title_changes([None, "Log", "Log", "Log 2"]) == [None, None, "Log 2"]


def test_saving_unchanged_text_adds_no_revision(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category(), raw="Same words")
    post = _post(app, topic_id)
    auth.login("aino")
    client.post(f"/p/{post.id}/edit", data={"title": "A topic about learning", "raw": "Same words"})
    assert _post(app, topic_id).version == 1


def test_deleted_reply_leaves_a_placeholder_and_staff_restore_it(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    make.facilitator("fiona")
    topic_id = make.topic(aino, make.category())
    make.post(mikko, topic_id, "A hasty remark", reply_to=1)
    reply = _post(app, topic_id, 2)
    auth.login("mikko")
    assert client.post(f"/p/{reply.id}/delete").status_code == 302
    auth.logout()
    auth.login("aino")
    topic = _topic(app, topic_id)
    text = page_text(client.get(f"/t/{topic.slug}/{topic_id}", follow_redirects=True))
    assert "This post was deleted." in text and "A hasty remark" not in text
    assert topic.post_count == 1
    assert _post(app, topic_id, 1).reply_count == 0
    assert client.get(f"/p/{reply.id}/history").status_code == 404
    assert client.post(f"/p/{reply.id}/restore").status_code == 403
    auth.logout()
    auth.login("fiona")
    assert "A hasty remark" in page_text(client.get(f"/t/{topic.slug}/{topic_id}", follow_redirects=True))
    assert client.post(f"/p/{reply.id}/restore").status_code == 302
    assert _topic(app, topic_id).post_count == 2
    assert _post(app, topic_id, 1).reply_count == 1


def test_deleting_the_first_post_deletes_the_topic_until_restored(app, client, auth, make):
    aino = make.user("aino")
    make.facilitator("fiona")
    category = make.category("General")
    topic_id = make.topic(aino, category, title="Withdrawn idea")
    first = _post(app, topic_id)
    auth.login("aino")
    client.post(f"/p/{first.id}/delete")
    assert "Withdrawn idea" not in page_text(client.get("/latest"))
    topic = _topic(app, topic_id)
    assert client.get(f"/t/{topic.slug}/{topic_id}").status_code == 404
    with app.app_context():
        assert db.session.get(Category, category).topic_count == 0
    auth.logout()
    auth.login("fiona")
    assert "Withdrawn idea" in page_text(client.get("/latest"))
    client.post(f"/p/{first.id}/restore")
    auth.logout()
    auth.login("aino")
    assert "Withdrawn idea" in page_text(client.get("/latest"))


def test_cannot_reply_to_a_deleted_post(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category())
    make.post(aino, topic_id, "to be removed")
    auth.login("aino")
    client.post(f"/p/{_post(app, topic_id, 2).id}/delete")
    topic = _topic(app, topic_id)
    response = client.post(f"/t/{topic.slug}/{topic_id}/reply", data={"raw": "answer", "reply_to": "2"})
    assert response.status_code == 302
    assert _post(app, topic_id, 3).reply_to_post_number is None


def test_failed_edit_shows_the_reason_and_keeps_the_new_text(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category(), raw="Short")
    post = _post(app, topic_id)
    auth.login("aino")
    app.config["FORUM_MAX_POST_CHARS"] = 20
    try:
        response = client.post(f"/p/{post.id}/edit", data={"title": "A topic about learning", "raw": "A much longer revised text"})
    finally:
        app.config["FORUM_MAX_POST_CHARS"] = 32000
    assert response.status_code == 200
    assert "Posts are limited to 20 characters" in page_text(response)
    assert "A much longer revised text" in response.get_data(as_text=True)
    assert _post(app, topic_id).raw == "Short"


def test_history_of_a_long_rewritten_post_answers_quickly(app, client, auth, make):
    """A 4,000-line post rewritten line by line took a minute to diff on every view of its history."""
    import time

    aino = make.user("aino")
    make.user("mikko")
    before = "\n".join(str(n) for n in range(4000))
    after = "\n".join(f"{n}\nx{n}" for n in range(4000))
    app.config["FORUM_MAX_POST_CHARS"], limit = 100_000, app.config["FORUM_MAX_POST_CHARS"]
    try:
        topic_id = make.topic(aino, make.category(), raw=before)
        post = _post(app, topic_id)
        auth.login("aino")
        started = time.monotonic()
        assert client.post(f"/p/{post.id}/edit", data={"title": "A topic about learning", "raw": after}).status_code == 302
        edited = time.monotonic()
        auth.logout()
        auth.login("mikko")
        history = client.get(f"/p/{post.id}/history")
        viewed = time.monotonic()
    finally:
        app.config["FORUM_MAX_POST_CHARS"] = limit
    assert history.status_code == 200
    assert edited - started < 5 and viewed - edited < 2
    html = history.get_data(as_text=True)
    assert "+ x3999" in html and "Version 2" in html


def test_history_shows_only_changed_lines_as_changed(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category(), raw="one\ntwo\nthree\nfour")
    post = _post(app, topic_id)
    auth.login("aino")
    client.post(f"/p/{post.id}/edit", data={"title": "A topic about learning", "raw": "one\n2\nthree\nfour\nfive"})
    html = client.get(f"/p/{post.id}/history").get_data(as_text=True)
    assert "- two" in html and "+ 2" in html and "+ five" in html
    assert "- one" not in html and "+ one" not in html and "  three" in html
