"""A digest run for 5,000 members over a 20,000-post community: total time and SQL statements (target: 60 s).

Loads a community (bench/community.py) into a fresh database, then gives the members what a real forum has:
most have been away for one to six weeks and some came back yesterday (they get no digest); most keep the
weekly default, some chose daily, a few turned digests off or live in another time zone; one category is for
an experiment team only. Then runs the hour at which the weekly digests are due, as the worker would
(`mail.digests`), with the outbox's delivery left out (messages are queued, not sent).

    .venv/bin/python bench/digest.py [--members N] [--posts N] [--database-url URL] [--reset] [--reuse]

SQLite under bench/out/ by default; PostgreSQL with --database-url or DATABASE_URL (emptied only with --reset).
"""

import argparse
import os
import random
import re
import secrets
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import community
import flask_migrate
from sqlalchemy import event, func, insert, select, text, update

from forum import create_app
from forum.auth.models import Group, User, group_members
from forum.board.models import Category, Post, Visibility, category_groups
from forum.extensions import db
from forum.mail.digest import run_digests
from forum.mail.models import DigestFrequency, DigestRun, EmailPreferences
from forum.mail.outbox import OutboxEmail

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_URL = f"sqlite:///{OUT / 'digest.sqlite'}"
TARGET_SECONDS = 60


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL),
                        help="a database for the benchmark alone (default: DATABASE_URL, else SQLite under bench/out/)")
    parser.add_argument("--reset", action="store_true", help="empty a --database-url that already has tables")
    parser.add_argument("--reuse", action="store_true", help="run again over the community already loaded")
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--posts", type=int, default=20_000)
    return parser.parse_args()


def make_app(url: str):
    instance = OUT / "digest-instance"
    return create_app({
        "SQLALCHEMY_DATABASE_URI": re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url),
        "INSTANCE_PATH": str(instance), "SECRET_KEY": secrets.token_hex(32), "RATELIMIT_ENABLED": False,
        "FORUM_OUTBOX_DIR": str(instance / "outbox"),
    })


def run_hour():
    """The first Monday 08:00 UTC after the newest post: a weekly run with a month of activity behind it."""
    newest = db.session.execute(select(func.max(Post.created_at))).scalar_one()
    day = newest.replace(hour=8, minute=5, second=0, microsecond=0) + timedelta(days=1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def shape_members(now, rng: random.Random) -> Counter:
    """Visits, digest choices, zones and an experiment team, written in bulk."""
    members = db.session.execute(select(User.id).order_by(User.id)).scalars().all()
    kinds, seen, preferences = Counter(), [], []
    for user_id in members:
        returned = rng.random() < 0.15
        seen.append({"id": user_id, "last_seen_at": now - timedelta(hours=rng.randint(2, 30) if returned
                                                                  else rng.randint(7 * 24, 42 * 24))})
        choice = rng.random()
        if choice < 0.25:
            preferences.append({"user_id": user_id, "digest": DigestFrequency.DAILY})
            kinds["daily"] += 1
        elif choice < 0.30:
            preferences.append({"user_id": user_id, "digest": DigestFrequency.OFF})
            kinds["off"] += 1
        else:
            kinds["weekly (default)"] += 1
        kinds["came back lately"] += returned
    db.session.execute(update(User), seen)
    db.session.execute(insert(EmailPreferences), preferences)
    others = rng.sample(members, len(members) // 10)
    db.session.execute(update(User).where(User.id.in_(others)).values(timezone="Asia/Tokyo"))
    kinds["in Tokyo (not due)"] = len(others)
    team = Group(name="Experiment team", slug="experiment-team")
    db.session.add(team)
    db.session.flush()
    db.session.execute(insert(group_members), [{"group_id": team.id, "user_id": u} for u in rng.sample(members, 300)])
    logs = db.session.execute(select(Category).where(Category.name == "Experiment logs")).scalar_one()
    logs.visibility = Visibility.GROUPS
    db.session.execute(insert(category_groups).values(category_id=logs.id, group_id=team.id))
    db.session.commit()
    return kinds


def load(app, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    with app.app_context():
        community.empty_database(args.database_url, DEFAULT_URL, args.reset)
        flask_migrate.upgrade()
        made = community.load(args.members, args.posts, long_topic_posts=100)
        kinds = shape_members(run_hour(), random.Random(11))
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
    print(f"Loaded {args.posts} posts, {made['topics']} topics, {made['members']} members in "
          f"{time.perf_counter() - started:.1f} s; members: " + ", ".join(f"{k} {n}" for k, n in kinds.items()))


class NoQueue:
    """Delivery is measured by bench/outbox.py: here messages stay queued in the outbox."""

    def enqueue_job(self, *args):
        pass


def measure(app) -> None:
    app.extensions["forum_queue"] = NoQueue()
    statements = Counter()
    with app.app_context():
        now = run_hour()
        db.session.execute(DigestRun.__table__.delete())
        db.session.execute(text("DELETE FROM digests_sent"))
        db.session.execute(OutboxEmail.__table__.delete())
        db.session.execute(update(EmailPreferences).values(last_digest_at=None))
        db.session.commit()
        engine = db.engine

        def record(_conn, _cursor, statement, *_args) -> None:
            statements[" ".join(statement.split()[:4])[:60]] += 1

        event.listen(engine, "before_cursor_execute", record)
        started = time.perf_counter()
        run_digests(now)
        elapsed = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", record)
        done = db.session.execute(select(DigestRun)).scalar_one()
        members = db.session.execute(select(func.count(User.id))).scalar_one()
        queued = db.session.execute(select(func.count(OutboxEmail.id))).scalar_one()
    total = sum(statements.values())
    print(f"Digest run for {now:%Y-%m-%d %H:00} UTC over {members} members ({engine.dialect.name}): "
          f"{elapsed:.1f} s, {total} SQL statements; sent {done.sent}, skipped {done.skipped}, failed {done.failed}; "
          f"{queued} messages queued; {elapsed / members * 1000:.2f} ms per member "
          f"(target: under {TARGET_SECONDS} s)")
    print("Statements: " + ", ".join(f"{name} ×{n}" for name, n in statements.most_common(8)))


def main() -> None:
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app(args.database_url)
    if not args.reuse:
        load(app, args)
    measure(app)


if __name__ == "__main__":
    main()
