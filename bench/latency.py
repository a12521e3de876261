"""Topic page latency under gunicorn while members post: p50/p99 of the 1,000-post topic for a logged-in member.

Loads the community of bench/topic_pages.py into a SQLite file of its own (or --reuse it), builds the search
index (as `make run` does), serves the forum with `gunicorn -w 2` and, where the forum has one, its background
worker (`flask forum worker`, as `make run` starts it). Then, for --duration seconds, a logged-in member asks
for page 1 and the last page of the long topic in turn at a fixed --rate, while other members post a reply to
the small topic every --post-every seconds (what queues search indexing, notifications and mail). Requests
are sent on a fixed schedule and latency is counted from when each was due, so a stalled server shows up in
the tail instead of slowing the client down.

    .venv/bin/python bench/latency.py [--duration 60] [--rate 10] [--post-every 1] [--reuse]
"""

import argparse
import contextlib
import fcntl
import http.client
import itertools
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

import community
import topic_pages as tp

URL = f"sqlite:///{tp.OUT / 'latency.sqlite'}"
INDEX_DIR = tp.OUT / "instance" / "latency-index"
POSTERS = ("member002", "member003", "member004", "member005")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="measure the community already loaded (and indexed)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--rate", type=float, default=10, help="topic page requests per second (default 10)")
    parser.add_argument("--threads", type=int, default=4, help="client threads for the page requests (default 4)")
    parser.add_argument("--post-every", type=float, default=1.0, help="seconds between replies; 0 for none")
    parser.add_argument("--no-worker", action="store_true", help="do not start `flask forum worker` beside gunicorn")
    return parser.parse_args()


def login_cookie(app, username: str) -> str:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = tp.USER_AGENT
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"login": username, "password": community.PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        sys.exit(f"Logging in as {username} failed: {response.status_code}")
    client.get("/latest")
    return f"session={client.get_cookie('session').value}"


def request(port: int, method: str, path: str, headers: dict, body: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def worker_process(env: dict):
    """`flask forum worker` where the revision has one (the background jobs); None before it existed."""
    help_text = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "forum", "--help"], check=False,
                               cwd=tp.ROOT, env=env, capture_output=True, text=True).stdout
    if not re.search(r"^\s+worker\b", help_text, re.MULTILINE):
        return None
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "forum", "worker"], cwd=tp.ROOT, env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    args = parse_args()
    tp.OUT.mkdir(parents=True, exist_ok=True)
    lock = (tp.OUT / "topic_pages.lock").open("w")  # the same lock as bench/topic_pages.py: one at a time
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit("Another benchmark is running (bench/out/topic_pages.lock); try again when it ends.")
    load_args = argparse.Namespace(database_url=URL, reset=False, members=200, posts=20_000, long_topic_posts=1_000)
    tp.DEFAULT_URL = URL  # our own SQLite file: empty_database replaces it without --reset
    # The same index for this process's app as for the server's: a forum whose requests still ran the periodic
    # jobs would otherwise start building a missing one in the middle of the measurement.
    os.environ["FORUM_SEARCH_INDEX_DIR"] = str(INDEX_DIR)
    app = tp.make_app(URL)
    env = tp.server_env(URL)
    env["FORUM_SEARCH_INDEX_DIR"] = str(INDEX_DIR)
    env["FORUM_OUTBOX_DIR"] = str(tp.OUT / "instance" / "latency-outbox")
    if not args.reuse:
        tp.load_community(app, load_args)
        shutil.rmtree(INDEX_DIR, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "forum", "search-reindex"], cwd=tp.ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
        print(f"Search index built in {time.perf_counter() - started:.1f} s")
    paths = dict(tp.page_paths(app))
    labels = [label for label in paths if label.startswith(("long topic (", "long topic, last"))]
    small_reply = next(p for label, p in paths.items() if label.startswith("small topic (")).split("?")[0] + "/reply"
    reader = {"User-Agent": tp.USER_AGENT, "Cookie": login_cookie(app, "member001")}
    posters = [{"User-Agent": tp.USER_AGENT, "Cookie": login_cookie(app, name)} for name in POSTERS]

    worker = None if args.no_worker else worker_process(env)
    try:
        measured = measure(args, paths, labels, small_reply, reader, posters, env)
    finally:
        if worker is not None:
            stop(worker)
    report(args, worker is not None, labels, *measured)
    with contextlib.suppress(Exception):
        lock.close()


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def measure(args, paths, labels, small_reply, reader, posters, env):
    results: list[tuple[str, float, float, int]] = []  # (label, latency from due time, service time, status)
    post_times: list[float] = []
    errors: list[str] = []
    with tp.gunicorn("wsgi:app", tp.ROOT, env) as port:
        for label in labels:
            tp.check_page(port, paths[label], reader)
        for _ in range(20):  # warm both workers
            request(port, "GET", paths[labels[0]], reader)
        load = "/".join(f"{n:.1f}" for n in os.getloadavg())
        start = time.monotonic() + 0.5
        end = start + args.duration
        counter = itertools.count()
        counter_lock = threading.Lock()

        def read_loop() -> None:
            while True:
                with counter_lock:
                    n = next(counter)
                due = start + n / args.rate
                if due >= end:
                    return
                time.sleep(max(0.0, due - time.monotonic()))
                label = labels[n % len(labels)]
                began = time.monotonic()
                try:
                    status, _ = request(port, "GET", paths[label], reader)
                except OSError as error:
                    errors.append(f"{label}: {error}")
                    continue
                done = time.monotonic()
                results.append((label, done - due, done - began, status))

        def post_loop() -> None:
            for n in itertools.count():
                due = start + (n + 0.5) * args.post_every
                if due >= end:
                    return
                time.sleep(max(0.0, due - time.monotonic()))
                headers = posters[n % len(posters)]
                try:
                    status, body = request(port, "GET", small_reply, headers)
                    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
                    began = time.monotonic()
                    text = f"Reply {n} from the latency bench: the room on the third floor works, @member001."
                    form = urllib.parse.urlencode({"csrf_token": token, "raw": text})
                    status, _ = request(port, "POST", small_reply,
                                        {**headers, "Content-Type": "application/x-www-form-urlencoded"}, form)
                    post_times.append(time.monotonic() - began)
                    if status != 302:
                        errors.append(f"reply answered {status}")
                except (OSError, AttributeError) as error:
                    errors.append(f"reply: {error!r}")

        threads = [threading.Thread(target=read_loop) for _ in range(args.threads)]
        if args.post_every > 0:
            threads.append(threading.Thread(target=post_loop))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return load, results, post_times, errors


