"""Topic pages of a large community: SQL statements per request, and requests/second under gunicorn.

Loads a community (bench/community.py) into a fresh database, counts the statements each page runs for a
logged-in member (they must not grow with the topic), then serves the forum and a bare Flask app
(bench/hello.py) with `gunicorn -w 2` and measures every page with `wrk` on 127.0.0.1.

    .venv/bin/python bench/topic_pages.py [--database-url URL] [--posts N] [--long-topic-posts N] [--duration S]
"""

import argparse
import contextlib
import fcntl
import http.client
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import community
import flask_migrate
from sqlalchemy import event, select, text

from forum import create_app
from forum.board.models import Category, Topic
from forum.extensions import db

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_URL = f"sqlite:///{OUT / 'topic_pages.sqlite'}"
USER_AGENT = "fellowship-bench"
SECRET_KEY = secrets.token_hex(32)
MAX_QUERIES = 12


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL,
                        help="a database for the benchmark alone (default: a SQLite file under bench/out/)")
    parser.add_argument("--reset", action="store_true", help="empty a --database-url that already has tables")
    parser.add_argument("--reuse", action="store_true", help="measure the community already loaded")
    parser.add_argument("--posts", type=int, default=20_000, help="posts in total (default 20000)")
    parser.add_argument("--long-topic-posts", type=int, default=1_000, help="posts in the long topic (default 1000)")
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (default 10)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of wrk per page, the best counts (default 2)")
    parser.add_argument("--show-sql", action="store_true", help="print the statements of each page")
    args = parser.parse_args()
    if args.long_topic_posts + community.SMALL_TOPIC_POSTS > args.posts:
        parser.error("--posts must be larger than --long-topic-posts")
    if min(args.rounds, args.duration, args.members - 11, args.long_topic_posts) < 1:
        parser.error("--rounds, --duration and --long-topic-posts must be positive, --members at least 12")
    return args


def sqlalchemy_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def make_app(url: str):
    instance = OUT / "instance"
    return create_app({
        "SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url), "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_ENABLED": False, "FORUM_OUTBOX_DIR": str(instance / "outbox"),
        # The fold of pending view counts (a few statements, every 10 s per worker) is left out of the counts.
        "FORUM_VIEW_FLUSH_SECONDS": 24 * 3600.0,
    })


def empty_database(args: argparse.Namespace) -> None:
    community.empty_database(args.database_url, DEFAULT_URL, args.reset)


def load_community(app, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    with app.app_context():
        empty_database(args)
        flask_migrate.upgrade()
        made = community.load(args.members, args.posts, args.long_topic_posts)
        if db.engine.dialect.name == "postgresql":
            # What autovacuum would soon do: without statistics the planner sorts every topic for /latest.
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
    print(f"Loaded {args.posts} posts ({args.long_topic_posts} in the long topic), {made['topics']} topics, "
          f"{made['categories']} categories, {made['members']} members in {time.perf_counter() - started:.1f} s")


def page_paths(app) -> list[tuple[str, str]]:
    """(label, path) of every page measured, found in the loaded data."""
    per_page = app.config["FORUM_POSTS_PER_PAGE"]
    with app.app_context():
        topics = {title: db.session.execute(select(Topic).where(Topic.title == title)).scalar_one()
                  for title in (community.LONG_TITLE, community.SMALL_TITLE)}
        slug = db.session.execute(select(Category.slug).where(Category.id == topics[community.LONG_TITLE].category_id))
        paths = [("/latest", "/latest"), ("category page", f"/c/{slug.scalar_one()}")]
        for name, topic in zip(("long", "small"), topics.values(), strict=True):
            base = f"/t/{topic.slug}/{topic.id}"
            last = math.ceil(topic.highest_post_number / per_page)
            # An explicit ?page=1: without it a returning member is sent on to their first unread post.
            paths += [(f"{name} topic ({topic.post_count} posts), page 1", f"{base}?page=1"),
                      (f"{name} topic, last page ({last})", f"{base}?page={last}"),
                      (f"{name} topic, threaded page 1", f"{base}?view=threaded")]
    return paths


def logged_in_client(app):
    """A test client logged in as a member through the login form (CSRF token and all)."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"login": "member001", "password": community.PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        sys.exit(f"Logging in failed: {response.status_code}")
    client.get("/latest")  # puts a CSRF token into the session, as a browser's first page would
    return client


def count_statements(app, client, path: str) -> list[str]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    client.get(path)  # warm-up: the first request of a process does one-off work
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return statements


@contextlib.contextmanager
def gunicorn(target: str, cwd: Path, env: dict):
    """Serve `target` with two sync workers on a free loopback port for the duration of the block."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", target]
    # A process group of its own, so that the master and its workers are stopped together; a TERM to the
    # benchmark (a time-out, `kill`) unwinds like Ctrl-C, so that the server is stopped on the way out.
    process = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True)
    previous_handler = signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"gunicorn {target} did not start")
            time.sleep(0.2)
        yield port
    finally:
        stop_process_group(process)
        signal.signal(signal.SIGTERM, previous_handler)


