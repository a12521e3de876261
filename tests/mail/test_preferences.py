"""A member's email preferences at /my/email: each kind on or off, the away delay, the digest, mailing-list
mode for the categories they can read, and a delivery failure shown to them."""

from datetime import UTC, datetime

import pytest

from forum.board.models import Visibility
from forum.extensions import db
from forum.mail import preferences as mail_preferences
from forum.mail.links import preference_url
from forum.mail.models import DigestFrequency, EmailPreferences, MailingListSubscription
from tests.conftest import page_text

SAVED = {
    "action": "save", "email-mentions": "y", "email-replies": "y", "email-watching": "y", "email-messages": "y",
    "email-away_minutes": "60", "email-digest": "daily", "email-digest_hour": "7", "email-digest_weekday": "2",
}


def _preferences(app, user_id) -> EmailPreferences | None:
    with app.app_context():
        row = db.session.get(EmailPreferences, user_id)
        if row is not None:
            db.session.expunge(row)
        return row


def _lists(app, user_id) -> set[int]:
    with app.app_context():
        return mail_preferences.mailing_list_ids(user_id)


@pytest.fixture
def aino(make, auth):
    user_id = make.user("aino")
    auth.login("aino")
    return user_id


def test_email_preferences_need_a_login(client):
    response = client.get("/my/email")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_member_sees_the_defaults_with_each_preference_at_its_own_anchor(client, aino, app):
    html = client.get("/my/email").get_data(as_text=True)
    for anchor in ("email-mentions", "email-replies", "email-quotes", "email-watching", "email-messages",
                   "email-reminders", "email-away_minutes", "email-digest", "email-digest_hour", "email-lists"):
        assert f'id="{anchor}"' in html
    assert 'id="email-mentions" name="email-mentions" type="checkbox" value="y"' in html.replace(" checked", "")
    assert '<option selected value="weekly">' in html
    assert _preferences(app, aino) is None  # looking stores nothing


def test_saving_stores_each_choice_and_shows_it_again(client, aino, app):
    response = client.post("/my/email", data=SAVED, follow_redirects=True)
    assert "Your email preferences are saved." in page_text(response)
    stored = _preferences(app, aino)
    assert (stored.mentions, stored.replies, stored.quotes, stored.watching, stored.messages, stored.reminders) == (
        True, True, False, True, True, False
    )
    assert (stored.away_minutes, stored.digest, stored.digest_hour, stored.digest_weekday) == (
        60, DigestFrequency.DAILY, 7, 2
    )
    html = response.get_data(as_text=True)
    assert '<option selected value="daily">' in html and '<option selected value="60">' in html
    assert 'id="email-quotes" name="email-quotes" type="checkbox" value="y">' in html


def test_an_invalid_choice_is_shown_next_to_its_field_and_the_rest_of_the_input_is_kept(client, aino, app):
    response = client.post("/my/email", data={**SAVED, "email-digest": "hourly"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-digest-error"' in html and "Not a valid choice" in html
    assert '<option selected value="60">' in html  # the member's other input is still there
    assert _preferences(app, aino) is None


def test_mailing_list_mode_offers_only_the_categories_the_member_can_read(client, make, app, aino):
    studio = make.category("Studio")
    secret = make.category("Staff room", visibility=Visibility.GROUPS, group_ids=[make.group("Staff")])
    html = client.get("/my/email").get_data(as_text=True)
    assert f'id="email-list-{studio}"' in html and "Studio" in html
    assert "Staff room" not in html
    response = client.post("/my/email", data={**SAVED, "email-lists": [str(studio), str(secret)]})
    assert 'id="email-lists-error"' in response.get_data(as_text=True)
    assert _lists(app, aino) == set()
    client.post("/my/email", data={**SAVED, "email-lists": [str(studio)]})
    assert _lists(app, aino) == {studio}


def test_unticking_a_category_ends_its_mailing_list_and_keeps_the_others(client, make, app, aino):
    studio = make.category("Studio")
    garden = make.category("Garden")
    client.post("/my/email", data={**SAVED, "email-lists": [str(studio), str(garden)]})
    assert _lists(app, aino) == {studio, garden}
    html = client.get("/my/email").get_data(as_text=True)
    assert f'id="email-list-{studio}" value="{studio}" checked' in html
    client.post("/my/email", data={**SAVED, "email-lists": [str(garden)]})
    assert _lists(app, aino) == {garden}


def test_a_permanent_delivery_failure_is_shown_to_the_member_who_can_clear_it(client, app, aino):
    with app.app_context():
        mail_preferences.record_delivery_failure(aino, "550 5.1.1 No such user")
        db.session.commit()
    text = page_text(client.get("/my/email"))
    assert "We cannot deliver email to you" in text and "550 5.1.1 No such user" in text
    assert "aino@example.org" in text
    response = client.post("/my/email", data={"action": "retry"}, follow_redirects=True)
    assert "We will send email to aino@example.org again" in page_text(response)
    assert "We cannot deliver email to you" not in page_text(response)
    assert _preferences(app, aino).failed_at is None


def test_each_kind_of_mail_links_to_the_preference_that_controls_it(app, client, aino):
    html = client.get("/my/email").get_data(as_text=True)
    with app.app_context():
        for kind in ("mentions", "replies", "quotes", "watching", "messages", "reminders", "digest"):
            url = preference_url(kind)
            assert url.startswith(app.config["FORUM_BASE_URL"].rstrip("/") + "/my/email#")
            assert f'id="{url.split("#")[1]}"' in html
        assert preference_url("list:12").endswith("/my/email#email-list-12")
        with pytest.raises(ValueError):
            preference_url("invite")


def test_the_page_reads_a_constant_number_of_queries_whatever_the_number_of_categories(
    app, client, make, aino, count_queries
):
    make.category("One")
    with count_queries() as few:
        client.get("/my/email")
    for n in range(6):
        category = make.category(f"Category {n}")
        with app.app_context():
            db.session.add(MailingListSubscription(user_id=aino, category_id=category))
            db.session.commit()
    with count_queries() as many:
        client.get("/my/email")
    assert many.n == few.n


def test_the_members_preferences_page_links_to_email_preferences(client, aino):
    assert 'href="/my/email"' in client.get("/my/preferences").get_data(as_text=True)


def test_saving_leaves_the_recorded_failure_and_last_digest_alone(client, app, aino):
    with app.app_context():
        row = mail_preferences.editable_preferences(aino)
        row.last_digest_at = datetime(2026, 1, 5, 8, tzinfo=UTC)
        db.session.commit()
    client.post("/my/email", data=SAVED)
    assert _preferences(app, aino).last_digest_at == datetime(2026, 1, 5, 8, tzinfo=UTC)
