"""Fellowship: a Discourse-style forum for communities of practice."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event

from forum import extensions
from forum.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides the environment (tests use it)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or str(Path.cwd() / "instance")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)

    from forum.config import load_config

    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)

    from forum.core import requests

    requests.install(app)
    _trust_proxies(app)
    _init_extensions(app)
    _subscribe_to_events()
    _register_blueprints(app)
    _register_hooks(app)
    _register_jobs(app)
    _init_feature_packages(app)
    _register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind FORUM_PROXY_HOPS reverse proxies, take the client's address, scheme and host from their
    X-Forwarded-* headers (rate limits key on the address). Without a proxy, such headers are not believed."""
    hops = app.config["FORUM_PROXY_HOPS"]
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _init_extensions(app: Flask) -> None:
    # Models must be imported before Alembic or create_all look at the metadata.
    from forum.auth import models as _auth_models  # noqa: F401
    from forum.board import models as _board_models  # noqa: F401
    from forum.bookmarks import models as _bookmark_models  # noqa: F401
    from forum.composer import models as _composer_models  # noqa: F401
    from forum.core import events
    from forum.core import jobs as _jobs  # noqa: F401
    from forum.core.i18n import install_template_gettext, register_filters, select_locale, select_timezone
    from forum.experiments import models as _experiment_models  # noqa: F401
    from forum.mail import models as _mail_models  # noqa: F401
    from forum.mail import outbox as _outbox  # noqa: F401
    from forum.mail.inbound import models as _inbound_models  # noqa: F401
    from forum.moderation import models as _moderation_models  # noqa: F401
    from forum.notifications import models as _notification_models  # noqa: F401
    from forum.search import models as _search_models  # noqa: F401
    from forum.tracking import models as _tracking_models  # noqa: F401
    from forum.uploads import models as _upload_models  # noqa: F401
    from forum.workshops import models as _workshop_models  # noqa: F401

    db.init_app(app)
    events.install()
    _follow_changes_in_search_index()
    with app.app_context():
        _tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    # Flask-Mail by its full name: `forum.mail` is the package of that name (once imported, forum.mail).
    extensions.mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    register_filters(app)
    install_template_gettext(app)

    from forum.auth.views import load_user
    from forum.core.errors_views import login_required_response

    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.unauthorized_handler(login_required_response)


def _tune_sqlite(engine) -> None:
    """The embedded database: write-ahead logging so that readers never wait for a writer (several
    workers share the file), a busy timeout instead of "database is locked", and enforced foreign keys."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(connection, _record):
        cursor = connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _follow_changes_in_search_index() -> None:
    """Every flush notes changed posts, topics and members for the index, whatever service made them."""
    from sqlalchemy.orm import Session

    from forum.search.queue import queue_changes

    if not event.contains(Session, "after_flush", queue_changes):
        event.listen(Session, "after_flush", queue_changes)


def _subscribe_to_events() -> None:
    """Each package that follows the board's events (core/events.py) connects its own subscribers."""
    from forum.notifications import subscribers as notification_subscribers
    from forum.tracking import subscribers as tracking_subscribers
    from forum.uploads import subscribers as upload_subscribers

    tracking_subscribers.subscribe()
    upload_subscribers.subscribe()
    notification_subscribers.subscribe()


def _register_blueprints(app: Flask) -> None:
    from forum.admin.views import bp as admin_bp
    from forum.auth.views import bp as auth_bp
    from forum.board import views_compose, views_posts, views_topics  # noqa: F401 (each adds its routes to board_bp)
    from forum.board.blueprint import bp as board_bp
    from forum.bookmarks.views import bp as bookmarks_bp
    from forum.composer.views import bp as composer_bp
    from forum.experiments.views import bp as experiments_bp
    from forum.home.views import bp as home_bp
    from forum.messages.views import bp as messages_bp
    from forum.notifications.views import bp as notifications_bp
    from forum.search.views import bp as search_bp
    from forum.tracking.views import bp as tracking_bp
    from forum.uploads.views import bp as uploads_bp
    from forum.users.views import bp as users_bp
    from forum.workshops.views import bp as workshops_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(tracking_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(bookmarks_bp)
    app.register_blueprint(composer_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(uploads_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(experiments_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")


def _register_hooks(app: Flask) -> None:
    from flask_babel import get_locale, get_timezone

    from forum.core import links
    from forum.core.errors_views import register_error_handlers
    from forum.core.security import pin_redirects_to_base_url, set_security_headers
    from forum.policy import can, post_permissions

    register_error_handlers(app)
    # Jinja globals (not a context processor): also in mail rendered by a job, and free per render.
    app.jinja_env.globals.update(
        absolute_url=links.absolute_url, topic_url=links.topic_url, post_url=links.post_url,
        category_url=links.category_url, profile_url=links.profile_url,
    )
    app.after_request(set_security_headers)
    app.after_request(pin_redirects_to_base_url)

    @app.context_processor
    def template_globals():
        return {
            "can": can,
            "post_permissions": post_permissions,
            "forum_name": app.config["FORUM_NAME"],
            "current_locale": get_locale,
            "current_timezone": get_timezone,
        }


def _register_jobs(app: Flask) -> None:
    """The background queue, and each package's jobs (periodic ones run in this order by `forum run-jobs`)."""
    from forum.auth.jobs import register_jobs as register_auth_jobs
    from forum.board.jobs import register_jobs as register_board_jobs
    from forum.bookmarks.jobs import register_jobs as register_bookmark_jobs
    from forum.core import worker
    from forum.search.jobs import register_jobs as register_search_jobs
    from forum.uploads.jobs import register_jobs as register_upload_jobs

    worker.init_app(app)
    register_board_jobs(app)
    register_bookmark_jobs(app)
    register_auth_jobs(app)
    register_upload_jobs(app)
    register_search_jobs(app)


def _init_feature_packages(app: Flask) -> None:
    """Packages built on the seams: each connects its own subscribers, jobs and pages."""
    from forum import dashboard, experiments, mail, moderation, noticeboard, workshops

    mail.init_app(app)
    experiments.init_app(app)
    workshops.init_app(app)
    dashboard.init_app(app)
    noticeboard.init_app(app)
    moderation.init_app(app)


def _register_cli(app: Flask) -> None:
    from forum.cli import forum_cli

    app.cli.add_command(forum_cli)
