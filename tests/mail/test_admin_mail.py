"""Sent mail for administrators (/admin/mail): the outbox with each message's state, delivery failures per
member, and the digest runs; a message's HTML part shown in a sandboxed frame under its own strict policy."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from forum.core.models import utcnow
from forum.extensions import db
from forum.mail import preferences as mail_preferences
from forum.mail.models import DigestRun
from forum.mail.outbox import OutboxEmail
from tests.conftest import page_text


def _add(app, **values) -> int:
    values = {"recipient": "aino@example.org", "subject": "Hello", "body_text": "Hello there", **values}
    with app.app_context():
        message = OutboxEmail(**values)
        db.session.add(message)
        db.session.commit()
        return message.id


@pytest.fixture
def admin(make, auth):
    make.admin("ada")
    auth.login("ada")


def test_members_and_facilitators_may_not_read_sent_mail(app, client, make, auth):
    message_id = _add(app, body_html="<p>Hi</p>")
    make.user("aino")
    make.facilitator("fran")
    for username in ("aino", "fran"):
        auth.login(username)
        for path in ("/admin/mail/", f"/admin/mail/{message_id}", f"/admin/mail/{message_id}/html"):
            assert client.get(path).status_code == 403, (username, path)
        auth.logout()
    assert "/login" in client.get("/admin/mail/").headers["Location"]


def test_the_admin_sees_each_message_with_its_member_kind_and_delivery_state(app, client, make, admin):
    aino = make.user("aino", display_name="Aino Aalto")
    now = utcnow()
    _add(app, subject="Queued one", user_id=aino, kind="mentions")
    _add(app, subject="Sent one", kind="invite", recipient="new@example.org", sent_at=now, attempts=1)
    _add(app, subject="Retrying one", attempts=2, next_attempt_at=now + timedelta(minutes=4),
         last_error="(451, b'4.3.0 Try later')")
    _add(app, subject="Failed one", attempts=1, failed_at=now, last_error="(550, b'5.1.1 No such user')")
    text = unescape(page_text(client.get("/admin/mail/")))
    assert "Queued one aino@example.org Aino Aalto mentions" in text
    assert "Sent one new@example.org invite" in text and "Sent " in text
    assert "Retrying after 2 attempts, next at" in text
    assert "last error: (451, b'4.3.0 Try later')" in text
    assert "Failed" in text and "5.1.1 No such user" in text
    assert text.index("Failed one") < text.index("Queued one")  # newest first


def test_sent_mail_is_paginated(app, client, admin):
    for n in range(31):
        _add(app, subject=f"Message {n:02d}")
    first = page_text(client.get("/admin/mail/"))
    second = page_text(client.get("/admin/mail/?page=2"))
    assert "Message 30" in first and "Message 00" not in first
    assert "Message 00" in second and "Message 30" not in second
    assert client.get("/admin/mail/?page=3").status_code == 404


def test_a_message_shows_its_headers_text_and_a_sandboxed_frame_for_its_html(app, client, admin):
    message_id = _add(
        app, subject="Re: Garden plans", body_text="Line one\n  indented <b>not bold</b>",
        body_html="<p style=\"color: red\">Hi</p>", message_id="<abc@fellowship.localhost>",
        headers='{"In-Reply-To": "<topic-4@fellowship.localhost>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}',
    )
    response = client.get(f"/admin/mail/{message_id}")
    html = response.get_data(as_text=True)
    text = page_text(response)
    assert "Message-ID &lt;abc@fellowship.localhost&gt;" in html.replace("</dt><dd>", " ")
    assert "In-Reply-To" in text and "List-Unsubscribe=One-Click" in text
    assert '<pre class="mail-text">Line one\n  indented &lt;b&gt;not bold&lt;/b&gt;</pre>' in html
    assert f'sandbox src="/admin/mail/{message_id}/html"' in html


def test_the_html_part_is_served_under_its_own_policy_that_runs_and_loads_nothing(app, client, admin):
    message_id = _add(app, body_html='<p>Hi</p><img src="https://tracker.example/pixel.gif">')
    response = client.get(f"/admin/mail/{message_id}/html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
    )
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'none'" in client.get("/admin/mail/").headers["Content-Security-Policy"]


def test_a_text_only_message_has_no_html_part_to_show(app, client, admin):
    message_id = _add(app)
    assert "<iframe" not in client.get(f"/admin/mail/{message_id}").get_data(as_text=True)
    assert client.get(f"/admin/mail/{message_id}/html").status_code == 404
    assert client.get("/admin/mail/999999").status_code == 404


def test_members_whose_address_refused_mail_are_listed_with_the_reason(app, client, make, admin):
    aino = make.user("aino", display_name="Aino Aalto", email="aino@nowhere.example")
    make.user("bruno")
    with app.app_context():
        mail_preferences.record_delivery_failure(aino, "(550, b'5.1.1 No such user')")
        db.session.commit()
    text = unescape(page_text(client.get("/admin/mail/")))
    failures = text[text.index("Delivery failures"):text.index("Digest runs")]
    assert "Aino Aalto aino@nowhere.example" in failures and "5.1.1 No such user" in failures
    assert "Bruno" not in failures


def test_digest_runs_show_what_they_sent_and_where_a_stopped_run_stopped(app, client, admin):
    with app.app_context():
        db.session.add_all([
            DigestRun(hour=datetime(2026, 3, 2, 8, tzinfo=UTC), finished_at=datetime(2026, 3, 2, 8, 1, tzinfo=UTC),
                      last_user_id=90, sent=12, skipped=40, failed=0),
            DigestRun(hour=datetime(2026, 3, 2, 9, tzinfo=UTC), last_user_id=57, sent=3, skipped=5, failed=1,
                      error="OperationalError: server closed the connection"),
        ])
        db.session.commit()
    text = page_text(client.get("/admin/mail/"))
    runs = text[text.index("Digest runs"):]
    assert "Stopped at member #57 3 5 1 OperationalError: server closed the connection" in runs
    assert "12 40 0" in runs
    assert runs.index("#57") < runs.index("12 40 0")  # the latest first


def test_the_admin_navigation_links_to_sent_mail(client, admin):
    assert 'href="/admin/mail/"' in client.get("/admin/invites").get_data(as_text=True)


def test_the_sent_mail_page_reads_a_constant_number_of_queries(app, client, make, admin, count_queries):
    def add_some():
        member = make.user()
        _add(app, user_id=member, kind="replies")
        with app.app_context():
            mail_preferences.record_delivery_failure(member, "550")
            db.session.commit()

    add_some()
    with count_queries() as few:
        client.get("/admin/mail/")
    for _ in range(5):
        add_some()
    with count_queries() as many:
        client.get("/admin/mail/")
    assert many.n == few.n
