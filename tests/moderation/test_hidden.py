"""Hiding a post (with a reason its author reads), showing it again, wiki mode and locked edits: who may, what each
member then sees, what is counted, and the staff log."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from forum.auth.models import User
from forum.board.models import Category, Post, PostRevision
from forum.core.errors import NotAllowed
from forum.core.models import utcnow
from forum.extensions import db
from forum.mail import notify
from forum.messages import services as message_services
from forum.moderation import posts as moderation
from tests.conftest import page_text
from tests.mail.conftest import outbox_files
from tests.moderation.flagging import actions, make_room, outcomes, post, post_url, topic, user
from tests.search.test_search_page import hit_titles

REASON = "Names a resident who asked not to be named"


@pytest.fixture
def room(make):
    return make_room(make)


def _hide(client, post_id, reason=REASON):
    return client.post(f"/p/{post_id}/hide", data={"reason": reason})


def test_a_facilitator_hides_a_post_whose_author_reads_why_and_others_read_nothing(app, client, auth, room):
    url = post_url(app, room.reply)
    auth.login("fiona")
    assert client.get(f"/p/{room.reply}/hide").status_code == 200
    response = _hide(client, room.reply)
    assert response.status_code == 302 and response.location.endswith(f"{url}/2")
    staff_view = page_text(client.get(url))
    assert "My reply about the harbour." in staff_view and f"Hidden by a facilitator: {REASON}" in staff_view
    auth.logout()

    auth.login("aino")
    author_view = page_text(client.get(url))
    assert "My reply about the harbour." in author_view and f"Hidden by a facilitator: {REASON}" in author_view
    assert f"A facilitator hid your post in “Harbour plans for the spring”: {REASON}" in page_text(
        client.get("/notifications"))
    auth.logout()

    auth.login("ben")
    member_view = page_text(client.get(url))
    assert "My reply about the harbour." not in member_view and REASON not in member_view
    assert "A facilitator hid this post." in member_view

    [logged] = actions(app, "post.hide")
    assert (logged.actor_id, logged.target_id, logged.subject_user_id, logged.reason) == (
        room.fiona, room.reply, room.aino, REASON)
    assert '"hidden_reason": null' in logged.before and REASON in logged.after
    with app.app_context():
        assert topic(room.topic).post_count == 1
        assert db.session.get(Category, room.category).post_count == 1


def test_hiding_takes_a_reason_and_a_moderator(app, client, auth, make, room):
    for name in ("aino", "ben"):
        auth.login(name)
        assert client.get(f"/p/{room.reply}/hide").status_code == 403
        assert _hide(client, room.reply).status_code == 403
        auth.logout()
    auth.login("fiona")
    response = _hide(client, room.reply, reason=" ")
    assert response.status_code == 200 and "Please give a reason" in page_text(response)
    with app.app_context():
        assert post(room.reply).hidden_at is None
    assert actions(app) == []


def _first_post_id(topic_id):
    return db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def test_a_categorys_own_moderators_hide_posts_in_it_and_nowhere_else(app, client, auth, make, room):
    moderators = make.group("Harbour team", [room.cara])
    elsewhere = make.topic(room.aino, make.category("Elsewhere"), title="Another place entirely")
    with app.app_context():
        db.session.execute(update(Category).where(Category.id == room.category).values(moderators_group_id=moderators))
        db.session.commit()
        other_post = _first_post_id(elsewhere)
    auth.login("cara")
    assert _hide(client, room.reply).status_code == 302
    assert _hide(client, other_post).status_code == 403
    with app.app_context():
        assert post(room.reply).hidden_by_id == room.cara
        assert post(other_post).hidden_at is None


def test_staff_do_not_hide_a_private_message_outside_the_review_queue(app, room):
    with app.test_request_context():
        message = message_services.create_private_message(user(room.aino), "Just us", "Private words.",
                                                          [user(room.ben)])
        db.session.commit()
        with pytest.raises(NotAllowed):
            moderation.hide(user(room.fiona), post(_first_post_id(message.id)), REASON)


def test_showing_a_hidden_post_again_brings_it_back_and_tells_its_author(app, client, auth, room):
    url = post_url(app, room.reply)
    auth.login("fiona")
    _hide(client, room.reply)
    response = client.post(f"/p/{room.reply}/unhide")
    assert response.status_code == 302
    assert "The post is shown again." in page_text(client.get(response.location, follow_redirects=True))
    auth.logout()
    auth.login("ben")
    assert "My reply about the harbour." in page_text(client.get(url))
    assert [row.action for row in actions(app)] == ["post.hide", "post.unhide"]
    assert outcomes(app, room.aino) == ["hidden", "unhidden"]
    with app.app_context():
        assert topic(room.topic).post_count == 2 and post(room.reply).hidden_reason is None


def test_members_and_authors_cannot_show_again_make_wikis_or_lock_edits(app, client, auth, room):
    with app.test_request_context():
        moderation.hide(user(room.fiona), post(room.reply), REASON)
        db.session.commit()
    for name in ("aino", "ben"):
        auth.login(name)
        for action in ("unhide", "wiki", "unwiki", "lock-edits", "unlock-edits"):
            assert client.post(f"/p/{room.reply}/{action}").status_code == 403, (name, action)
        auth.logout()
    assert [row.action for row in actions(app)] == ["post.hide"]


def test_a_wiki_post_is_edited_by_any_member_but_deleted_only_by_its_author_or_staff(app, client, auth, room):
    url = post_url(app, room.first(app))
    auth.login("ben")
    assert client.get(f"/p/{room.first(app)}/edit").status_code == 403
    auth.logout()
    auth.login("fiona")
    assert client.post(f"/p/{room.first(app)}/wiki").status_code == 302
    auth.logout()

    auth.login("ben")
    page = page_text(client.get(url))
    assert "Wiki: any member can edit" in page
    response = client.post(f"/p/{room.first(app)}/edit", data={"raw": "Opening words, improved by Ben.",
                                                               "title": "Harbour plans for the spring"})
    assert response.status_code == 302
    assert client.post(f"/p/{room.first(app)}/delete").status_code == 403
    with app.app_context():
        assert post(room.first(app)).raw == "Opening words, improved by Ben."
        editors = db.session.execute(select(PostRevision.user_id).where(PostRevision.post_id == room.first(app))
                                     .order_by(PostRevision.version)).scalars().all()
        assert editors == [room.aino, room.ben]
    auth.logout()

    auth.login("fiona")
    client.post(f"/p/{room.first(app)}/unwiki")
    auth.logout()
    auth.login("ben")
    assert client.get(f"/p/{room.first(app)}/edit").status_code == 403
    assert [row.action for row in actions(app)] == ["post.wiki_on", "post.wiki_off"]


def test_a_silenced_member_does_not_edit_a_wiki(app, client, auth, room):
    with app.test_request_context():
        moderation.set_wiki(user(room.fiona), post(room.reply), True)
        db.session.execute(update(User).where(User.id == room.ben).values(silenced_at=db.func.now()))
        db.session.commit()
    auth.login("ben")
    assert client.get(f"/p/{room.reply}/edit").status_code == 403


def test_locked_edits_leave_a_post_to_staff_until_unlocked(app, client, auth, room):
    auth.login("fiona")
    assert client.post(f"/p/{room.reply}/lock-edits").status_code == 302
    auth.logout()

    auth.login("aino")
    page = client.get(post_url(app, room.reply))
    assert f'href="/p/{room.reply}/edit"' not in page.get_data(as_text=True)
    assert client.get(f"/p/{room.reply}/edit").status_code == 403
    assert client.post(f"/p/{room.reply}/delete").status_code == 403
    auth.logout()

    auth.login("fiona")
    assert client.post(f"/p/{room.reply}/edit", data={"raw": "Reworded by a facilitator."}).status_code == 302
    client.post(f"/p/{room.reply}/unlock-edits")
    auth.logout()
    auth.login("aino")
    assert client.get(f"/p/{room.reply}/edit").status_code == 200
    assert [row.action for row in actions(app)] == ["post.lock_edits", "post.edit", "post.unlock_edits"]


def test_each_member_sees_the_post_actions_that_are_theirs(app, client, auth, room):
    url = post_url(app, room.reply)

    def footer(name):
        auth.login(name)
        html = client.get(url).get_data(as_text=True)
        auth.logout()
        return {
            "flag": f'href="/p/{room.reply}/flag"' in html, "moderate": f'action="/p/{room.reply}/wiki"' in html,
            "edit": f'href="/p/{room.reply}/edit"' in html,
        }

    assert footer("ben") == {"flag": True, "moderate": False, "edit": False}
    assert footer("aino") == {"flag": False, "moderate": False, "edit": True}
    assert footer("fiona") == {"flag": True, "moderate": True, "edit": True}


def test_a_hidden_post_never_reaches_an_excerpt_a_digest_a_notification_an_email_search_a_profile_count_or_an_unread_count(
    app, client, auth, make, room, search
):
    """Discourse GHSA-gffm-43j4-372w leaked hidden posts through excerpts: every surface is checked before the post
    is hidden (it is there) and after (it is not)."""
    make.user("dora", display_name="Dora")
    for leftover in Path(app.config["FORUM_OUTBOX_DIR"]).glob("*.eml"):
        leftover.unlink()
    auth.login("dora")
    client.get(post_url(app, room.reply))  # Dora has read the topic's two posts
    auth.logout()
    secret_reply = make.post(room.ben, room.topic, "Zanzibar ledger figures, @cara, see this.", reply_to=2)
    make.post(room.ben, room.topic, "A visible answer about moorings.", reply_to=1)
    secret_topic = make.topic(room.ben, room.category, title="Quarterly moorings",
                              raw="Zanzibar opening paragraph of a notice.")
    search.sync()

    def surfaces():
        auth.login("dora")
        seen = {
            "search": hit_titles(client.get("/search", query_string={"q": "Zanzibar"})),
            "unread": "2 unread" in page_text(client.get("/unread")),
            "profile": page_text(client.get("/u/ben")),
            "digest": page_text(client.get("/my/digest")),
        }
        auth.logout()
        auth.login("cara")
        seen["notification"] = page_text(client.get("/notifications"))
        auth.logout()
        return seen

    before = surfaces()
    assert len(before["search"]) == 2 and before["unread"]
    assert "Topics started 1 Replies 2" in before["profile"]
    assert "Zanzibar opening paragraph" in before["digest"] and "Quarterly moorings" in before["digest"]
    assert "Ben mentioned you in “Harbour plans for the spring”" in before["notification"]

    with app.test_request_context():
        for post_id in (secret_reply, _first_post_id(secret_topic)):
            moderation.hide(user(room.fiona), post(post_id), REASON)
        db.session.commit()
    search.sync()

    after = surfaces()
    assert after["search"] == [] and search.check()["unexpected"] == []  # gone from the index, not only filtered
    assert not after["unread"] and "1 unread" in page_text(_as(auth, client, "dora", "/unread"))
    assert "Topics started 0 Replies 1" in after["profile"]
    assert "Zanzibar" not in after["digest"] and "Quarterly moorings" not in after["digest"]
    assert "mentioned you" not in after["notification"]

    with app.app_context():
        notify.sweep(now=utcnow() + timedelta(minutes=5))
        db.session.commit()
    mailed = [message.get_body(("plain",)).get_content() for message in outbox_files(app)]
    assert any("A visible answer about moorings." in text for text in mailed)  # the sweep did run
    assert not any("Zanzibar" in text for text in mailed)


def _as(auth, client, username, url):
    auth.login(username)
    response = client.get(url)
    auth.logout()
    return response


def test_a_topic_whose_opening_post_is_hidden_leaves_every_list_until_it_is_shown(app, client, auth, room):
    """As Discourse unlists a topic whose first post is hidden: its title alone would say what was hidden."""
    first = room.first(app)
    url = post_url(app, first)
    lists = ("/latest", "/c/projects", "/new")
    auth.login("ben")
    assert all("Harbour plans for the spring" in page_text(client.get(page)) for page in lists)
    auth.logout()
    auth.login("fiona")
    assert _hide(client, first).status_code == 302
    auth.logout()

    auth.login("ben")
    for page in lists:
        assert "Harbour plans for the spring" not in page_text(client.get(page)), page
    member_view = page_text(client.get(url))
    assert "A facilitator hid this post." in member_view and "Opening words about the harbour." not in member_view
    auth.logout()

    auth.login("fiona")
    client.post(f"/p/{first}/unhide")
    auth.logout()
    auth.login("ben")
    assert "Harbour plans for the spring" in page_text(client.get("/latest"))
    with app.app_context():
        assert topic(room.topic).hidden_at is None


def test_hiding_a_reply_leaves_its_topic_in_the_lists(app, client, auth, room):
    auth.login("fiona")
    _hide(client, room.reply)
    auth.logout()
    auth.login("ben")
    assert "Harbour plans for the spring" in page_text(client.get("/latest"))


def test_a_categorys_own_moderators_leave_a_facilitators_post_to_facilitators(app, client, auth, make, room):
    moderators = make.group("Harbour team", [room.cara])
    facilitator_post = make.post(room.fiona, room.topic, "A facilitator's note on the harbour.")
    with app.app_context():
        db.session.execute(update(Category).where(Category.id == room.category).values(moderators_group_id=moderators))
        db.session.commit()
    auth.login("cara")
    page = client.get(post_url(app, room.reply)).get_data(as_text=True)
    assert f'action="/p/{room.reply}/wiki"' in page or f"/p/{room.reply}/hide" in page
    assert f"/p/{facilitator_post}/hide" not in page
    assert client.get(f"/p/{facilitator_post}/hide").status_code == 403
    assert _hide(client, facilitator_post).status_code == 403
    assert client.post(f"/p/{facilitator_post}/lock-edits").status_code == 403
    with app.app_context():
        assert post(facilitator_post).hidden_at is None and not post(facilitator_post).edits_locked