def stop_process_group(process: subprocess.Popen) -> None:
    """TERM the whole group (gunicorn's master and workers), KILL what is left after 30 s, and wait until
    none of it runs: a worker orphaned to init would go on serving after the benchmark."""
    group = process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while _group_alive(group) and time.monotonic() < deadline:
        process.poll()
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    process.wait(timeout=10)
    while _group_alive(group):
        time.sleep(0.05)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def check_page(port: int, path: str, headers: dict) -> None:
    """The page must answer 200 to the session cookie (a redirect to /login would also look fine to wrk)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        status = connection.getresponse().status
    finally:
        connection.close()
    if status != 200:
        raise RuntimeError(f"{path} answered {status} under gunicorn")


def wrk(port: int, path: str, headers: dict, duration: int) -> float:
    check_page(port, path, headers)
    command = ["wrk", "-t2", "-c8", f"-d{duration}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", output)
    if bad:
        print(f"  wrk {path}: {bad.group(0)}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def server_env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "FORUM_SECURE_COOKIES"}
    env.update(DATABASE_URL=url, SECRET_KEY=SECRET_KEY, RATELIMIT_ENABLED="false",
               FORUM_OUTBOX_DIR=str(OUT / "instance" / "outbox"), FORUM_SEARCH_INDEX_DIR=str(OUT / "instance" / "index"))
    return env


def throughput(paths: list[str], cookie: str, args: argparse.Namespace) -> tuple[float, dict[str, float]]:
    """Requests/second of the bare Flask app and of each page: the best of --rounds runs, taken in turn, so
    that a burst of other work on the machine does not decide a figure."""
    env = server_env(args.database_url)
    headers = {"User-Agent": USER_AGENT, "Cookie": cookie}
    best = dict.fromkeys(["/hello", *paths], 0.0)
    with gunicorn("hello:app", ROOT / "bench", env) as hello_port, gunicorn("wsgi:app", ROOT, env) as port:
        for _ in range(args.rounds):
            best["/hello"] = max(best["/hello"], wrk(hello_port, "/", {"User-Agent": USER_AGENT}, args.duration))
            for path in paths:
                best[path] = max(best[path], wrk(port, path, headers, args.duration))
    return best.pop("/hello"), best


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    lock = (OUT / "topic_pages.lock").open("w")  # held until exit: two runs would share a CPU and a database
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit("Another bench/topic_pages.py is running (bench/out/topic_pages.lock); try again when it ends.")
    app = make_app(args.database_url)
    if not args.reuse:
        load_community(app, args)
    pages = page_paths(app)
    client = logged_in_client(app)
    counts = {}
    for label, path in pages:
        statements = count_statements(app, client, path)
        counts[path] = len(statements)
        if args.show_sql:
            print(f"\n{label}: {path}\n  " + "\n  ".join(" ".join(s.split())[:160] for s in statements))
    cookie = f"session={client.get_cookie('session').value}"
    load = "/".join(f"{n:.1f}" for n in os.getloadavg())
    hello, rates = throughput(list(dict.fromkeys(path for _, path in pages)), cookie, args)
    print(f"\n{db_name(args.database_url)}, gunicorn -w 2, wrk -t2 -c8 -d{args.duration}s best of {args.rounds}, "
          f"{os.cpu_count()} CPUs, load average {load} before measuring (other work on the machine skews req/s)")
    print(f"{'page':<42} {'queries':>7} {'req/s':>8} {'% hello':>8}")
    for label, path in pages:
        print(f"{label:<42} {counts[path]:>7} {rates[path]:>8.1f} {100 * rates[path] / hello:>7.1f}%")
    print(f"{'hello world (bare Flask)':<42} {'-':>7} {hello:>8.1f} {100.0:>7.1f}%")
    too_many = [path for path in counts if counts[path] > MAX_QUERIES]
    if too_many:
        sys.exit(f"More than {MAX_QUERIES} queries: {', '.join(too_many)}")


def db_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


if __name__ == "__main__":
    main()
