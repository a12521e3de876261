"""The index follows the database: every lifecycle event, crashes, rebuilds, damage and concurrent writers."""

import multiprocessing
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.board import services as board_services
from forum.board.models import Post, Topic
from forum.core.jobs import run_jobs
from forum.extensions import db
from forum.search import index as search_index
from forum.search import queue as search_queue
from forum.search.models import SearchQueue
from tests.conftest import page_text
from tests.search.test_search_page import hit_links, hit_titles


def _hold_jobs(app, monkeypatch) -> list:
    """Keep the jobs that get enqueued instead of running them, as if no worker had taken them yet."""
    held = []
    monkeypatch.setattr(app.extensions["forum_queue"], "enqueue_job", lambda name, *args: held.append((name, args)))
    return held


@pytest.fixture
def setting(make, search, auth):
    ids = {"aino": make.user("aino"), "marcus": make.facilitator("marcus"), "general": make.category("General")}
    ids["topic"] = make.topic(ids["marcus"], ids["general"], "Rota for the hubs", "Who covers the rota in May?")
    search.sync()
    auth.login("aino")
    return ids


def _post(topic_id, number=1):
    return db.session.execute(
        select(Post).where(Post.topic_id == topic_id, Post.post_number == number).options(joinedload(Post.topic))
    ).scalar_one()


def test_a_reply_through_the_web_is_searchable_straight_away(client, setting):
    response = client.post(f"/t/rota-for-the-hubs/{setting['topic']}/reply", data={"raw": "I can take Mondays in the allotment."})
    assert response.status_code == 302
    assert hit_links(client.get("/search?q=allotment")) == [f"/t/rota-for-the-hubs/{setting['topic']}/2"]


def test_in_production_the_worker_indexes_after_the_response(app, client, setting, monkeypatch):
    from forum.core.jobs import run_job

    held = _hold_jobs(app, monkeypatch)
    response = client.post(f"/t/rota-for-the-hubs/{setting['topic']}/reply", data={"raw": "Worker-indexed: parsnips."})
    assert response.status_code == 302
    with app.app_context():
        assert search_queue.pending_count() == 1  # the request did not index
    assert ("search.drain", ()) in held
    run_job(app, "search.drain")
    with app.app_context():
        assert search_queue.pending_count() == 0
    assert hit_titles(client.get("/search?q=parsnips")) == ["Rota for the hubs"]


def test_an_edit_replaces_the_old_words_and_a_new_title_is_found(app, client, search, setting):
    with app.test_request_context():
        post = _post(setting["topic"])
        board_services.edit_post(db.session.get(User, setting["marcus"]), post, "Who covers the greenhouse?", "Greenhouse rota")
        db.session.commit()
    search.sync()
    assert hit_titles(client.get("/search?q=may")) == []
    assert hit_titles(client.get("/search?q=greenhouse")) == ["Greenhouse rota"]
    assert hit_titles(client.get("/search?q=greenhouse in:title")) == ["Greenhouse rota"]


def test_a_searcher_kept_from_an_earlier_search_forgets_the_old_words_of_an_edit(app, client, search, setting):
    assert hit_titles(client.get("/search?q=hubs")) == ["Rota for the hubs"]  # this thread now holds a searcher
    for n in range(12):  # enough commits for Whoosh to merge segments
        with app.test_request_context():
            post = _post(setting["topic"])
            board_services.edit_post(db.session.get(User, setting["marcus"]), post, f"Greenhouse shift {n}.", f"Greenhouse rota {n}")
            db.session.commit()
        search.sync()
        assert hit_titles(client.get("/search?q=hubs")) == []
        assert hit_titles(client.get("/search?q=greenhouse")) == [f"Greenhouse rota {n}"]


def test_an_edit_not_yet_indexed_is_left_out_rather_than_shown_stale(app, client, search, setting, monkeypatch):
    _hold_jobs(app, monkeypatch)
    with app.test_request_context():
        post = _post(setting["topic"])
        board_services.edit_post(db.session.get(User, setting["marcus"]), post, "Who covers the greenhouse?")
        db.session.commit()
    # The index still holds the old words, but the queued change masks the post until it is drained.
    assert hit_titles(client.get("/search?q=rota")) == []
    search.sync()
    assert hit_titles(client.get("/search?q=greenhouse")) == ["Rota for the hubs"]


