"""The `flask forum …` commands a newcomer and an operator use."""

from sqlalchemy import func, select

from forum.auth.models import Role, User
from forum.board.models import Post, Topic
from forum.extensions import db
from tests.conftest import page_text


def test_create_admin_makes_an_administrator_who_can_log_in(app, auth):
    result = app.test_cli_runner().invoke(
        args=["forum", "create-admin", "--username", "ruth", "--email", "ruth@example.org",
              "--display-name", "Ruth A", "--password", "a long admin password"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(select(User.role).where(User.username == "ruth")).scalar_one() == Role.ADMIN
    assert auth.login("ruth", "a long admin password").status_code == 302


def test_create_admin_explains_a_bad_username(app):
    result = app.test_cli_runner().invoke(
        args=["forum", "create-admin", "--username", "x", "--email", "x@example.org",
              "--display-name", "X", "--password", "a long admin password"]
    )
    assert result.exit_code != 0
    assert "3–20 letters" in result.output


def test_demo_community_loads_once_and_prints_logins(app, client, auth):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["forum", "load-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "ruth" in first.output and "fellowship-demo" in first.output
    with app.app_context():
        topics = db.session.execute(select(func.count(Topic.id))).scalar_one()
        posts = db.session.execute(select(func.count(Post.id))).scalar_one()
    assert topics >= 25 and posts >= 200
    again = runner.invoke(args=["forum", "load-demo", "--if-empty"])
    assert "not loaded again" in again.output
    with app.app_context():
        assert db.session.execute(select(func.count(Topic.id))).scalar_one() == topics
    assert client.get("/latest").status_code == 200
    auth.login("aino", "fellowship-demo")
    assert "Team room" in client.get("/categories").get_data(as_text=True)
    experiments = page_text(client.get("/experiments"))
    for title in ("Learning cycles in vocational education", "What matters conversations in care homes",
                  "Plymouth family hubs: trust and autonomy"):
        assert title in experiments
    experiment = page_text(client.get("/experiments/plymouth-family-hubs"))
    assert "the referral form" in experiment.lower() and "Launch" in experiment and "Open challenges: " in experiment
    workshops = page_text(client.get("/workshops"))
    assert "Experiment design workshop 3: cycle 3 plans" in workshops and "Launch" in workshops
    with app.app_context():
        from forum.workshops.models import Nomination

        assert db.session.execute(select(func.count(Nomination.id))).scalar_one() == 2
        assert db.session.execute(
            select(Topic.title).where(Topic.is_pinned.is_(True), Topic.title.like("Cycle 3%"))
        ).scalar_one()


def test_run_jobs_folds_views_and_sends_reminders(app, client, make):
    from datetime import UTC, datetime, timedelta

    from forum.board.models import Visibility
    from forum.bookmarks.models import Bookmark

    aino = make.user("aino")
    topic_id = make.topic(aino, make.category("Open", visibility=Visibility.PUBLIC))
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        post_id = db.session.execute(select(Post.id).where(Post.topic_id == topic_id)).scalar_one()
        db.session.add(Bookmark(user_id=aino, post_id=post_id, reminder_at=datetime.now(UTC) - timedelta(minutes=1)))
        db.session.commit()
    client.get(f"/t/{topic.slug}/{topic.id}")
    result = app.test_cli_runner().invoke(args=["forum", "run-jobs"])
    assert result.exit_code == 0, result.output
    assert "board.fold_view_counts: 1" in result.output and "bookmarks.send_reminders: 1" in result.output
