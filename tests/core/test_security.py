"""Security headers, and hostile titles and names shown as text."""

from forum.board.models import Topic
from forum.extensions import db


def test_every_page_sends_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/no/such/page").headers["Content-Security-Policy"] == csp


def test_pages_have_no_inline_scripts_or_event_handlers(client, auth, make):
    aino = make.user("aino")
    make.topic(aino, make.category(), raw="Hello")
    auth.login("aino")
    for url in ["/", "/latest", "/categories", "/c/general", "/t/a-topic-about-learning/1", "/my/preferences"]:
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "<script>" not in html and " onclick=" not in html and " style=" not in html, url


def test_hostile_titles_and_display_names_are_shown_as_text(app, client, auth, make):
    villain = make.user("villain", display_name='<img src=x onerror=alert("name")>')
    topic_id = make.topic(villain, make.category(), title='<script>alert("title")</script> plans')
    auth.login("villain")
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        url = f"/t/{topic.slug}/{topic.id}"
    for page in [url, "/latest", "/u/villain"]:
        html = client.get(page).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, page
    assert "&lt;script&gt;alert" in client.get(url).get_data(as_text=True)
