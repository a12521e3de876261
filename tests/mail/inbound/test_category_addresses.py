"""A category's own incoming address: mail from a member who may post there starts a topic."""

import pytest
from sqlalchemy import select

from forum.board.models import Topic
from forum.extensions import db
from forum.mail.inbound.models import CategoryAddress, InboundStatus
from tests.conftest import page_text
from tests.mail.inbound.mailbox import answers_to, posts_in, raw_mail, receive, text_of

pytestmark = pytest.mark.usefixtures("clean_outbox")

ADDRESS = "plymouth-experiment@fellowship.localhost"


@pytest.fixture
def category(app, make):
    category_id = make.category("Plymouth experiment")
    with app.app_context():
        db.session.add(CategoryAddress(category_id=category_id, local_part="plymouth-experiment"))
        db.session.commit()
    return category_id


def topics_in(app, category_id):
    with app.app_context():
        return db.session.execute(select(Topic.id, Topic.title, Topic.user_id).where(Topic.category_id == category_id)).all()


def test_mail_to_a_category_address_from_a_member_starts_a_topic_with_the_subject_as_title(app, make, category):
    aino = make.user("aino")
    outcome = receive(app, raw_mail(ADDRESS, "The second run starts on Monday.\n\n-- \nAino", subject="Second run"))
    assert outcome.status == InboundStatus.POSTED
    [(topic_id, title, author)] = topics_in(app, category)
    assert (title, author) == ("Second run", aino)
    [first] = posts_in(app, topic_id)
    assert (first.id, first.raw) == (outcome.post_id, "The second run starts on Monday.")


def test_mail_to_a_category_address_from_a_stranger_is_refused_and_starts_nothing(app, make, category):
    outcome = receive(app, raw_mail(ADDRESS, "Buy my course today.", sender="stranger@example.net", subject="Offer"))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "unknown_sender")
    assert topics_in(app, category) == []
    [answer] = answers_to(app, "stranger@example.net")
    assert "> Buy my course today." in text_of(answer)


def test_mail_to_a_category_the_member_may_not_start_topics_in_is_refused(app, make):
    make.user("aino")
    category_id = make.category("Announcements", staff_only_topics=True)
    with app.app_context():
        db.session.add(CategoryAddress(category_id=category_id, local_part="news"))
        db.session.commit()
    outcome = receive(app, raw_mail("news@fellowship.localhost", "My own announcement.", subject="News"))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "not_allowed")
    assert topics_in(app, category_id) == []


def test_a_subject_too_short_for_a_title_is_refused_with_the_text_quoted_back(app, make, category):
    make.user("aino")
    outcome = receive(app, raw_mail(ADDRESS, "The second run starts on Monday.", subject="Hi"))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "bad_title")
    [answer] = answers_to(app, "aino@example.org")
    assert "at least 3 characters" in text_of(answer)


def test_mail_to_an_address_that_is_no_category_or_key_is_refused(app, make, category):
    make.user("aino")
    outcome = receive(app, raw_mail("nobody@fellowship.localhost", "Hello there, forum.", subject="Hello"))
    assert (outcome.status, outcome.reason) == (InboundStatus.REJECTED, "unknown_address")


def test_an_admin_gives_a_category_its_address_and_mail_to_it_starts_a_topic(app, client, auth, make):
    make.admin("ada")
    aino = make.user("aino")
    category_id = make.category("Field notes")
    auth.login("ada")
    page = client.get("/admin/mail/addresses/")
    assert page.status_code == 200 and "Field notes" in page_text(page) and "@fellowship.localhost" in page_text(page)
    saved = client.post(f"/admin/mail/addresses/{category_id}", data={"local_part": "Field-Notes"}, follow_redirects=True)
    assert 'value="field-notes"' in saved.get_data(as_text=True)
    outcome = receive(app, raw_mail("field-notes@fellowship.localhost", "Seen today: two herons.", subject="Herons"))
    assert outcome.status == InboundStatus.POSTED
    assert [(title, author) for _id, title, author in topics_in(app, category_id)] == [("Herons", aino)]


def test_a_category_address_must_be_a_plain_unused_local_part(app, client, auth, make, category):
    make.admin("ada")
    other = make.category("Other")
    auth.login("ada")
    for bad, error in (("reply+x", "Use lower case letters"), ("plymouth-experiment", "Another category has that address")):
        response = client.post(f"/admin/mail/addresses/{other}", data={"local_part": bad})
        assert response.status_code == 400 and error in page_text(response)
    with app.app_context():
        assert db.session.get(CategoryAddress, other) is None


def test_members_may_not_change_category_addresses(app, client, auth, make, category):
    make.user("aino")
    auth.login("aino")
    assert client.get("/admin/mail/addresses/").status_code == 403
    assert client.post(f"/admin/mail/addresses/{category}", data={"local_part": "mine"}).status_code == 403
