"""The header's Notifications and Messages menus: what they list, the unread badges, and who may open them."""

import re

from forum.auth.models import Group, User
from forum.board.models import Visibility
from forum.extensions import db
from tests.conftest import page_text


def _send_message(client, to, title, raw="Can we talk about the pilot?"):
    return client.post("/messages/new", data={"recipients": to, "title": title, "raw": raw})


def test_the_notifications_menu_lists_the_newest_with_the_icon_of_their_kind_and_the_actors_avatar(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko", display_name="Mikko Korhonen")
    topic_id = make.topic(aino, make.category(), title="Trust and autonomy")
    make.post(mikko, topic_id, "A reply", reply_to=1)
    make.post(mikko, topic_id, "Thanks @aino")
    auth.login("aino")
    html = client.get("/notifications/menu").get_data(as_text=True)
    text = page_text(client.get("/notifications/menu"))
    assert text.index("Mikko Korhonen mentioned you") < text.index("Mikko Korhonen replied to your post")
    assert "icons.svg#at" in html and "icons.svg#reply" in html
    assert html.count('class="avatar avatar-32 avatar-c') == 2 and ">MK</span>" in html
    assert "All notifications" in text and "Mark all as read" in text
    # A fragment, not a page: the script puts it under the bell.
    assert "<html" not in html


def test_the_menu_shows_at_most_eight_and_leaves_out_topics_the_member_can_no_longer_read(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    team = make.group("Team", [aino, mikko])
    room = make.category("Team room", visibility=Visibility.GROUPS, group_ids=[team])
    secret = make.topic(aino, room, title="Team plans")
    make.post(mikko, secret, "Reply in the room", reply_to=1)
    open_topic = make.topic(aino, make.category(), title="Open topic")
    for n in range(9):
        make.post(mikko, open_topic, f"Reply {n}", reply_to=1)
    auth.login("aino")
    assert page_text(client.get("/notifications/menu")).count("replied to your post") == 8
    with app.app_context():
        group = db.session.get(Group, team)
        group.members.remove(db.session.get(User, aino))
        db.session.commit()
    text = page_text(client.get("/notifications/menu"))
    assert "Team plans" not in text and "Open topic" in text


def test_the_menu_offers_mark_all_as_read_only_while_something_is_unread(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    make.post(mikko, make.topic(aino, make.category()), "A reply", reply_to=1)
    auth.login("aino")
    assert "Mark all as read" in page_text(client.get("/notifications/menu"))
    client.post("/notifications/read")
    assert "Mark all as read" not in page_text(client.get("/notifications/menu"))
    assert "Nothing yet" not in page_text(client.get("/notifications/menu"))


def test_a_new_message_shows_a_badge_on_messages_and_in_the_messages_menu(app, client, auth, make):
    make.user("aino")
    make.user("mikko")
    auth.login("mikko")
    _send_message(client, "aino", "Pilot in Espoo")
    auth.logout()
    auth.login("aino")
    header = client.get("/latest").get_data(as_text=True)
    messages_link = re.search(r'<a href="/messages"[^>]*>.*?</a>', header, re.S).group(0)
    assert 'class="bell-count">1<' in messages_link and "unread" in messages_link
    menu = page_text(client.get("/messages/menu"))
    assert "Unread: Pilot in Espoo 1 unread" in menu and "All messages" in menu and "New message" in menu


def test_replies_in_public_topics_ring_the_bell_but_leave_the_messages_badge_alone(app, client, auth, make):
    aino, mikko = make.user("aino"), make.user("mikko")
    make.post(mikko, make.topic(aino, make.category()), "A reply", reply_to=1)
    auth.login("aino")
    header = client.get("/latest").get_data(as_text=True)
    messages_link = re.search(r'<a href="/messages"[^>]*>.*?</a>', header, re.S).group(0)
    assert "bell-count" not in messages_link
    assert 'class="bell-count">1<' in header


def test_the_messages_menu_lists_only_the_members_own_conversations(app, client, auth, make):
    make.user("aino")
    make.user("mikko")
    make.user("jess")
    auth.login("mikko")
    _send_message(client, "jess", "Between Mikko and Jess")
    auth.logout()
    auth.login("aino")
    assert "Between Mikko and Jess" not in page_text(client.get("/messages/menu"))
    assert "No messages yet" in page_text(client.get("/messages/menu"))


def test_visitors_are_sent_to_log_in_for_either_menu(client):
    for url in ("/notifications/menu", "/messages/menu"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_header_keeps_plain_links_to_the_full_pages(app, client, auth, make):
    make.user("aino")
    auth.login("aino")
    header = client.get("/latest").get_data(as_text=True)
    assert re.search(r'<a href="/notifications" class="bell menu-toggle" data-menu="/notifications/menu"', header)
    assert re.search(r'<a href="/messages" class="menu-toggle" data-menu="/messages/menu"', header)


def test_the_menu_buttons_badge_counts_unread_messages_with_the_notifications(client, auth, make):
    """On a phone the bell and Messages fold behind the Menu button: its badge speaks for both."""
    aino, mikko = make.user("aino"), make.user("mikko")
    make.post(mikko, make.topic(aino, make.category()), "A reply", reply_to=1)
    auth.login("mikko")
    _send_message(client, "aino", "Pilot in Espoo")
    auth.logout()
    auth.login("aino")
    menu_button = re.search(r'<summary class="menu-button">.*?</summary>', client.get("/latest").get_data(as_text=True), re.S).group(0)
    assert 'class="bell-count">2<' in menu_button
