"""Received mail for administrators (/admin/mail/inbound) and "view the email as received" for a post's
author (/p/<post_id>/email)."""

from html import unescape

import pytest

from forum.board.models import Visibility
from forum.extensions import db
from forum.mail.inbound.admin_views import PER_PAGE, SHOWN_RAW_CHARS
from forum.mail.inbound.models import InboundEmail, InboundStatus
from tests.conftest import page_text

RAW = (
    b"From: Aino <aino@example.org>\r\n"
    b"To: reply+0123456789abcdef@fellowship.localhost\r\n"
    b"Subject: Re: Field notes <script>alert(1)</script>\r\n"
    b"Message-ID: <admin-1@example.org>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"I agree with the plan.\r\n"
    b"\r\n"
    b"On Tue, 1 Dec 2026 at 10:00, Bob <bob@example.org> wrote:\r\n"
    b"> The plan is <b>bold</b>.\r\n"
)


def add(app, raw=RAW, **values) -> int:
    values = {"source": "smtp", "size": len(raw), "status": InboundStatus.RECEIVED, **values}
    with app.app_context():
        message = InboundEmail(raw=raw, **values)
        db.session.add(message)
        db.session.commit()
        return message.id


@pytest.fixture
def admin(make, auth):
    make.admin("ada")
    auth.login("ada")


@pytest.fixture
def jobs(app, monkeypatch):
    """The jobs enqueued, instead of running them (the receiver would change the message at once)."""
    enqueued = []
    monkeypatch.setattr(app.extensions["forum_queue"], "enqueue_job", lambda name, *args: enqueued.append((name, *args)))
    return enqueued


def test_members_and_facilitators_may_not_read_received_mail(app, client, make, auth):
    message_id = add(app)
    make.user("aino")
    make.facilitator("fran")
    for username in ("aino", "fran"):
        auth.login(username)
        for path in ("/admin/mail/inbound/", f"/admin/mail/inbound/{message_id}",
                     f"/admin/mail/inbound/{message_id}/raw"):
            assert client.get(path).status_code == 403, (username, path)
        assert client.post(f"/admin/mail/inbound/{message_id}/process").status_code == 403
        auth.logout()
    assert "/login" in client.get("/admin/mail/inbound/").headers["Location"]


def test_the_admin_sees_each_message_with_its_sender_member_status_and_post(app, client, make, admin):
    aino = make.user("aino", display_name="Aino Aalto")
    category = make.category()
    first_post = make.post(aino, make.topic(aino, category))
    add(app, from_address="aino@example.org", subject="Re: Field notes", status=InboundStatus.POSTED,
        user_id=aino, post_id=first_post, source="pipe")
    add(app, from_address="stranger@example.net", subject="Hello?", status=InboundStatus.REJECTED,
        reason="unknown_key", source="webhook")
    response = client.get("/admin/mail/inbound/")
    text = unescape(page_text(response))
    assert "Hello? stranger@example.net webhook Rejected: unknown_key" in text
    assert "Re: Field notes aino@example.org Aino Aalto pipe Posted" in text
    assert text.index("Hello?") < text.index("Re: Field notes")  # newest first
    assert f'href="/p/{first_post}"' in response.get_data(as_text=True)


def test_the_list_is_paginated_in_a_constant_number_of_queries(app, client, make, admin, count_queries):
    members = [make.user(f"member{n}") for n in range(3)]
    for n in range(PER_PAGE + 2):
        add(app, subject=f"Message {n}", user_id=members[n % 3])
    with count_queries() as counter:
        first = page_text(client.get("/admin/mail/inbound/"))
    assert f"Message {PER_PAGE + 1}" in first and "Message 1 " not in first
    assert counter.n <= 8
    second = page_text(client.get("/admin/mail/inbound/?page=2"))
    assert "Message 0" in second and "Message 1" in second


def test_the_admin_reads_a_message_headers_what_was_kept_and_the_raw_text_escaped(app, client, admin):
    message_id = add(app, status=InboundStatus.POSTED, subject="Re: Field notes")
    response = client.get(f"/admin/mail/inbound/{message_id}")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = unescape(page_text(response))
    assert "Message-ID <admin-1@example.org>" in text
    kept = text.split("What the member wrote")[1].split("The message as received")[0]
    assert "I agree with the plan." in kept and "The plan is" not in kept
    raw = text.split("The message as received")[1]
    assert "> The plan is <b>bold</b>." in raw
    assert f'href="/admin/mail/inbound/{message_id}/raw"' in html


