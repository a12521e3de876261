"""Who is told what: replies, mentions, quotes, likes, watching, muting, and the bell."""

from sqlalchemy import select

from forum.board.models import Post, Topic, Visibility
from forum.core.markdown import extract_mentions
from forum.extensions import db
from forum.notifications.models import Kind, Notification
from tests.conftest import page_text


def _notifications(app, user_id) -> list[Notification]:
    with app.app_context():
        return list(db.session.execute(select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).scalars())


def _topic(app, topic_id) -> Topic:
    with app.app_context():
        return db.session.get(Topic, topic_id)


def test_reply_notifies_the_author_once_and_the_bell_counts_it(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category(), title="Trust and autonomy")
    make.post(mikko, topic_id, "I agree with @aino here", reply_to=1)
    [notification] = _notifications(app, aino)
    assert notification.kind == Kind.MENTIONED and notification.post_number == 2
    auth.login("aino")
    header = client.get("/latest").get_data(as_text=True)
    assert 'class="bell-count">1<' in header
    assert "Mikko mentioned you in “Trust and autonomy”" in page_text(client.get("/notifications"))
    opened = client.post(f"/notifications/{notification.id}")
    topic = _topic(app, topic_id)
    assert opened.headers["Location"].endswith(f"/t/{topic.slug}/{topic_id}/2")
    assert 'bell-count' not in client.get("/latest").get_data(as_text=True)


def test_fetching_a_notification_link_by_get_leaves_it_unread(app, client, auth, make):
    """An <img src="/notifications/N"> in a post must not mark anything read: only the form's POST does."""
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category())
    make.post(mikko, topic_id, "I agree with @aino here", reply_to=1)
    [notification] = _notifications(app, aino)
    auth.login("aino")
    followed = client.get(f"/notifications/{notification.id}")
    assert followed.status_code == 302 and followed.headers["Location"].endswith(f"/{topic_id}/2")
    assert 'class="bell-count">1<' in client.get("/latest").get_data(as_text=True)


def test_reply_without_mention_is_a_reply_notification(app, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category())
    make.post(mikko, topic_id, "Good question", reply_to=1)
    assert [n.kind for n in _notifications(app, aino)] == [Kind.REPLIED]
    assert _notifications(app, mikko) == []


def test_mentions_are_not_found_in_code_or_quotes():
    text = "Hi @aino\n\n`@code` and\n\n    @indented\n\n> @quoted said\n\nmail me@example.org and [@linked](/x)"
    assert extract_mentions(text) == {"aino"}


def test_mention_links_to_the_profile_only_for_real_members(app, client, auth, make):
    aino = make.user("aino")
    topic_id = make.topic(aino, make.category(), raw="Thanks @aino and @nobody")
    auth.login("aino")
    topic = _topic(app, topic_id)
    html = client.get(f"/t/{topic.slug}/{topic_id}?page=1").get_data(as_text=True)
    assert '<a href="/u/aino" class="mention"' in html or 'class="mention" href="/u/aino"' in html
    assert "@nobody" in html and 'href="/u/nobody"' not in html


def test_members_who_cannot_read_the_post_are_not_told(app, make):
    fiona = make.facilitator("fiona")
    outsider = make.user("outsider")
    room = make.category("Facilitators", visibility=Visibility.GROUPS, group_ids=[make.group("Facilitators", [fiona])])
    make.topic(fiona, room, raw="Should we ask @outsider about this?")
    assert _notifications(app, outsider) == []


def test_group_mentions_notify_members_when_the_author_may_mention_the_group(app, make):
    aino, mikko, pat = make.user("aino"), make.user("mikko"), make.user("pat")
    make.group("Team cycles", [aino, mikko])
    category = make.category()
    make.topic(aino, category, raw="Over to you, @team-cycles")
    assert [n.kind for n in _notifications(app, mikko)] == [Kind.GROUP_MENTIONED]
    assert _notifications(app, aino) == []
    make.topic(pat, category, title="Outside voice", raw="Hello @team-cycles")
    assert len(_notifications(app, mikko)) == 1, "pat is not in the group, so may not mention it"


def test_quoting_a_post_notifies_its_author(app, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category(), raw="Learning is the strategy.")
    topic = _topic(app, topic_id)
    make.post(mikko, topic_id, f"> [@aino #1](/t/{topic.slug}/{topic_id}/1):\n>\n> Learning is the strategy.\n\nYes.")
    assert [n.kind for n in _notifications(app, aino)] == [Kind.QUOTED]


