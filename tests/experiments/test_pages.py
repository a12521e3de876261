"""The experiments' pages, as members use them: proposing, the experiment's page, editing, status changes,
the learning log, the index's filters, and what a change of reach hides at once."""

import io
import re

from PIL import Image
from sqlalchemy import select

from forum.auth.models import User, group_members
from forum.board.models import Post, Topic
from forum.experiments.models import Experiment, Reach, Status
from forum.extensions import db
from tests.conftest import page_text
from tests.search.test_search_page import hit_titles

PROPOSAL = {
    "title": "Learning cycles in schools", "organisations": "Finnish National Agency for Education\nCity of Espoo",
    "country": "Finland", "problem": "Schools report on outputs.", "principles": ["learning", "human"],
    "learning_questions": "What changes when teachers own the questions?", "setting": "Three schools",
    "signals": "Teachers' stories", "starts_on": "2026-09-01", "reach": "group", "team": "ben",
}


def _edit_data(app, experiment_id, **changes):
    with app.app_context():
        experiment = db.session.get(Experiment, experiment_id)
        team = db.session.execute(
            select(User.username).join(group_members, group_members.c.user_id == User.id)
            .where(group_members.c.group_id == experiment.team_group_id)
        ).scalars().all()
        return {"team": ", ".join(team)} | {
            "title": experiment.title, "organisations": experiment.organisations, "country": experiment.country or "",
            "problem": experiment.problem, "principles": [p.value for p in experiment.principle_list],
            "learning_questions": experiment.learning_questions, "setting": experiment.setting or "",
            "signals": experiment.signals or "", "starts_on": "", "reach": experiment.reach.value,
        } | changes


def test_a_member_proposes_an_experiment_and_sees_its_page(client, auth, make):
    make.user("aino", display_name="Aino Virtanen")
    make.user("ben", display_name="Ben Adeyemi")
    auth.login("aino")
    response = client.post("/experiments/new", data=PROPOSAL)
    assert response.status_code == 302 and response.headers["Location"].endswith("/experiments/learning-cycles-in-schools")
    text = page_text(client.get("/experiments/learning-cycles-in-schools"))
    assert "Learning cycles in schools" in text and "Status: proposed" in text
    assert "Finnish National Agency for Education, City of Espoo" in text
    assert "Aino Virtanen" in text and "Ben Adeyemi" in text
    assert "Human, Learning" in text
    assert "Edit the experiment" in text and "Add a learning log entry" in text


