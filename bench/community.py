"""A large community for bench/topic_pages.py: members, categories, one very long topic, many ordinary ones.

Members, categories and the long topic go through the services (so reply targets and counters are the
real thing); the bulk of the posts is inserted in batches as rows shaped like `create_post`'s output
(posts, revisions, topic counters and featured posters, the posters' read states). Not reproduced in bulk:
notifications to watchers and mentioned members (each page counts a member's unread ones in one query).
"""

import random
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, inspect, select, text, update

from forum.auth import services as auth_services
from forum.auth.models import Role, User
from forum.board import services as board_services
from forum.board.models import Category, Post, PostRevision, Topic
from forum.core.markdown import render_markdown
from forum.core.models import utcnow
from forum.core.text import slugify
from forum.extensions import db
from forum.tracking.models import NotificationLevel, TopicUser


def empty_database(database_url: str, own_url: str, reset: bool) -> None:
    """Start from nothing: the benchmark's own SQLite file is replaced; another database is emptied only with
    --reset (`reset`), so that a benchmark never wipes a database it was pointed at by mistake."""
    if database_url != own_url and not reset and inspect(db.engine).get_table_names():
        sys.exit(f"{database_url} already has tables: pass --reset to empty it.")
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.engine.dispose()
        for suffix in ("", "-wal", "-shm", "-journal"):  # a stale WAL must not be replayed into the new file
            Path(db.engine.url.database + suffix).unlink(missing_ok=True)


PASSWORD = "bench password, not secret"
LONG_TITLE = "Peer-challenge experiment: the running log"
SMALL_TITLE = "A short question about workshop rooms"
SMALL_TOPIC_POSTS = 5
CATEGORIES = ["Experiments", "Workshops", "Methods and tools", "Reading group", "Noticeboard", "Off-topic"]
SENTENCES = [
    "We tried the new format with the second cohort and the discussion ran well past the hour.",
    "Most people preferred short written reflections to the long survey we used last spring.",
    "The facilitators met on Tuesday to compare notes on how the groups split the work.",
    "I am not sure the control group was really comparable, since half of them joined late.",
    "Could someone share the template for the weekly check-in? The old link is broken.",
    "It helped to name one person per table who keeps the time and writes the summary.",
    "Attendance dropped in the third week, as it did last year, then recovered after the break.",
    "The reading for next month is long, so we will split it into two sessions.",
    "We should write down what we changed between rounds, or nobody will remember in June.",
    "My impression is that the pairs who met in person kept going longer than the remote ones.",
    "Thanks for the summary; it matches what we saw in our group almost exactly.",
    "The room on the second floor has a projector but no whiteboard, so bring paper.",
]
FLOURISHES = [
    "**Next step:** collect the forms by Friday.",
    "See [the shared notes](https://example.org/notes) for the raw numbers.",
    "> What would we do differently if we started again tomorrow?",
    "- shorter sessions\n- one clear question per meeting\n- notes within a day",
    "The script is `tally.py`; run it with the *exported* sheet, not the live one.",
    "| Group | Sessions | Kept going |\n|---|---|---|\n| A | 8 | 6 |\n| B | 8 | 3 |",
]


def post_text(rng: random.Random) -> str:
    """2–6 paragraphs of 1–4 sentences, with a Markdown flourish now and then."""
    paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(1, 4))) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.6:
        paragraphs.insert(rng.randint(0, len(paragraphs)), rng.choice(FLOURISHES))
    return "\n\n".join(paragraphs)


def create_members(count: int) -> tuple[User, list[User]]:
    """An admin and one member through the service; the rest share one password hash (argon2 is slow)."""
    admin = auth_services.create_user(
        username="benchadmin", email="admin@bench.invalid", display_name="Bench Admin", password=PASSWORD,
        role=Role.ADMIN,
    )
    first = auth_services.create_user(
        username="member001", email="member001@bench.invalid", display_name="Member 1", password=PASSWORD
    )
    rows = [
        {"username": f"member{n:03d}", "username_key": f"member{n:03d}", "email": f"member{n:03d}@bench.invalid",
         "email_key": f"member{n:03d}@bench.invalid", "display_name": f"Member {n}",
         "password_hash": first.password_hash, "role": Role.MEMBER}
        for n in range(2, count + 1)
    ]
    db.session.execute(insert(User), rows)
    members = list(db.session.execute(select(User).where(User.role == Role.MEMBER).order_by(User.id)).scalars())
    return admin, members


def create_categories(admin: User) -> list[Category]:
    categories = [board_services.save_category(admin, None, name=name, position=i) for i, name in enumerate(CATEGORIES)]
    categories.append(board_services.save_category(admin, None, name="Experiment logs", parent=categories[0]))
    return categories


def service_topic(members: list[User], category: Category, title: str, posts: int, rng: random.Random) -> None:
    """A topic written post by post through the services; about a third of the posts answer a recent one."""
    topic = board_services.create_topic(rng.choice(members), category, title, post_text(rng))
    for number in range(2, posts + 1):
        reply_to = rng.randint(max(1, number - 30), number - 1) if rng.random() < 0.35 else None
        board_services.create_post(rng.choice(members), topic, post_text(rng), reply_to)
        if number % 200 == 0:
            db.session.commit()
    db.session.commit()