def test_delete_and_restore_take_posts_and_topics_out_and_back(app, client, make, search, setting):
    reply = make.post(setting["aino"], setting["topic"], "The allotment needs water.")
    search.sync()
    with app.test_request_context():
        marcus = db.session.get(User, setting["marcus"])
        board_services.delete_post(marcus, db.session.get(Post, reply, options=[joinedload(Post.topic)]))
        db.session.commit()
    search.sync()
    assert hit_titles(client.get("/search?q=allotment")) == []
    with app.test_request_context():
        board_services.restore_post(db.session.get(User, setting["marcus"]), db.session.get(Post, reply, options=[joinedload(Post.topic)]))
        db.session.commit()
    search.sync()
    assert hit_titles(client.get("/search?q=allotment")) == ["Rota for the hubs"]
    # Deleting the first post deletes the topic: all of its posts leave the index.
    with app.test_request_context():
        board_services.delete_post(db.session.get(User, setting["marcus"]), _post(setting["topic"]))
        db.session.commit()
    search.sync()
    assert hit_titles(client.get("/search?q=allotment")) == []
    assert hit_titles(client.get("/search?q=rota")) == []
    assert search.check() == {"missing": [], "unexpected": [], "stale": []}


def test_moving_a_topic_moves_its_posts_in_the_index(app, client, make, search, setting):
    make.post(setting["aino"], setting["topic"], "Second rota post.")
    elsewhere = make.category("Elsewhere")
    with app.test_request_context():
        db.session.get(Topic, setting["topic"]).category_id = elsewhere
        db.session.commit()
    search.sync()
    assert len(hit_titles(client.get("/search?q=rota category:elsewhere"))) == 2
    assert hit_titles(client.get("/search?q=rota category:general")) == []


def test_locking_a_topic_changes_its_status_in_the_index(app, client, search, setting):
    with app.test_request_context():
        db.session.get(Topic, setting["topic"]).is_locked = True
        db.session.commit()
    search.sync()
    assert hit_titles(client.get("/search?q=rota status:closed")) == ["Rota for the hubs"]
    assert hit_titles(client.get("/search?q=rota status:open")) == []


def test_a_member_who_changes_name_is_found_by_the_new_one(app, client, search, setting):
    client.post("/my/preferences", data={"action": "preferences", "display_name": "Aino Korhonen", "organisation": "OPH"})
    found = client.get("/search/quick?q=korh").get_json()
    assert [m["username"] for m in found["members"]] == ["aino"]


def test_a_crash_between_commit_and_index_loses_nothing(app, client, make, search, setting, monkeypatch):
    """The change and its queue row commit together; if indexing never runs, the next drain catches up."""
    _hold_jobs(app, monkeypatch)  # the drain job was never enqueued
    make.post(setting["aino"], setting["topic"], "Committed but not yet indexed: compost.")
    with app.app_context():
        assert search_queue.pending_count() == 1
    assert hit_titles(client.get("/search?q=compost")) == []  # not yet in the index
    with app.app_context():
        run_jobs()  # what the worker's periodic sweep (or cron) does
        assert search_queue.pending_count() == 0
    assert hit_titles(client.get("/search?q=compost")) == ["Rota for the hubs"]


def test_a_missing_index_is_reported_and_rebuilt_by_the_periodic_job(app, client, search, setting):
    shutil.rmtree(search.root)
    response = client.get("/search?q=rota")
    assert response.status_code == 503
    assert "Search is being rebuilt" in page_text(response)
    assert client.get("/latest").status_code == 200  # the rest of the forum works
    assert client.get("/search/quick?q=rota").get_json()["error"] == "search_unavailable"
    with app.app_context():
        assert run_jobs()["search.ensure_index"] is True
    assert hit_titles(client.get("/search?q=rota")) == ["Rota for the hubs"]


def test_a_corrupt_index_is_reported_then_rebuilt(app, client, search, setting):
    with app.app_context():
        folder = search_index.current_folder()
    for path in Path(folder).iterdir():
        if path.suffix == ".toc" or path.name.endswith(".seg"):
            path.write_bytes(b"\x00garbage\x00" * 10)
    response = client.get("/search?q=rota")
    assert response.status_code == 503
    assert "Search is being rebuilt" in page_text(response)
    with app.app_context():
        assert search_index.ensure_index() is True
    assert hit_titles(client.get("/search?q=rota")) == ["Rota for the hubs"]


def test_a_rebuild_while_members_keep_posting_misses_nothing(app, client, make, search, setting):
    for n in range(5):
        make.post(setting["aino"], setting["topic"], f"Earlier note {n} about seedlings.")
    written_during = []

    def post_meanwhile(_done):
        # Runs inside the rebuild, after the first batch was read: a member posts, and the drain after their
        # request writes to the old (still live) index.
        if not written_during:
            written_during.append(make.post(setting["aino"], setting["topic"], "Posted during the rebuild: marigolds."))
            with app.app_context():
                search_index.drain_all()

    with app.app_context():
        search_index.rebuild(progress=post_meanwhile, batch=2)
        search_index.drain_all()
    assert hit_titles(client.get("/search?q=marigolds")) == ["Rota for the hubs"]
    assert len(hit_titles(client.get("/search?q=seedlings"))) == 5
    assert search.check() == {"missing": [], "unexpected": [], "stale": []}