def test_a_proposal_with_a_missing_field_keeps_what_was_typed_and_says_what_is_missing(app, client, auth, make):
    make.user("aino")
    auth.login("aino")
    response = client.post("/experiments/new", data=PROPOSAL | {"problem": "", "team": "ben, nobody"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="problem-error"' in html and "Describe the problem" in html
    assert 'value="Learning cycles in schools"' in html
    with app.app_context():
        assert db.session.execute(select(Experiment)).first() is None


def test_an_unknown_team_member_is_named_next_to_the_team_field(client, auth, make):
    make.user("aino")
    auth.login("aino")
    html = client.post("/experiments/new", data=PROPOSAL | {"team": "nobody"}).get_data(as_text=True)
    assert re.search(r'id="team-error">No member is called nobody', html)


def test_the_team_is_edited_on_the_experiment_form_and_newcomers_watch_its_category(app, client, auth, make, propose):
    aino, ben = make.user("aino"), make.user("ben")
    make.user("carla")
    experiment_id = propose(aino, team=[ben])
    auth.login("aino")
    form = page_text(client.get("/experiments/learning-cycles-in-schools/edit"))
    assert "aino, ben" in client.get("/experiments/learning-cycles-in-schools/edit").get_data(as_text=True)
    assert "Team members" in form

    unknown = client.post("/experiments/learning-cycles-in-schools/edit",
                          data=_edit_data(app, experiment_id, team="aino, nobody"))
    assert unknown.status_code == 200 and "No member is called nobody." in page_text(unknown)
    empty = client.post("/experiments/learning-cycles-in-schools/edit", data=_edit_data(app, experiment_id, team=""))
    assert "An experiment needs at least one team member." in page_text(empty)
    client.post("/experiments/learning-cycles-in-schools/edit", data=_edit_data(app, experiment_id, team="aino, carla"))

    with app.app_context():
        from forum.tracking.models import CategoryUser, NotificationLevel

        experiment = db.session.get(Experiment, experiment_id)
        team = set(db.session.execute(
            select(User.username).join(group_members, group_members.c.user_id == User.id)
            .where(group_members.c.group_id == experiment.team_group_id)
        ).scalars())
        assert team == {"aino", "carla"}
        carla_watches = db.session.execute(
            select(CategoryUser.notification_level).join(User, User.id == CategoryUser.user_id)
            .where(User.username == "carla", CategoryUser.category_id == experiment.category_id)
        ).scalar_one()
        assert carla_watches == NotificationLevel.WATCHING


def test_only_the_team_and_facilitators_may_open_the_edit_form(app, client, auth, make, propose):
    aino = make.user("aino")
    make.user("outsider")
    make.facilitator("fiona")
    propose(aino)
    auth.login("outsider")
    assert client.get("/experiments/learning-cycles-in-schools/edit").status_code == 403
    assert "Edit the experiment" not in page_text(client.get("/experiments/learning-cycles-in-schools"))
    auth.logout()
    auth.login("fiona")
    assert client.get("/experiments/learning-cycles-in-schools/edit").status_code == 200


def test_a_status_change_with_its_note_shows_in_the_timeline(client, auth, make, propose):
    aino = make.user("aino")
    propose(aino)
    auth.login("aino")
    form = client.get("/experiments/learning-cycles-in-schools/status").get_data(as_text=True)
    assert re.findall(r'<option[^>]*value="(\w+)"', form) == ["designing", "paused"]
    response = client.post(
        "/experiments/learning-cycles-in-schools/status", data={"to_status": "designing", "note": "Design day booked."}
    )
    assert response.status_code == 302
    text = page_text(client.get("/experiments/learning-cycles-in-schools"))
    assert "Status: designing" in text
    assert "from proposed to designing" in text and "Design day booked." in text


def test_a_status_the_lifecycle_does_not_allow_is_refused(app, client, auth, make, propose):
    aino = make.user("aino")
    propose(aino)
    auth.login("aino")
    response = client.post("/experiments/learning-cycles-in-schools/status", data={"to_status": "concluded"})
    assert response.status_code == 200 and "Not a valid choice" in page_text(response)
    with app.app_context():
        assert db.session.execute(select(Experiment.status)).scalar_one() == Status.PROPOSED


def test_a_learning_log_entry_becomes_a_post_others_can_reply_to(app, client, auth, make, propose):
    aino = make.user("aino")
    make.user("carla")
    propose(aino)
    auth.login("aino")
    response = client.post(
        "/experiments/learning-cycles-in-schools/log/new",
        data={"entry_date": "2026-10-05", "did": "Ran the first cycle.", "learned": "Pupils asked better questions.",
              "will_change": "Meet weekly."},
    )
    assert response.status_code == 302
    page = client.get("/experiments/learning-cycles-in-schools").get_data(as_text=True)
    assert "Pupils asked better questions." in page and "October 5, 2026" in page
    post_link = re.search(r'<ol class="timeline learning-log" reversed>\s*<li><a href="([^"]+)"', page).group(1)
    with app.app_context():
        topic = db.session.execute(select(Topic).where(Topic.title == "Learning log: Learning cycles in schools")).scalar_one()
    assert post_link == f"/t/{topic.slug}/{topic.id}/2"
    auth.logout()
    auth.login("carla")
    reply = client.post(f"/t/{topic.slug}/{topic.id}/reply", data={"raw": "How did you choose the questions?", "reply_to": "2"})
    assert reply.status_code == 302
    with app.app_context():
        answer = db.session.execute(select(Post).where(Post.topic_id == topic.id, Post.post_number == 3)).scalar_one()
        assert answer.reply_to_post_number == 2


def test_the_index_filters_by_status_organisation_country_and_principle(app, client, auth, make, propose):
    aino = make.user("aino")
    propose(aino)
    propose(aino, title="Healthcare conversations", organisations=["Healthcare Improvement Scotland", "Public Health Scotland"],
            country="United Kingdom", principles=["human", "systems"])
    propose(aino, title="Plymouth neighbourhoods", organisations=["Plymouth City Council"], country="United Kingdom",
            principles=["systems"])
    with app.test_request_context():
        from forum.auth.models import User
        from forum.experiments import services

        plymouth = db.session.execute(select(Experiment).where(Experiment.title == "Plymouth neighbourhoods")).scalar_one()
        services.change_status(db.session.get(User, aino), plymouth, Status.DESIGNING)
        db.session.commit()
    auth.login("aino")

    def listed(**args):
        html = client.get("/experiments", query_string=args).get_data(as_text=True)
        return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)

    assert listed() == ["Healthcare conversations", "Learning cycles in schools", "Plymouth neighbourhoods"]
    assert listed(country="United Kingdom") == ["Healthcare conversations", "Plymouth neighbourhoods"]
    assert listed(organisation="Public Health Scotland") == ["Healthcare conversations"]
    assert listed(organisation="Health Scotland") == []
    assert listed(principle="systems") == ["Healthcare conversations", "Plymouth neighbourhoods"]
    assert listed(status="designing") == ["Plymouth neighbourhoods"]
    assert listed(status="designing", principle="human") == []


def test_the_index_lists_only_experiments_the_viewer_may_read(client, auth, make, propose):
    aino = make.user("aino")
    make.user("outsider")
    propose(aino, title="Open experiment")
    propose(aino, title="Quiet experiment", reach=Reach.TEAM)
    auth.login("outsider")
    text = page_text(client.get("/experiments"))
    assert "Open experiment" in text and "Quiet experiment" not in text
    assert client.get("/experiments/quiet-experiment").status_code == 404
    auth.logout()
    assert client.get("/experiments/open-experiment").status_code == 302  # visitors are asked to log in


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_making_an_experiment_team_only_hides_its_topics_search_hits_and_uploads_at_once(
    app, client, auth, make, propose, search
):
    """GHSA-298h-xgw6-4pv3: Discourse kept serving the uploads of a category made private later."""
    aino = make.user("aino")
    make.user("outsider")
    experiment_id = propose(aino)
    auth.login("aino")
    url = client.post("/uploads", data={"file": (io.BytesIO(_png()), "chart.png")}, content_type="multipart/form-data").get_json()["url"]
    created = client.post(
        "/c/learning-cycles-in-schools/new-topic", data={"title": "Our harvest chart", "raw": f"Harvest ![chart]({url})"}
    )
    topic_url = created.headers["Location"]
    search.sync()
    auth.logout()
    auth.login("outsider")
    assert client.get(topic_url).status_code == 200
    assert client.get(url).status_code == 200
    assert "Our harvest chart" in hit_titles(client.get("/search", query_string={"q": "harvest"}))
    auth.logout()

    auth.login("aino")
    response = client.post("/experiments/learning-cycles-in-schools/edit", data=_edit_data(app, experiment_id, reach="team"))
    assert response.status_code == 302
    auth.logout()

    auth.login("outsider")
    assert client.get(topic_url).status_code == 404
    assert client.get(url).status_code == 404
    assert hit_titles(client.get("/search", query_string={"q": "harvest"})) == []
    assert client.get("/experiments/learning-cycles-in-schools").status_code == 404
    auth.logout()
    auth.login("aino")
    assert client.get(url).status_code == 200 and client.get(topic_url).status_code == 200


def test_a_facilitator_turns_a_plain_category_into_an_experiment_from_the_index(app, client, auth, make):
    aino = make.user("aino")
    make.facilitator("fiona")
    category_id = make.category("Plymouth neighbourhoods", description="Commissioning by outputs.")
    make.topic(aino, category_id, title="Our first month")
    auth.login("aino")
    assert "Turn a category into an experiment" not in page_text(client.get("/experiments"))
    assert client.get("/experiments/from-category/plymouth-neighbourhoods").status_code == 403
    auth.logout()
    auth.login("fiona")
    assert "Plymouth neighbourhoods" in page_text(client.get("/experiments"))
    form = client.get("/experiments/from-category/plymouth-neighbourhoods").get_data(as_text=True)
    assert 'value="Plymouth neighbourhoods"' in form and "Commissioning by outputs." in form
    response = client.post(
        "/experiments/from-category/plymouth-neighbourhoods",
        data={"title": "Plymouth neighbourhoods", "organisations": "Plymouth City Council", "problem": "Outputs.",
              "principles": ["systems"], "learning_questions": "What do neighbourhoods need?", "reach": "group",
              "team": "aino"},
    )
    assert response.status_code == 302
    text = page_text(client.get("/experiments/plymouth-neighbourhoods"))
    assert "Our first month" in text and "Aino" in text and "Status: proposed" in text