def _post_rows(rng: random.Random, size: int, posters: list[User], texts: list, start) -> list[dict]:
    rows, when = [], start
    for number in range(1, size + 1):
        author = posters[0] if number == 1 else rng.choice(posters)
        target = rows[rng.randint(max(0, number - 11), number - 2)] if number > 1 and rng.random() < 0.3 else None
        if target:
            target["reply_count"] += 1
        raw, cooked = rng.choice(texts)
        rows.append({
            "post_number": number, "user_id": author.id, "raw": raw, "cooked": cooked, "reply_count": 0,
            "reply_to_post_number": target["post_number"] if target else None,
            "reply_to_user_id": target["user_id"] if target else None, "version": 1, "created_at": when,
        })
        when += timedelta(minutes=rng.randint(5, 900))
    return rows


def _featured(posts: list[dict]) -> str:
    """The five most active posters, first poster first among equals, as create_post keeps them."""
    counts = Counter(p["user_id"] for p in posts)
    first = {}
    for p in posts:
        first.setdefault(p["user_id"], p["post_number"])
    return ",".join(str(u) for u in sorted(counts, key=lambda u: (-counts[u], first[u]))[:5])


def _topic_row(rng: random.Random, category: Category, posts: list[dict]) -> dict:
    title = f"{rng.choice(['Notes on', 'Question about', 'Ideas for', 'Report:'])} {rng.choice(SENTENCES)[:60]}"
    last = posts[-1]
    return {
        "category_id": category.id, "title": title, "slug": slugify(title), "user_id": posts[0]["user_id"],
        "created_at": posts[0]["created_at"], "bumped_at": last["created_at"], "last_post_at": last["created_at"],
        "last_post_user_id": last["user_id"], "post_count": len(posts), "highest_post_number": len(posts),
        "participant_count": len({p["user_id"] for p in posts}), "featured_user_ids": _featured(posts),
        "is_pinned": rng.random() < 0.01,
    }


def _read_states(topic_id: int, posts: list[dict]) -> list[dict]:
    """Each poster has read up to their own last post and follows the topic (create_post's note_own_post)."""
    states: dict[int, dict] = {}
    for p in posts:
        state = states.setdefault(p["user_id"], {
            "user_id": p["user_id"], "topic_id": topic_id, "first_visited_at": p["created_at"],
            "notification_level": NotificationLevel.WATCHING if p["post_number"] == 1 else NotificationLevel.TRACKING,
        })
        state.update(last_read_post_number=p["post_number"], last_visited_at=p["created_at"])
    return list(states.values())


def _insert_batch(batch: list[tuple[dict, list[dict]]]) -> None:
    topic_ids = db.session.execute(
        insert(Topic).returning(Topic.id, sort_by_parameter_order=True), [topic for topic, _ in batch]
    ).scalars().all()
    posts = [{**post, "topic_id": tid} for tid, (_, rows) in zip(topic_ids, batch, strict=True) for post in rows]
    post_ids = db.session.execute(
        insert(Post).returning(Post.id, sort_by_parameter_order=True), posts
    ).scalars().all()
    revisions = [
        {"post_id": pid, "version": 1, "raw": p["raw"], "user_id": p["user_id"], "created_at": p["created_at"]}
        for pid, p in zip(post_ids, posts, strict=True)
    ]
    db.session.execute(insert(PostRevision), revisions)
    reads = [state for tid, (_, rows) in zip(topic_ids, batch, strict=True) for state in _read_states(tid, rows)]
    db.session.execute(insert(TopicUser), reads)
    db.session.commit()


def bulk_topics(members: list[User], categories: list[Category], total_posts: int, rng: random.Random) -> int:
    """Ordinary topics (1–60 posts, ~15 on average) over the past year, inserted in batches; returns their number."""
    texts = [(raw, render_markdown(raw)) for raw in {post_text(rng) for _ in range(300)}]
    year_ago, left, batch, made = utcnow() - timedelta(days=365), total_posts, [], 0
    while left > 0:
        size = min(left, 60, 1 + int(rng.expovariate(1 / 14)))
        posters = rng.sample(members, rng.randint(1, min(12, size)))
        posts = _post_rows(rng, size, posters, texts, year_ago + timedelta(minutes=rng.randint(0, 500_000)))
        batch.append((_topic_row(rng, rng.choice(categories), posts), posts))
        left, made = left - size, made + 1
        if len(batch) == 100 or left == 0:
            _insert_batch(batch)
            batch = []
    return made


def fix_category_counts() -> None:
    visible = (Topic.category_id == Category.id) & Topic.deleted_at.is_(None)
    db.session.execute(
        update(Category).values(
            topic_count=select(func.count(Topic.id)).where(visible).scalar_subquery(),
            post_count=select(func.coalesce(func.sum(Topic.post_count), 0)).where(visible).scalar_subquery(),
        )
    )
    db.session.commit()


def load(members: int, posts: int, long_topic_posts: int, seed: int = 7) -> dict:
    """Fill an empty (migrated) database; call inside an app context. Returns what was made."""
    rng = random.Random(seed)
    admin, people = create_members(members)
    categories = create_categories(admin)
    db.session.commit()
    service_topic(people, categories[0], LONG_TITLE, long_topic_posts, rng)
    service_topic(people, categories[0], SMALL_TITLE, SMALL_TOPIC_POSTS, rng)
    topics = bulk_topics(people, categories, posts - long_topic_posts - SMALL_TOPIC_POSTS, rng)
    fix_category_counts()
    return {"members": len(people) + 1, "categories": len(categories), "topics": topics + 2}
