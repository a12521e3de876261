"""A peer-challenge thread's topic page says which workshop it belongs to, counts its open and responded
challenges, and marks each typed post; other topics show none of it and cost no query for it."""

from sqlalchemy import select

from forum.board.models import Post, Topic
from forum.extensions import db
from forum.workshops.models import Workshop
from tests.conftest import page_text


def _thread(app, workshop_id):
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        topic = db.session.get(Topic, workshop.topic_id)
        return workshop.slug, topic.id, f"/t/{topic.slug}/{topic.id}?page=1"


def _post_id(app, topic_id, number):
    with app.app_context():
        return db.session.execute(
            select(Post.id).where(Post.topic_id == topic_id, Post.post_number == number)
        ).scalar_one()


def _challenge(client, slug, number, experiment_id, kind="challenge"):
    client.post(f"/workshops/{slug}/marks", data={"post_number": str(number), "kind": kind,
                                                  "experiment_id": str(experiment_id)})


def test_the_thread_shows_its_workshop_counts_and_each_marked_post(app, client, auth, make, community):
    amira, tom = make.user("amira"), make.user("tom")
    experiment_id = community.experiment(title="Relational commissioning", team_ids=[tom])
    slug, topic_id, url = _thread(app, community.workshop("Design workshop 3"))
    make.post(amira, topic_id, "How will you know the trust is working?")  # 2
    make.post(amira, topic_id, "Who decides what counts as success?")  # 3
    make.post(tom, topic_id, "We ask the families every month.")  # 4
    make.post(amira, topic_id, "This reminded me of our own pilot.")  # 5
    auth.login("amira")
    _challenge(client, slug, 2, experiment_id)
    _challenge(client, slug, 3, experiment_id)
    _challenge(client, slug, 5, 0, kind="reflection")
    auth.logout()
    auth.login("tom")
    client.post(f"/workshops/marks/{_post_id(app, topic_id, 2)}/responded", data={"answer_number": "4"})

    response = client.get(url)
    text = page_text(response)

    assert "This is the peer-challenge thread of the workshop Design workshop 3" in text
    assert "Open challenges: 1 · Responded: 1" in text
    post_2, post_3, post_5 = (text.split(f"#{n}")[1][:120] for n in (2, 3, 5))
    assert "Challenge to Relational commissioning · Responded" in post_2
    assert "Challenge to Relational commissioning · Open" in post_3
    assert "Reflection" in post_5
    assert f'href="/p/{_post_id(app, topic_id, 4)}"' in response.get_data(as_text=True)


def test_a_topic_outside_the_workshops_category_shows_no_workshop_note_and_costs_no_query(
    app, client, auth, make, community, count_queries
):
    member = make.user("amira")
    topic_id = make.topic(member, make.category("General"), "An ordinary topic")
    auth.login("amira")
    url = f"/t/an-ordinary-topic/{topic_id}"
    client.get(url)
    with count_queries() as counter:
        text = page_text(client.get(url))
    assert "peer-challenge thread" not in text
    assert not any("workshops" in statement for statement in counter.statements)


def test_a_thread_page_runs_the_same_number_of_queries_however_many_posts_are_marked(
    app, client, auth, make, community, count_queries
):
    amira = make.user("amira")
    experiment_id = community.experiment(title="Relational commissioning")
    slug, topic_id, url = _thread(app, community.workshop("Design workshop 3"))
    make.post(amira, topic_id, "A first challenge.")
    auth.login("amira")
    _challenge(client, slug, 2, experiment_id)

    def count():
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.n

    few = count()
    for number in range(3, 13):
        make.post(amira, topic_id, f"Challenge number {number}.")
        _challenge(client, slug, number, experiment_id)
    assert count() == few <= 12


def test_the_facilitators_summary_is_pinned_at_the_top_of_the_thread(app, client, auth, make, community):
    amira = make.user("amira")
    slug, topic_id, url = _thread(app, community.workshop("Design workshop 3"))
    make.post(amira, topic_id, "A question from the breakout room.")
    auth.login("facilitator1")
    client.post(f"/workshops/{slug}/summary", data={"raw": "Three things we **agreed**: trust, time, stories."})
    auth.logout()
    auth.login("amira")

    text = page_text(client.get(url))

    summary = text.index("The facilitator's summary")
    assert summary < text.index("Three things we agreed") < text.index("A question from the breakout room.")
    assert "Three things we agreed" in text[text.index("A question from the breakout room."):]  # and as a post
