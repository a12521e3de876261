"""The workshop pages as members and facilitators see them."""

from datetime import datetime

from sqlalchemy import select

from forum.extensions import db
from forum.workshops.models import Answer, Rsvp, Workshop
from tests.conftest import page_text


def slug_of(app, workshop_id):
    with app.app_context():
        return db.session.get(Workshop, workshop_id).slug


def test_a_member_cannot_open_the_scheduling_form(client, auth, make, community):
    make.user("amira")
    auth.login("amira")
    assert client.get("/workshops/new").status_code == 403


def test_a_facilitator_schedules_a_workshop_from_the_form(app, client, auth, community):
    auth.login("facilitator1")
    response = client.post("/workshops/new", data={
        "title": "Sharing and reflection, spring", "kind": "sharing", "local_start": "2030-04-02T10:00",
        "timezone": "Europe/London", "duration_minutes": "150", "call_link": "https://meet.example.org/spring",
        "agenda": "Stories from the teams",
    })
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"]))
    assert "Sharing and reflection, spring" in text and "150 minutes" in text
    assert "Open the peer-challenge thread" in text


def test_a_time_the_clocks_skip_is_shown_next_to_the_field_with_the_input_kept(client, auth, community):
    auth.login("facilitator1")
    response = client.post("/workshops/new", data={
        "title": "Too early in spring", "kind": "other", "local_start": "2030-03-31T01:30",
        "timezone": "Europe/London", "duration_minutes": "60",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="local_start-error"' in html and "does not exist in Europe/London" in html
    assert 'value="Too early in spring"' in html


def test_members_in_two_zones_see_the_time_in_their_own_with_the_hosts_beside_it(
    app, client, auth, make, community
):
    # Scheduled in London for 2 April 2030, after the clocks change there (31 March) and in Helsinki.
    slug = slug_of(app, community.workshop(local_start=datetime(2030, 4, 2, 10, 0), timezone="Europe/London"))
    make.user("aino", timezone="Europe/Helsinki")
    make.user("maria", timezone="America/New_York")
    auth.login("aino")
    text = page_text(client.get(f"/workshops/{slug}"))
    assert "Apr 2, 2030, 12:00 PM (Europe/Helsinki)" in text
    assert "Host's time: Apr 2, 2030, 10:00 AM (Europe/London)" in text
    auth.logout()
    auth.login("maria")
    text = page_text(client.get(f"/workshops/{slug}"))
    assert "Apr 2, 2030, 5:00 AM (America/New_York)" in text
    assert "Host's time: Apr 2, 2030, 10:00 AM (Europe/London)" in text


def test_the_call_link_is_shown_to_members_only(app, client, auth, make, community):
    slug = slug_of(app, community.workshop(call_link="https://meet.example.org/secret-room"))
    assert "secret-room" not in client.get(f"/workshops/{slug}").get_data(as_text=True)
    make.user("amira")
    auth.login("amira")
    assert "secret-room" in client.get(f"/workshops/{slug}").get_data(as_text=True)


def test_answering_again_replaces_the_rsvp_and_only_facilitators_see_the_list(app, client, auth, make, community):
    slug = slug_of(app, community.workshop())
    make.user("amira", display_name="Amira Haddad")
    auth.login("amira")
    client.post(f"/workshops/{slug}/rsvp", data={"answer": "going"})
    client.post(f"/workshops/{slug}/rsvp", data={"answer": "maybe"})
    text = page_text(client.get(f"/workshops/{slug}"))
    assert "Going: 0 · Maybe: 1 · Not going: 0" in text
    assert "Answers (facilitators only)" not in text
    with app.app_context():
        assert db.session.execute(select(Rsvp.answer)).scalars().all() == [Answer.MAYBE]
    auth.logout()
    auth.login("facilitator1")
    text = page_text(client.get(f"/workshops/{slug}"))
    assert "Answers (facilitators only) Member Answer Amira Haddad Maybe" in text


def test_members_nominate_and_support_and_the_facilitator_selects(app, client, auth, make, community):
    slug = slug_of(app, community.workshop())
    make.user("amira")
    make.user("bea")
    auth.login("amira")
    client.post(f"/workshops/{slug}/nominations", data={
        "title": "Trust-based grants", "pitch": "Fund relationships, not outputs.", "experiment_id": "0",
    })
    auth.logout()
    auth.login("bea")
    html = client.get(f"/workshops/{slug}").get_data(as_text=True)
    action = html.split('action="')[1:]
    support_url = next(a.split('"')[0] for a in action if a.split('"')[0].endswith("/support"))
    client.post(support_url)
    text = page_text(client.get(f"/workshops/{slug}"))
    assert "Trust-based grants" in text and "1 supporters" in text and "Withdraw support" in text
    assert "Select Trust-based grants" not in text
    auth.logout()
    auth.login("facilitator1")
    select_url = support_url.replace("/support", "/select")
    response = client.post(select_url, follow_redirects=True)
    assert "The idea is now a proposed experiment, “Trust-based grants”" in page_text(response)
    page = page_text(client.get(f"/workshops/{slug}"))
    assert "Selected" in page and "Trust-based grants" in page.split("Featured")[1]


def test_a_member_cannot_select_a_nomination(app, client, auth, make, community):
    slug = slug_of(app, community.workshop())
    make.user("amira")
    auth.login("amira")
    client.post(f"/workshops/{slug}/nominations", data={"title": "My idea", "pitch": "Pick me.", "experiment_id": "0"})
    with app.app_context():
        from forum.workshops.models import Nomination

        nomination_id = db.session.execute(select(Nomination.id)).scalar_one()
    assert client.post(f"/workshops/nominations/{nomination_id}/select").status_code == 403


def test_the_thread_counts_open_and_responded_challenges(app, client, auth, make, community):
    challenger_id, team_id = make.user("amira"), make.user("tom")
    community.experiment(title="Relational commissioning", team_ids=[team_id])
    workshop_id = community.workshop()
    slug = slug_of(app, workshop_id)
    with app.app_context():
        topic_id = db.session.get(Workshop, workshop_id).topic_id
    make.post(challenger_id, topic_id, "How will you know the trust is working?")  # post 2
    make.post(team_id, topic_id, "We ask the families every month.")  # post 3
    auth.login("amira")
    with app.app_context():
        from forum.experiments.models import Experiment

        experiment_id = db.session.execute(select(Experiment.id)).scalar_one()
    client.post(f"/workshops/{slug}/marks", data={"post_number": "2", "kind": "challenge",
                                                  "experiment_id": str(experiment_id)})
    text = page_text(client.get(f"/workshops/{slug}"))
    assert "Open challenges: 1 · Responded: 0" in text
    assert "Mark responded" not in text
    auth.logout()
    auth.login("tom")
    with app.app_context():
        from forum.board.models import Post

        challenge_id = db.session.execute(
            select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 2)
        ).scalar_one()
    client.post(f"/workshops/marks/{challenge_id}/responded", data={"answer_number": "3"})
    assert "Open challenges: 0 · Responded: 1" in page_text(client.get(f"/workshops/{slug}"))


def test_the_workshop_page_runs_the_same_few_queries_however_many_answers_and_nominations(
    app, client, auth, make, community, count_queries
):
    from forum.auth.models import User
    from forum.workshops import services

    workshop_id = community.workshop()
    slug = slug_of(app, workshop_id)

    def add_members(n):
        ids = [make.user() for _ in range(n)]
        with app.test_request_context():
            workshop = db.session.get(Workshop, workshop_id)
            for member_id in ids:
                member = db.session.get(User, member_id)
                services.rsvp(member, workshop, Answer.GOING)
                nomination = services.nominate(member, workshop, f"Idea of {member.username}", "A pitch.")
                services.support(member, nomination)
            db.session.commit()

    auth.login("facilitator1")
    client.get(f"/workshops/{slug}")
    add_members(2)
    with count_queries() as few:
        assert client.get(f"/workshops/{slug}").status_code == 200
    add_members(6)
    with count_queries() as many:
        assert client.get(f"/workshops/{slug}").status_code == 200
    assert many.n == few.n
    assert few.n <= 20