def test_watchers_hear_of_every_post_and_muting_silences(app, client, auth, make):
    aino, mikko, pat = make.user("aino"), make.user("mikko"), make.user("pat")
    topic_id = make.topic(aino, make.category())
    auth.login("pat")
    client.post(f"/t/{topic_id}/level", data={"level": "watching"})
    make.post(mikko, topic_id, "A first reply")
    assert [n.kind for n in _notifications(app, pat)] == [Kind.POSTED]
    assert [n.kind for n in _notifications(app, aino)] == [Kind.POSTED], "the starter watches their topic"
    client.post(f"/t/{topic_id}/level", data={"level": "muted"})
    make.post(mikko, topic_id, "Mentioning @pat anyway")
    assert len(_notifications(app, pat)) == 1


def test_watching_a_category_notifies_of_new_topics_there(app, client, auth, make):
    aino, pat = make.user("aino"), make.user("pat")
    make.category("Noticeboard")
    auth.login("pat")
    client.post("/c/noticeboard/level", data={"level": "watching"})
    with app.app_context():
        from forum.board.models import Category

        category_id = db.session.execute(select(Category.id).where(Category.slug == "noticeboard")).scalar_one()
    make.topic(aino, category_id, title="Workshop dates")
    assert [n.summary for n in _notifications(app, pat)] == ["Workshop dates"]


def test_likes_are_grouped_in_one_notification(app, client, auth, make):
    aino = make.user("aino", display_name="Aino")
    topic_id = make.topic(aino, make.category())
    with app.app_context():
        post_id = db.session.execute(select(Post.id).where(Post.topic_id == topic_id)).scalar_one()
    for name in ("mikko", "pat", "jess", "iain"):
        make.user(name, display_name=name.title())
        auth.login(name)
        assert client.post(f"/p/{post_id}/like").status_code == 302
        auth.logout()
    [notification] = _notifications(app, aino)
    assert notification.kind == Kind.LIKED
    auth.login("aino")
    assert "Iain and 3 others liked your post" in page_text(client.get("/notifications"))
    client.post("/notifications/read")
    assert "bell-count" not in client.get("/latest").get_data(as_text=True)


def test_authors_hear_when_a_facilitator_deletes_or_restores_their_post(app, client, auth, make):
    aino = make.user("aino")
    make.facilitator("fiona")
    topic_id = make.topic(aino, make.category(), title="Budget questions")
    reply = make.post(aino, topic_id, "A sharp remark")
    auth.login("fiona")
    client.post(f"/p/{reply}/delete")
    client.post(f"/p/{reply}/restore")
    assert [n.kind for n in _notifications(app, aino)] == [Kind.MODERATION, Kind.MODERATION]
    auth.logout()
    auth.login("aino")
    text = page_text(client.get("/notifications"))
    assert "Fiona deleted your post in “Budget questions”" in text
    assert "restored your post in “Budget questions”" in text
    client.post(f"/p/{reply}/delete")
    assert len(_notifications(app, aino)) == 2, "deleting one's own post tells nobody"


def test_admin_lets_every_member_mention_a_group(app, client, auth, make):
    aino, pat = make.user("aino"), make.user("pat")
    group_id = make.group("Team cycles", [aino])
    make.admin("ada")
    auth.login("ada")
    page = client.get(f"/admin/groups/{group_id}")
    assert "Who may @mention" in page_text(page)
    client.post(f"/admin/groups/{group_id}", data={
        "action": "settings", "settings-name": "Team cycles", "settings-description": "",
        "settings-mention_policy": "all_members",
    })
    client.post(f"/admin/groups/{group_id}", data={"action": "member", "member-username": "pat"})
    auth.logout()
    outsider = make.user("outsider")
    make.topic(outsider, make.category(), raw="Question for @team-cycles")
    assert [n.kind for n in _notifications(app, aino)] == [Kind.GROUP_MENTIONED]
    assert [n.kind for n in _notifications(app, pat)] == [Kind.GROUP_MENTIONED]


def _follow(client, response):
    """Follow redirects by hand, keeping the last address (with its #anchor, which the test client drops)."""
    address = None
    while response.status_code in (301, 302):
        address = response.headers["Location"]
        response = client.get(address)
    return address, response


def test_a_notification_for_a_post_on_page_one_lands_on_that_post_not_the_first_unread(app, client, auth, make):
    from forum.auth.models import User
    from forum.tracking import services as tracking_services

    aino, mikko = make.user("aino"), make.user("mikko")
    topic_id = make.topic(aino, make.category(), title="Trust and autonomy")
    make.post(mikko, topic_id, "What do you think, @aino?")
    for n in range(6):
        make.post(mikko, topic_id, f"Another thought, number {n}.")
    with app.test_request_context():
        tracking_services.mark_read(db.session.get(User, aino), db.session.get(Topic, topic_id), 6)
        db.session.commit()
    [mention] = [n for n in _notifications(app, aino) if n.kind == Kind.MENTIONED]
    auth.login("aino")
    address, page = _follow(client, client.post(f"/notifications/{mention.id}"))
    assert address.endswith("#post-2")
    assert 'id="post-2"' in page.get_data(as_text=True)
