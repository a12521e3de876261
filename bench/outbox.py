"""Outbox delivery throughput: messages/second from the outbox table to an SMTP server on loopback (aiosmtpd).

Queues N messages of a typical notification's size (text and HTML parts, threading and List-Unsubscribe
headers) in a fresh database, then delivers them the way the worker does (`deliver_due` in batches, one or
more workers at once), and compares with smtplib sending the same messages over one connection with no
database at all (what the SMTP exchange alone costs here). Prints figures; asserts nothing but that every
message arrived exactly once.

    .venv/bin/python bench/outbox.py [--messages N] [--batch N] [--workers N] [--database-url URL] [--reset]

SQLite under bench/out/ by default; PostgreSQL with --database-url or DATABASE_URL (emptied only with --reset).
"""

import argparse
import os
import re
import secrets
import smtplib
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import community
import flask_migrate
from aiosmtpd.controller import Controller
from sqlalchemy import event, select

from forum import create_app
from forum.extensions import db
from forum.mail import outbox

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_URL = f"sqlite:///{OUT / 'outbox.sqlite'}"

PARAGRAPH = ("Thanks for the write-up of Tuesday's session. We tried the same exercise with the second cohort "
             "and the timings came out close to yours; the notes are in the shared folder. ")
TEXT = "Aino Aalto replied to your post in \"Workshop notes\":\n\n" + PARAGRAPH * 8
HTML = (
    "<!doctype html><html><body><table role=\"presentation\" style=\"width:100%;max-width:600px\"><tr><td "
    "style=\"font-family:sans-serif;font-size:16px;line-height:1.5;color:#1f2430\">"
    + "".join(f"<p style=\"margin:0 0 12px\">{PARAGRAPH}</p>" for _ in range(8))
    + "<p style=\"font-size:13px;color:#5b6270\"><a href=\"https://forum.example/my/email#email-replies\" "
      "style=\"color:#3b6ea5\">Change your email preferences</a></p></td></tr></table></body></html>"
)


class CountingInbox:
    """Keeps only each message's Message-ID: the server's side costs as little as possible."""

    def __init__(self):
        self.ids: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.original_content, re.M | re.I)
        with self._lock:
            self.ids.append(found.group(1).decode() if found else "")
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2_000, help="messages to deliver (default 2000)")
    parser.add_argument("--batch", type=int, default=50, help="messages per deliver_due run (default 50, the job's)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="workers delivering at once, one measured run per number (default: 1 2)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL,
                        help="default: DATABASE_URL, else a SQLite file under bench/out/")
    parser.add_argument("--reset", action="store_true", help="empty a --database-url that already has tables")
    args = parser.parse_args()
    if min(args.messages, args.batch, *args.workers) < 1:
        parser.error("--messages, --batch and --workers must be positive")
    return args


def make_app(url: str, port: int):
    instance = OUT / "instance"
    return create_app({
        "SQLALCHEMY_DATABASE_URI": re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url),
        "INSTANCE_PATH": str(instance), "SECRET_KEY": secrets.token_hex(32), "RATELIMIT_ENABLED": False,
        "FORUM_OUTBOX_DIR": str(instance / "outbox"), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
        "MAIL_TIMEOUT": 10.0,
    })


def fresh_database(args: argparse.Namespace) -> None:
    community.empty_database(args.database_url, DEFAULT_URL, args.reset)
    flask_migrate.upgrade()


def queue_all(app, count: int) -> float:
    """Queue `count` messages as mail subscribers do (within their cause's transaction); seconds taken."""
    outbox_enqueue = outbox.enqueue_after_commit
    outbox.enqueue_after_commit = lambda session, name, *args: None  # the benchmark runs the deliveries itself
    started = time.perf_counter()
    try:
        with app.test_request_context():
            for start in range(0, count, 100):
                for n in range(start, min(start + 100, count)):
                    outbox.queue_message(
                        f"member{n}@example.org", f"Aino Aalto replied to your post ({n})", TEXT, HTML,
                        kind="replies",
                        headers={
                            "In-Reply-To": f"<topic-{n % 40}@fellowship.localhost>",
                            "References": f"<topic-{n % 40}@fellowship.localhost>",
                            "List-Unsubscribe": f"<https://forum.example/email/unsubscribe/token{n}>",
                            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                        },
                    )
                db.session.commit()
    finally:
        outbox.enqueue_after_commit = outbox_enqueue
    return time.perf_counter() - started


def deliver_all(app, workers: int, batch: int) -> tuple[float, int, int]:
    """Workers each run deliver_due until nothing is due; (seconds, sent, SQL statements)."""
    sent = Counter()
    statements = Counter()

    def count_statement(*_args):
        statements[threading.get_ident()] += 1

    def worker():
        with app.app_context():
            while True:
                delivered, failed = outbox.deliver_due(batch)
                sent[threading.get_ident()] += delivered
                if failed:
                    raise RuntimeError(f"{failed} deliveries failed")
                if not delivered:
                    break
            db.session.remove()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count_statement)
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    started = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        event.remove(engine, "before_cursor_execute", count_statement)
    return time.perf_counter() - started, sum(sent.values()), sum(statements.values())


def smtp_alone(app, port: int, count: int) -> float:
    """The same messages built as the outbox builds them and sent over one smtplib connection, with no
    database: the ceiling (what building a MIME message and the SMTP exchange cost here)."""
    with app.app_context():
        rows = list(db.session.execute(
            select(outbox.OutboxEmail).order_by(outbox.OutboxEmail.id).limit(count)).scalars())
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as connection:
            for row in rows:
                connection.sendmail("forum@localhost", [row.recipient], outbox._build(row).as_bytes())
        return time.perf_counter() - started


def main() -> None:
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    inbox = CountingInbox()
    port = free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    app = make_app(args.database_url, port)
    try:
        with app.app_context():
            dialect = db.engine.dialect.name
        print(f"Outbox delivery to aiosmtpd on 127.0.0.1, {dialect}, {args.messages} messages "
              f"(text {len(TEXT)} B + HTML {len(HTML)} B), deliver_due batches of {args.batch}")
        for workers in args.workers:
            with app.app_context():
                fresh_database(args)
            inbox.ids.clear()
            queued = queue_all(app, args.messages)
            seconds, sent, statements = deliver_all(app, workers, args.batch)
            repeats = sum(n - 1 for n in Counter(inbox.ids).values() if n > 1)
            print(f"  {workers} worker(s): queued at {args.messages / queued:,.0f} msg/s; delivered {sent} in "
                  f"{seconds:.2f} s = {sent / seconds:,.0f} msg/s, {statements / max(sent, 1):.1f} SQL "
                  f"statements per message; arrived {len(inbox.ids)}, {repeats} twice")
        inbox.ids.clear()
        seconds = smtp_alone(app, port, args.messages)
        print(f"  built and sent by smtplib alone, one connection, no database: {args.messages / seconds:,.0f} msg/s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
