"""A page runs a small, constant number of queries whatever the topic's length."""

from forum.board.models import Topic
from forum.extensions import db

MAX_QUERIES = 12


def _counts(app, client, count_queries, urls):
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm up (first request loads things once per process)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = counter.n
    return counts


def _urls(app, topic_id):
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        base = f"/t/{topic.slug}/{topic.id}"
        last = (topic.highest_post_number - 1) // app.config["FORUM_POSTS_PER_PAGE"] + 1
    return {
        "first page": base,
        "last page": f"{base}?page={last}",
        "threaded": f"{base}?view=threaded",
        "latest": "/latest",
        "category": "/c/general",
    }


def test_query_count_is_constant_and_small_as_a_topic_grows(app, client, auth, make, count_queries):
    authors = [make.user(f"writer{i}") for i in range(4)]
    category = make.category("General")
    topic_id = make.topic(authors[0], category)
    auth.login("writer0")
    small = _counts(app, client, count_queries, _urls(app, topic_id))
    for n in range(2, 41):
        make.post(authors[n % 4], topic_id, f"Reply {n}", reply_to=max(1, n // 2))
    large = _counts(app, client, count_queries, _urls(app, topic_id))
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large
