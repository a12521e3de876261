"""Only facilitators and administrators see the facilitation page and its link."""

from forum.auth.models import Role


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/facilitation")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_member_is_refused_and_sees_no_link(client, auth, make):
    make.user("aino")
    auth.login("aino")
    assert client.get("/facilitation").status_code == 403
    assert 'href="/facilitation"' not in client.get("/latest").get_data(as_text=True)


def test_facilitator_and_administrator_see_the_page_from_the_navigation(client, auth, make):
    make.facilitator("fiona")
    make.user("ada", role=Role.ADMIN)
    for username in ("fiona", "ada"):
        auth.login(username)
        assert 'href="/facilitation"' in client.get("/latest").get_data(as_text=True)
        response = client.get("/facilitation")
        assert response.status_code == 200
        assert "<h1>Facilitation</h1>" in response.get_data(as_text=True)
        auth.logout()