def report(args, with_worker, labels, load, results, post_times, errors) -> None:
    print(f"\nSQLite, gunicorn -w 2{' + flask forum worker' if with_worker else ''}, {args.duration:.0f} s at "
          f"{args.rate:g} req/s ({args.threads} client threads), a reply every {args.post_every:g} s, "
          f"{os.cpu_count()} CPUs, load average {load} before measuring")
    print(f"{'page (latency from due time, ms)':<36} {'n':>5} {'p50':>7} {'p90':>7} {'p99':>7} {'p99.9':>7} {'max':>7}")
    for label in [*labels, "both"]:
        rows = [r for r in results if label in ("both", r[0])]
        if not rows:
            continue
        ms = [r[1] * 1000 for r in rows]
        print(f"{label:<36} {len(ms):>5} {percentile(ms, 50):>7.1f} {percentile(ms, 90):>7.1f} {percentile(ms, 99):>7.1f}"
              f" {percentile(ms, 99.9):>7.1f} {max(ms):>7.1f}")
    service = [r[2] * 1000 for r in results]
    if service:
        print(f"{'(service time only, both pages)':<36} {len(service):>5} {percentile(service, 50):>7.1f} "
              f"{percentile(service, 90):>7.1f} {percentile(service, 99):>7.1f} {percentile(service, 99.9):>7.1f} "
              f"{max(service):>7.1f}")
    if post_times:
        ms = [t * 1000 for t in post_times]
        print(f"{'replies posted (POST, ms)':<36} {len(ms):>5} {statistics.median(ms):>7.1f} {percentile(ms, 90):>7.1f}"
              f" {percentile(ms, 99):>7.1f} {'':>7} {max(ms):>7.1f}")
    bad = [r for r in results if r[3] != 200]
    if bad or errors:
        print(f"Not 200: {len(bad)}; errors: {len(errors)} {errors[:3]}")


if __name__ == "__main__":
    main()
