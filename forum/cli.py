"""`flask --app wsgi forum …` commands."""

import os
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy import select

from forum.auth import services as auth_services
from forum.auth.models import Role, User
from forum.config import DEFAULT_HOST, DEFAULT_PORT, base_url_for
from forum.core.errors import DomainError
from forum.extensions import db

forum_cli = AppGroup("forum", help="Fellowship forum administration.")


@forum_cli.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--email", prompt=True)
@click.option("--display-name", prompt="Display name")
@click.password_option()
def create_admin(username: str, email: str, display_name: str, password: str) -> None:
    """Create an administrator account."""
    try:
        user = auth_services.create_user(
            username=username, email=email, display_name=display_name, password=password, role=Role.ADMIN
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Administrator {user.username} created.")


@forum_cli.command("load-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if the forum already has members.")
def load_demo(if_empty: bool) -> None:
    """Load the demo community (members, categories, topics) and print how to log in."""
    from forum.demo.content import EXAMPLE_LOGINS
    from forum.demo.loader import DEMO_PASSWORD, load_demo_community

    if if_empty and db.session.execute(select(User.id).limit(1)).first():
        found = db.session.execute(select(User).where(User.username_key.in_(EXAMPLE_LOGINS))).scalars()
        logins = sorted(found, key=lambda user: EXAMPLE_LOGINS.index(user.username_key))
        click.echo("The forum already has members; demo data not loaded again.")
    else:
        logins = load_demo_community()
        db.session.commit()
        click.echo("Demo community loaded.")
    if logins:
        base = current_app.config["FORUM_BASE_URL"]
        click.echo(f"Log in at {base}/login as one of these demo accounts (password: {DEMO_PASSWORD}):")
        for user in logins:
            click.echo(f"  {user.username:<12} {user.role.value:<12} {user.display_name}, {user.organisation or ''}")


@forum_cli.command("outbox-deliver")
def outbox_deliver() -> None:
    """Send queued email that is due (run from cron; failed messages are retried with back-off)."""
    from forum.mail.outbox import deliver_due

    sent, failed = deliver_due(limit=500)
    click.echo(f"{sent} sent, {failed} failed (will be retried).")


@forum_cli.command("run-jobs")
def run_jobs() -> None:
    """Run every periodic job once, now (view counts, reminders, reset links, uploads, search, mail)."""
    from forum.core.jobs import run_jobs as run

    for name, result in run().items():
        click.echo(f"{name}: {result}")


@forum_cli.command("worker")
@click.option("--threads", type=int, default=None, help="Jobs run at once (default FORUM_WORKER_THREADS).")
def worker(threads: int | None) -> None:
    """Run the background jobs: what requests enqueue, and the periodic jobs (one worker per host is enough)."""
    import logging

    from forum.core.worker import make_consumer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    logging.getLogger("huey").setLevel(logging.WARNING)  # not a line per job run; failures are still logged
    logging.getLogger("huey.consumer").setLevel(logging.INFO)
    app = current_app._get_current_object()
    consumer = make_consumer(app, threads or app.config["FORUM_WORKER_THREADS"])
    click.echo(f"Background worker started (pid {os.getpid()}), queue: {_queue_location(app)}.")
    consumer.run()


def _queue_location(app) -> str:
    from forum.core.worker import queue

    storage = queue(app).huey.storage
    return f"Redis, {storage.name}" if app.config["FORUM_JOBS_REDIS_URL"] else storage.filename


@forum_cli.command("serve")
@click.option("--host", envvar="FORUM_HOST", default=DEFAULT_HOST, show_default=True)
@click.option("--port", envvar="FORUM_PORT", default=DEFAULT_PORT, type=int, show_default=True)
def serve(host: str, port: int) -> None:
    """The embedded default (`make run`): the development web server and, beside it, one background worker
    process, stopped when the server stops. Links in mail point at this server unless FORUM_BASE_URL is set."""
    from werkzeug.serving import run_simple

    app = current_app._get_current_object()
    if not os.environ.get("FORUM_BASE_URL"):
        app.config["FORUM_BASE_URL"] = base_url_for(host, port)
    click.echo(f"Serving the forum at {app.config['FORUM_BASE_URL']}")
    app_path = click.get_current_context().find_object(ScriptInfo).app_import_path or "wsgi"
    # The worker writes the mail, so it must build its links to this server too.
    worker_env = {**os.environ, "FORUM_HOST": host, "FORUM_PORT": str(port)}
    child = subprocess.Popen([sys.executable, "-m", "flask", "--app", app_path, "forum", "worker"], env=worker_env)
    click.echo(f"Started the background worker (pid {child.pid}) beside the web server; it stops with it.")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that the worker is stopped below
    try:
        run_simple(host, port, app, threaded=True)
    finally:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
        click.echo("Background worker stopped.")


@forum_cli.command("search-reindex")
@click.option("--if-missing", is_flag=True,
              help="Only build the index if there is none, it is unreadable, or an upgrade changed its analysis.")
def search_reindex(if_missing: bool) -> None:
    """Rebuild the search index from the database, beside the live one, then swap it in (safe while live)."""
    from forum.search import backend
    from forum.search.documents import count_indexable_posts

    engine = backend.current()
    reason = engine.rebuild_reason()
    if if_missing and reason is None:
        click.echo("The search index is in place; nothing to do.")
        return
    if reason:
        click.echo(f"The search index is {reason}.")
    total = count_indexable_posts()
    try:
        with click.progressbar(length=total, label="Indexing posts", show_pos=True) as bar:
            written = engine.rebuild(progress=bar.update)
    except backend.RebuildInProgress as error:
        raise click.ClickException(str(error)) from None
    caught_up = engine.apply_queued()
    click.echo(f"Search index rebuilt: {written} documents; {caught_up} queued changes caught up.")


@forum_cli.command("search-check")
@click.option("--show", default=10, help="How many keys of each kind of drift to list.")
def search_check(show: int) -> None:
    """Report drift between the database and the search index (exit status 1 if there is any)."""
    from forum.search import backend
    from forum.search.queue import pending_count

    try:
        drift = backend.current().check()
    except backend.IndexUnavailable as error:
        raise click.ClickException(f"{error}. Run `flask forum search-reindex`.") from None
    pending = pending_count()
    labels = {
        "missing": "in the database, not in the index",
        "unexpected": "in the index, not (or no longer) in the database",
        "stale": "indexed with content that has since changed",
    }
    for kind, keys in drift.items():
        listed = ", ".join(keys[:show]) + (" …" if len(keys) > show else "")
        click.echo(f"{kind}: {len(keys)} {labels[kind]}" + (f" ({listed})" if keys else ""))
    click.echo(f"queued: {pending} changes waiting to be indexed")
    if any(drift.values()):
        raise SystemExit(1)


@forum_cli.command("mail-receive")
@click.option("--sender", default=None, help="The envelope sender (Postfix: ${sender}).")
@click.option("--recipient", "recipients", multiple=True, help="An envelope recipient (Postfix: ${recipient}).")
def mail_receive(sender: str | None, recipients: tuple[str, ...]) -> None:
    """Store one message read from stdin for reply-by-mail (an MTA's pipe or .forward). Exit status for the MTA:
    0 stored, 65 too large (bounced), 75 database unavailable (the MTA retries)."""
    from forum.mail.inbound.listener import MAX_STORED_BYTES, receive_piped

    raw = sys.stdin.buffer.read(MAX_STORED_BYTES + 1)
    status, line = receive_piped(raw, sender=sender or None, recipients=recipients)
    click.echo(line, err=status != 0)
    sys.exit(status)


@forum_cli.command("mail-serve")
@click.option("--host", default="127.0.0.1", help="Address to listen on (keep it on loopback behind your MTA).")
@click.option("--port", default=2525, type=int)
@click.option("--lmtp", is_flag=True, help="Speak LMTP (for Postfix's lmtp transport) instead of SMTP.")
def mail_serve(host: str, port: int, lmtp: bool) -> None:
    """Receive reply-by-mail over SMTP (or LMTP) for FORUM_INBOUND_DOMAIN, in the foreground."""
    import logging

    from forum.mail.inbound.listener import serve_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    click.echo(f"Receiving mail for {current_app.config['FORUM_INBOUND_DOMAIN']} over {'LMTP' if lmtp else 'SMTP'}"
               f" on {host}:{port} (pid {os.getpid()}); Ctrl-C stops.")
    serve_forever(host, port, lmtp)
