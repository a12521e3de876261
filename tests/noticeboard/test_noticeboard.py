"""The Noticeboard: facilitators open it, post and pin notices; members reply but start no topics there."""

import pytest

from forum.auth.models import User
from forum.board.models import Category, Topic
from forum.core.errors import NotAllowed, NotFound
from forum.extensions import db
from forum.noticeboard import services
from tests.conftest import page_text
from tests.noticeboard.conftest import banner


def test_a_member_cannot_start_a_topic_on_the_noticeboard_but_can_reply(app, client, auth, noticeboard):
    notice = noticeboard.notice()
    auth.login("aino")
    assert "New topic" not in page_text(client.get("/c/noticeboard"))
    assert client.post("/c/noticeboard/new-topic", data={"title": "My own notice", "raw": "Hello"}).status_code == 403
    response = client.post(f"{noticeboard.url(notice)}/reply", data={"raw": "Thanks, the dates suit our team."})
    assert response.status_code == 302
    assert "Thanks, the dates suit our team." in page_text(client.get(noticeboard.url(notice)))
    with app.app_context():
        assert db.session.query(Topic).filter_by(category_id=noticeboard.category_id).count() == 1


def test_a_facilitator_opens_the_noticeboard_on_first_use(app, make):
    fiona = make.facilitator("fiona")
    with app.test_request_context():
        category = services.ensure_noticeboard(db.session.get(User, fiona))
        assert (category.slug, category.name, category.staff_only_topics) == ("noticeboard", "Noticeboard", True)
        assert services.ensure_noticeboard(db.session.get(User, fiona)).id == category.id


def test_a_member_cannot_open_the_noticeboard(app, make):
    aino = make.user("aino")
    with app.test_request_context(), pytest.raises(NotAllowed):
        services.ensure_noticeboard(db.session.get(User, aino))


def test_an_existing_noticeboard_is_used_as_it_is(app, make):
    category_id = make.category("Noticeboard", description="Our own words")
    aino = make.user("aino")
    with app.test_request_context():
        category = services.ensure_noticeboard(db.session.get(User, aino))
        assert (category.id, category.description) == (category_id, "Our own words")


def test_only_notices_are_pinned_through_the_noticeboard(app, make, noticeboard):
    topic_id = make.topic(noticeboard.member_id, make.category("General"))
    with app.test_request_context(), pytest.raises(NotFound):
        services.set_pinned(db.session.get(User, noticeboard.facilitator_id), db.session.get(Topic, topic_id), True)


def test_a_member_cannot_pin_a_notice(app, client, auth, noticeboard):
    notice = noticeboard.notice(pinned=False)
    auth.login("aino")
    assert client.get("/admin/noticeboard").status_code == 403
    assert client.post(f"/admin/noticeboard/{notice}/pin").status_code == 403
    with app.app_context():
        assert not db.session.get(Topic, notice).is_pinned


def test_a_facilitator_pins_and_unpins_notices_from_their_page(app, client, auth, noticeboard):
    older = noticeboard.notice(title="Programme dates", pinned=False)
    newer = noticeboard.notice(title="Learning log template", pinned=False)
    auth.login("fiona")
    assert 'href="/admin/noticeboard"' in client.get("/admin/invites").get_data(as_text=True)
    response = client.post(f"/admin/noticeboard/{older}/pin", follow_redirects=True)
    text = page_text(response)
    assert "“Programme dates” is pinned." in text
    assert "Pinned: shown as the banner Unpin Programme dates" in text
    assert "Not pinned Pin Learning log template" in text
    text = page_text(client.post(f"/admin/noticeboard/{newer}/pin", follow_redirects=True))
    assert "Pinned: shown as the banner Unpin Learning log template" in text and "Pinned Unpin Programme dates" in text
    response = client.post(f"/admin/noticeboard/{older}/unpin", follow_redirects=True)
    assert "“Programme dates” is no longer pinned." in page_text(response)
    with app.app_context():
        assert not db.session.get(Topic, older).is_pinned


def test_a_pinned_notice_reaches_members_as_the_banner(client, auth, make, noticeboard):
    notice = noticeboard.notice(pinned=False)
    auth.login("fiona")
    client.post(f"/admin/noticeboard/{notice}/pin")
    auth.logout()
    auth.login("aino")
    assert "Programme dates for the spring" in banner(client.get("/latest"))


def test_a_facilitator_opens_the_noticeboard_from_their_page_and_goes_to_write_a_notice(app, client, auth, make):
    make.facilitator("fiona")
    auth.login("fiona")
    assert "There is no Noticeboard yet." in page_text(client.get("/admin/noticeboard"))
    response = client.post("/admin/noticeboard/open")
    assert response.headers["Location"] == "/c/noticeboard/new-topic"
    with app.app_context():
        assert db.session.query(Category).filter_by(slug="noticeboard", staff_only_topics=True).count() == 1
    assert client.post("/c/noticeboard/new-topic", data={"title": "Welcome", "raw": "Hello all"}).status_code == 302
    assert "Not pinned Pin Welcome" in page_text(client.get("/admin/noticeboard"))