def test_a_message_not_yet_processed_shows_no_kept_text(app, client, admin):
    message_id = add(app)
    text = page_text(client.get(f"/admin/mail/inbound/{message_id}"))
    assert "Waiting to be processed" in text and "What the member wrote" not in text


def test_a_long_message_is_cut_in_the_page_and_whole_in_the_download(app, client, admin):
    raw = RAW + b"x" * (SHOWN_RAW_CHARS + 500) + b"\r\nTHE END\r\n"
    message_id = add(app, raw=raw)
    text = page_text(client.get(f"/admin/mail/inbound/{message_id}"))
    assert "THE END" not in text and "download it to read all of it" in text
    download = client.get(f"/admin/mail/inbound/{message_id}/raw")
    assert download.data == raw
    assert download.mimetype == "message/rfc822"
    assert download.headers["Content-Disposition"] == f'attachment; filename="inbound-{message_id}.eml"'


def test_process_again_puts_a_failed_message_back_in_the_queue(app, client, admin, jobs):
    message_id = add(app, status=InboundStatus.FAILED, reason="crash", detail="KeyError: 'x'")
    response = client.post(f"/admin/mail/inbound/{message_id}/process", follow_redirects=True)
    assert "The message will be processed again." in page_text(response)
    with app.app_context():
        message = db.session.get(InboundEmail, message_id)
        assert (message.status, message.reason, message.detail) == (InboundStatus.RECEIVED, None, None)
    assert jobs == [("mail.inbound", message_id)]


def test_process_again_needs_the_forms_csrf_token(app, client, admin, jobs, monkeypatch):
    message_id = add(app, status=InboundStatus.FAILED)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client.post(f"/admin/mail/inbound/{message_id}/process")
    with app.app_context():
        assert db.session.get(InboundEmail, message_id).status == InboundStatus.FAILED
    assert jobs == []


def test_received_mail_is_linked_from_the_admin_navigation(client, admin):
    assert 'href="/admin/mail/inbound/"' in client.get("/admin/mail/").get_data(as_text=True)


# --- view the email as received -------------------------------------------------------------------------

@pytest.fixture
def emailed_post(app, make):
    aino = make.user("aino")
    category = make.category("Team", visibility=Visibility.GROUPS, group_ids=[make.group("Team", [aino])])
    topic = make.topic(aino, category)
    post_id = make.post(aino, topic, raw="I agree with the plan.")
    add(app, status=InboundStatus.POSTED, user_id=aino, post_id=post_id)
    return post_id


def test_the_author_views_the_email_their_post_came_from(client, auth, emailed_post):
    auth.login("aino")
    response = client.get(f"/p/{emailed_post}/email")
    assert response.status_code == 200
    assert "On Tue, 1 Dec 2026 at 10:00, Bob" in unescape(page_text(response))
    download = client.get(f"/p/{emailed_post}/email.eml")
    assert download.data == RAW and download.mimetype == "message/rfc822"


def test_staff_view_the_email_as_received(client, auth, make, emailed_post):
    make.facilitator("fran")
    auth.login("fran")
    assert client.get(f"/p/{emailed_post}/email").status_code == 200


def test_other_members_and_visitors_get_404(app, client, auth, make, emailed_post):
    assert client.get(f"/p/{emailed_post}/email").status_code == 404
    make.user("bob")
    auth.login("bob")
    assert client.get(f"/p/{emailed_post}/email").status_code == 404
    assert client.get(f"/p/{emailed_post}/email.eml").status_code == 404


def test_an_author_who_lost_access_to_the_topic_gets_404(app, client, auth, make, emailed_post):
    from sqlalchemy import delete

    from forum.auth.models import group_members

    with app.app_context():
        db.session.execute(delete(group_members))
        db.session.commit()
    auth.login("aino")
    assert client.get(f"/p/{emailed_post}/email").status_code == 404


def test_a_post_written_on_the_web_has_no_email(client, auth, make):
    aino = make.user("aino")
    post_id = make.post(aino, make.topic(aino, make.category()))
    auth.login("aino")
    assert client.get(f"/p/{post_id}/email").status_code == 404


def test_a_bounce_shows_no_member_text(app, client, admin):
    message_id = add(app, status=InboundStatus.BOUNCE)
    text = page_text(client.get(f"/admin/mail/inbound/{message_id}"))
    assert "Bounce" in text and "What the member wrote" not in text
