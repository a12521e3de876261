"""Experiments and workshops are found by search beside posts (type:experiment, type:workshop), by exactly who may
read them, and the index follows their changes through the same queue as posts."""

import re
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum.auth.models import User
from forum.board.models import Category, Visibility
from forum.experiments import services as experiment_services
from forum.experiments.models import Experiment, Principle, Reach
from forum.extensions import db
from forum.search import index as search_index
from forum.search import queue as search_queue
from forum.workshops import services as workshop_services
from forum.workshops.models import Kind, Workshop
from tests.conftest import Auth, page_text
from tests.search.test_index_lifecycle import _hold_jobs

RECORD = {
    "organisations": ["Gateshead Council"], "country": "United Kingdom",
    "problem": "Commissioning rewards caseload targets rather than relationships.",
    "principles": [Principle.HUMAN], "learning_questions": "What happens when keyworkers set their own goals?",
    "setting": "Two neighbourhood teams", "signals": "Stories from residents", "starts_on": None,
}


@pytest.fixture
def people(make, search):
    return {"fiona": make.facilitator("fiona"), "tove": make.user("tove"), "olli": make.user("olli")}


def propose(app, member_id, title, reach=Reach.GROUP, team=(), **fields) -> int:
    with app.test_request_context():
        experiment = experiment_services.propose_experiment(
            db.session.get(User, member_id), title=title, reach=reach, team_member_ids=team, **(RECORD | fields)
        )
        db.session.commit()
        return experiment.id


def edit(app, member_id, experiment_id, **changes) -> None:
    with app.test_request_context():
        experiment = db.session.get(Experiment, experiment_id)
        record = RECORD | {"title": experiment.title, "reach": experiment.reach} | changes
        experiment_services.edit_experiment(db.session.get(User, member_id), experiment, **record)
        db.session.commit()