def test_a_large_rebuild_writes_with_one_process_per_core(app, client, make, search, setting, monkeypatch):
    for n in range(6):
        make.post(setting["aino"], setting["topic"], f"Note {n} about the allotment compost.")
    monkeypatch.setattr(search_index, "PARALLEL_FROM_POSTS", 1)  # "large" is 20,000 posts otherwise
    writers = []
    bulk_writer = search_index._bulk_writer
    monkeypatch.setattr(search_index, "_bulk_writer", lambda ix: writers.append(bulk_writer(ix)) or writers[-1])
    monkeypatch.setitem(app.config, "FORUM_SEARCH_REBUILD_PROCS", 2)
    search.rebuild()
    assert [type(w).__name__ for w in writers] == ["MpWriter"]
    assert len(hit_titles(client.get("/search?q=compost"))) == 6
    assert search.check() == {"missing": [], "unexpected": [], "stale": []}


def test_an_index_built_with_older_analysis_is_rebuilt_by_the_periodic_job(app, search, monkeypatch):
    from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS

    from forum.search import documents

    with monkeypatch.context() as older:  # as an earlier version built it: Whoosh's short list of stop words
        older.setattr(documents, "STOP_WORDS", WHOOSH_STOP_WORDS)
        search.rebuild()
    with app.app_context():
        assert search_index.ensure_index_needed() == "built with other fields or analysis"
        assert search_index.ensure_index() is True
        assert search_index.ensure_index_needed() is None
        assert [t.text for t in search_index.searcher().schema["body"].analyzer("they were learning")] == ["learn"]


def test_only_one_rebuild_runs_at_a_time(app, search, setting):
    with app.app_context():
        with search_index._rebuild_lock():
            with pytest.raises(search_index.RebuildInProgress):
                search_index.rebuild()


def _write_posts(database_url, index_dir, instance, topic_id, author_id, label, count):
    """In a separate process: post through the real write path and drain, as a gunicorn worker would."""
    from forum import create_app

    app = create_app({
        "TESTING": True, "INSTANCE_PATH": instance, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url,
        "FORUM_SEARCH_INDEX_DIR": index_dir, "FORUM_JOBS_IMMEDIATE": True, "RATELIMIT_ENABLED": False,
    })
    with app.test_request_context():
        for n in range(count):
            author = db.session.get(User, author_id)
            topic = db.session.get(Topic, topic_id)
            board_services.create_post(author, topic, f"Worker {label} writes note {n} about beehives.")
            db.session.commit()
            search_index.drain(timeout=10)
        db.session.remove()


def test_two_processes_writing_at_once_lose_no_update(app, client, search, setting):
    context = multiprocessing.get_context("spawn")
    args = (app.config["SQLALCHEMY_DATABASE_URI"], str(search.root), app.instance_path, setting["topic"], setting["aino"])
    workers = [context.Process(target=_write_posts, args=(*args, label, 15)) for label in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    search.sync()  # whatever a worker left queued when the other held the lock
    assert "30 posts found" in page_text(client.get("/search?q=beehives&page=2"))
    assert search.check() == {"missing": [], "unexpected": [], "stale": []}


def test_reindex_and_check_commands(app, make, search, setting):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "search-reindex"])
    assert result.exit_code == 0, result.output
    assert "Search index rebuilt" in result.output and "Indexing posts" in result.output
    ok = runner.invoke(args=["forum", "search-check"])
    assert ok.exit_code == 0, ok.output
    assert "missing: 0" in ok.output and "stale: 0" in ok.output
    # Drift: a change that bypassed the queue (a bulk UPDATE) is reported.
    with app.app_context():
        db.session.execute(db.update(Post).values(cooked="<p>changed behind the index's back</p>"))
        db.session.execute(db.delete(SearchQueue))
        db.session.commit()
    drift = runner.invoke(args=["forum", "search-check"])
    assert drift.exit_code == 1
    assert "stale: 1" in drift.output
    skipped = runner.invoke(args=["forum", "search-reindex", "--if-missing"])
    assert "nothing to do" in skipped.output


def test_processed_queue_rows_are_forgotten_after_a_day(app, search, setting):
    from datetime import timedelta

    from forum.core.models import utcnow

    with app.app_context():
        db.session.execute(db.update(SearchQueue).values(processed_at=utcnow() - timedelta(days=2)))
        db.session.commit()
        assert search_index.forget_processed() >= 1
        db.session.commit()
        assert db.session.execute(select(SearchQueue)).first() is None



def test_a_search_on_a_new_empty_index_does_not_stop_later_searches(client, make, search, auth):
    make.user("aino")
    auth.login("aino")
    assert client.get("/search?q=anything").status_code == 200  # opens a searcher on the empty index
    topic = make.topic(make.facilitator("marcus"), make.category("General"), "First words", "Compost heaps.")
    search.sync()
    assert hit_links(client.get("/search?q=compost")) == [f"/t/first-words/{topic}/1"]
