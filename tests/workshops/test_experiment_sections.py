"""An experiment's page lists the workshops where it featured and the peer challenges addressed to its team."""

from sqlalchemy import select

from forum.board.models import Post
from forum.extensions import db
from forum.workshops.models import Workshop
from tests.conftest import page_text


def _topic_of(app, workshop_id):
    with app.app_context():
        return db.session.get(Workshop, workshop_id).topic_id


def _post_id(app, topic_id, number):
    with app.app_context():
        return db.session.execute(
            select(Post.id).where(Post.topic_id == topic_id, Post.post_number == number)
        ).scalar_one()


def test_the_experiment_page_shows_where_it_featured_and_its_challenges_open_first(app, client, auth, make, community):
    challenger_id, team_id = make.user("amira"), make.user("tom")
    experiment_id = community.experiment(title="Relational commissioning", team_ids=[team_id])
    workshop_id = community.workshop("Design workshop for Plymouth", experiment_ids=[experiment_id])
    community.workshop("A workshop about something else")
    topic_id = _topic_of(app, workshop_id)
    make.post(challenger_id, topic_id, "How will you know the trust is working?")  # post 2
    make.post(challenger_id, topic_id, "Who decides what counts as success?")  # post 3
    make.post(team_id, topic_id, "We ask the families every month.")  # post 4
    with app.app_context():
        slug = db.session.get(Workshop, workshop_id).slug
    auth.login("amira")
    for number in ("2", "3"):
        client.post(f"/workshops/{slug}/marks", data={"post_number": number, "kind": "challenge",
                                                      "experiment_id": str(experiment_id)})
    auth.logout()
    auth.login("tom")
    client.post(f"/workshops/marks/{_post_id(app, topic_id, 2)}/responded", data={"answer_number": "4"})

    response = client.get("/experiments/relational-commissioning")
    text = page_text(response)

    featured = text.split("Workshops where it featured")[1]
    assert "Design workshop for Plymouth" in featured and "something else" not in featured
    challenges = text.split("Peer challenges to the team")[1]
    assert "Open challenges: 1 · Responded: 1" in challenges
    assert challenges.index("Who decides what counts as success?") < challenges.index("How will you know")
    html = response.get_data(as_text=True)
    assert f'href="/p/{_post_id(app, topic_id, 4)}"' in html  # "Read the answer"


def test_an_experiment_without_workshops_or_challenges_shows_neither_section(client, auth, make, community):
    make.user("amira")
    community.experiment(title="Relational commissioning")
    auth.login("amira")
    text = page_text(client.get("/experiments/relational-commissioning"))
    assert "Workshops where it featured" not in text and "Peer challenges to the team" not in text