def schedule(app, facilitator_id, title, agenda, days=10, **fields) -> int:
    start = (datetime.now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    with app.test_request_context():
        workshop = workshop_services.schedule_workshop(
            db.session.get(User, facilitator_id), title=title, kind=fields.pop("kind", Kind.SHARING),
            local_start=start, timezone="Europe/London", duration_minutes=120, agenda=agenda, **fields,
        )
        db.session.commit()
        return workshop.id


def client_of(app, username=None):
    client = app.test_client()
    if username:
        Auth(client, app).login(username)
    return client


def found(client, q) -> list[tuple[str, str]]:
    """(link, title) of each hit, in order."""
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return [
        (link, re.sub(r"<[^>]+>", "", title))
        for link, title in re.findall(r'<li class="search-hit">\s*<h3><a href="([^"]+)">(.*?)</a>', html, re.S)
    ]


def links(client, q) -> list[str]:
    return sorted(link for link, _title in found(client, q))


def workshop_link(app, workshop_id) -> str:
    with app.app_context():
        return f"/workshops/{db.session.get(Workshop, workshop_id).slug}"


@pytest.fixture
def places(app, people):
    """An experiment and a workshop about allotments."""
    experiment = propose(app, people["tove"], "Allotments as commons", problem="Allotments lie empty for years.")
    workshop = schedule(app, people["fiona"], "Sharing the harvest", "Allotments: what we learned this season.")
    return {"experiment": experiment, "workshop": workshop, "workshop_link": workshop_link(app, workshop)}


def test_type_filters_find_experiments_workshops_or_posts_only(app, make, people, places):
    topic = make.topic(people["olli"], make.category("General"), "Allotment rota", "Allotments need watering.")
    client = client_of(app, "olli")
    assert links(client, "allotments type:experiment") == ["/experiments/allotments-as-commons"]
    assert links(client, "allotments type:workshop") == [places["workshop_link"]]
    posts = links(client, "allotments type:post")
    assert f"/t/allotment-rota/{topic}/1" in posts
    assert not [link for link in posts if not link.startswith("/t/")]
    assert [link for link, _ in found(client, "type:experiment")] == ["/experiments/allotments-as-commons"]


def test_without_a_type_records_are_found_among_posts_and_labelled(app, make, people, places):
    make.topic(people["olli"], make.category("General"), "Allotment rota", "Allotments need watering.")
    client = client_of(app, "olli")
    hits = links(client, "allotments")
    assert "/experiments/allotments-as-commons" in hits
    assert places["workshop_link"] in hits
    assert any(link.startswith("/t/allotment-rota/") for link in hits)
    text = page_text(client.get("/search?q=allotments"))
    assert "Experiment proposed" in text  # the label, then the status
    assert "Workshop Sharing and reflection workshop" in text
    assert "results found" in text


@pytest.mark.parametrize(
    "who, finds",
    [(None, False), ("olli", False), ("tove", True), ("fiona", True)],
)
def test_a_team_only_experiment_is_found_by_its_team_and_facilitators_only(app, people, who, finds):
    propose(app, people["tove"], "Quiet pilot", reach=Reach.TEAM, problem="Hedgerows vanish from estates.")
    expected = ["/experiments/quiet-pilot"] if finds else []
    client = client_of(app, who)
    assert links(client, "hedgerows type:experiment") == expected
    assert [link for link in links(client, "hedgerows") if link.startswith("/experiments/")] == expected
    assert ("1 result found" in page_text(client.get("/search?q=hedgerows type:experiment"))) is finds


def test_a_workshop_is_found_by_anyone_who_sees_the_site(app, people):
    workshop = schedule(app, people["fiona"], "Open session", "Orchards and their keepers.")
    assert links(client_of(app), "orchards type:workshop") == [workshop_link(app, workshop)]


def test_opening_a_team_only_experiment_to_the_group_lets_others_find_it_at_once(app, people, monkeypatch):
    experiment = propose(app, people["tove"], "Quiet pilot", reach=Reach.TEAM, problem="Hedgerows vanish.")
    olli = client_of(app, "olli")
    assert links(olli, "hedgerows type:experiment") == []
    held = _hold_jobs(app, monkeypatch)  # nothing is re-indexed from here on
    edit(app, people["tove"], experiment, problem="Hedgerows vanish.", reach=Reach.GROUP)
    assert links(olli, "hedgerows type:experiment") == ["/experiments/quiet-pilot"]
    edit(app, people["fiona"], experiment, problem="Hedgerows vanish.", reach=Reach.TEAM)
    assert links(olli, "hedgerows type:experiment") == []
    assert ("search.drain", ()) not in held


def test_an_edited_experiment_is_found_by_its_new_words_once_the_queue_drains(app, people, search, monkeypatch):
    experiment = propose(app, people["tove"], "Allotments as commons", problem="Allotments lie empty for years.")
    client = client_of(app, "olli")
    _hold_jobs(app, monkeypatch)
    edit(app, people["tove"], experiment, title="Orchards as commons", problem="Orchards lie empty for years.")
    with app.app_context():
        assert search_queue.pending_count() == 1
    # Until the index has the change, the old words still find it; the hit already shows what it is now.
    now = [("/experiments/allotments-as-commons", "Orchards as commons")]
    assert found(client, "allotments type:experiment") == now
    assert found(client, "orchards type:experiment") == []
    search.sync()
    assert found(client, "orchards type:experiment") == now
    assert found(client, "allotments type:experiment") == []


def test_a_status_change_shows_on_the_hit_without_re_indexing(app, people, monkeypatch):
    experiment = propose(app, people["tove"], "Allotments as commons")
    _hold_jobs(app, monkeypatch)
    with app.test_request_context():
        experiment_services.change_status(
            db.session.get(User, people["tove"]), db.session.get(Experiment, experiment), "designing"
        )
        db.session.commit()
        assert search_queue.pending_count() == 0
    assert "Experiment designing" in page_text(client_of(app, "olli").get("/search?q=allotments type:experiment"))


def test_a_workshop_is_found_by_its_agenda_and_a_cancelled_one_is_labelled(app, people, search):
    workshop = schedule(app, people["fiona"], "Spring gathering", "Composting rotas across the three hubs.",
                        organisations="Hackney Food Network")
    client = client_of(app, "olli")
    link = workshop_link(app, workshop)
    assert found(client, "composting type:workshop") == [(link, "Spring gathering")]
    assert found(client, "hackney type:workshop") == [(link, "Spring gathering")]
    assert "Cancelled" not in page_text(client.get("/search?q=composting type:workshop"))
    with app.test_request_context():
        fiona = db.session.get(User, people["fiona"])
        workshop_services.cancel_workshop(fiona, db.session.get(Workshop, workshop))
        db.session.commit()
    assert found(client, "composting type:workshop") == [(link, "Spring gathering")]
    assert "Cancelled" in page_text(client.get("/search?q=composting type:workshop"))


def test_a_workshop_is_dated_by_when_it_happens(app, people):
    schedule(app, people["fiona"], "Soon", "Seed swaps.", days=3)
    later = schedule(app, people["fiona"], "Later", "Seed swaps.", days=40)
    after = (datetime.now(UTC) + timedelta(days=20)).date().isoformat()
    client = client_of(app, "olli")
    assert links(client, f"seed type:workshop after:{after}") == [workshop_link(app, later)]
    assert [title for _, title in found(client, "seed type:workshop order:latest")] == ["Later", "Soon"]
    assert [title for _, title in found(client, f"seed type:workshop before:{after}")] == ["Soon"]


def test_an_experiment_search_says_that_learning_log_entries_are_posts(app, people):
    experiment = propose(app, people["tove"], "Allotments as commons")
    with app.test_request_context():
        entry = experiment_services.add_learning_log_entry(
            db.session.get(User, people["tove"]), db.session.get(Experiment, experiment), datetime.now().date(),
            did="Mapped the plots", learned="Beekeepers want the empty plots", will_change="Invite the beekeepers",
        )
        db.session.commit()
        assert entry.id
    client = client_of(app, "olli")
    assert found(client, "beekeepers type:experiment") == []
    assert "Learning-log entries are posts" in page_text(client.get("/search?q=beekeepers type:experiment"))
    response = client.get("/search?q=beekeepers")
    assert [title for _, title in found(client, "beekeepers")] == ["Learning log: Allotments as commons"]
    assert "Allotments as commons" in page_text(response)  # the experiment's category, on the post's hit
    assert "1 post found" in page_text(response)


def test_an_unknown_type_is_explained(app, people):
    text = page_text(client_of(app, "olli").get("/search?q=harvest type:recipe"))
    assert "“type:” takes “post”, “experiment”, “workshop”." in text


def test_the_search_tips_offer_the_types(app, people):
    text = page_text(client_of(app).get("/search"))
    assert "type:experiment" in text and "type:workshop" in text and "type:post" in text


def test_type_ahead_suggests_topics_not_records(app, make, people, places):
    topic = make.topic(people["olli"], make.category("General"), "Allotments rota", "Who waters?")
    response = client_of(app, "olli").get("/search/quick?q=allot")
    assert response.status_code == 200
    urls = [t["url"] for t in response.get_json()["topics"]]
    assert f"/t/allotments-rota/{topic}" in urls  # beside the experiment's learning log topic, a topic too
    assert all(url.startswith("/t/") for url in urls)


def test_a_rebuild_and_the_check_include_records(app, people, places, search):
    shutil.rmtree(search.root)
    search.rebuild()
    client = client_of(app, "olli")
    assert links(client, "allotments type:experiment") == ["/experiments/allotments-as-commons"]
    assert links(client, "allotments type:workshop") == [places["workshop_link"]]
    assert search.check() == {"missing": [], "unexpected": [], "stale": []}
    with app.app_context():  # a change that bypassed the queue
        db.session.execute(db.update(Workshop).values(agenda="Something else entirely."))
        db.session.commit()
        assert search.check()["stale"] == [f"w{places['workshop']}"]
    search.rebuild()
    assert search.check() == {"missing": [], "unexpected": [], "stale": []}


def test_an_index_built_before_records_were_indexed_is_rebuilt_with_them(app, people, places, search):
    with app.app_context():
        folder = search_index.current_folder()
        (folder / search_index.RECORDS).unlink()  # as a build of an earlier version left it
        with search_index._writer(search_index.open_index(), timeout=5) as writer:
            writer.delete_by_term("kind", "experiment")
        assert search_index.ensure_index_needed() == "built with other kinds of record"
        assert search_index.ensure_index() is True
        assert search_index.ensure_index_needed() is None
    assert links(client_of(app, "olli"), "allotments type:experiment") == ["/experiments/allotments-as-commons"]


def test_the_search_page_runs_as_many_queries_for_many_records_as_for_one(app, people, count_queries):
    propose(app, people["tove"], "Allotments as commons")
    schedule(app, people["fiona"], "Sharing the harvest", "Allotments: what we learned.")
    client = client_of(app, "olli")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/search?q=allotments").status_code == 200
        return counter.n

    few = queries()
    for n in range(3):
        propose(app, people["tove"], f"Allotments round {n + 2}")
        schedule(app, people["fiona"], f"Harvest {n + 2}", "Allotments again.")
    assert len(found(client, "allotments type:experiment")) == 4
    assert queries() == few


def test_search_importing_the_experiments_breaks_its_contract(tmp_path):
    from tests.test_import_contracts import LINT_IMPORTS, _copy, _lint

    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed")
    tree = _copy(tmp_path)
    source = tree / "forum" / "search" / "services.py"
    source.write_text(source.read_text() + "\nfrom forum.experiments import models as _m  # noqa\n")
    result = _lint(tree)
    assert "search knows nothing of the packages whose records it finds" in result.stdout
    assert "BROKEN" in result.stdout and result.returncode != 0


def test_a_record_s_visibility_follows_its_category_when_an_administrator_changes_it(app, make, people):
    propose(app, people["tove"], "Allotments as commons")
    olli = client_of(app, "olli")
    assert links(olli, "allotments type:experiment") == ["/experiments/allotments-as-commons"]
    with app.test_request_context():
        category = db.session.execute(select(Category).where(Category.slug == "allotments-as-commons")).scalar_one()
        category.visibility = Visibility.GROUPS  # no group: staff only
        db.session.commit()
    assert links(olli, "allotments type:experiment") == []
    assert links(client_of(app, "fiona"), "allotments type:experiment") == ["/experiments/allotments-as-commons"]
