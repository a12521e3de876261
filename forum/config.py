"""Configuration: embedded defaults under instance/, overridden by environment variables.

Every setting can be given as an environment variable of the same name (prefixed FORUM_ for the
forum's own settings). Nothing secret lives in the repository: the SECRET_KEY is generated into
instance/secret_key on first start unless SECRET_KEY is set.
"""

import os
import secrets
import socket
from pathlib import Path

# Where `flask forum serve` (and so `make run`) listens unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def base_url_for(host: str, port: int | str) -> str:
    """The address members reach a server listening on `host`:`port` at, for links in mail and messages.

    A wildcard address (listening on every interface) is no address to open: name the machine instead.
    """
    if host in {"", "0.0.0.0", "::", "[::]"}:
        host = socket.getfqdn()
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal
    return f"http://{host}:{port}"


def _base_url() -> str:
    """FORUM_BASE_URL when given, else the address `forum serve` listens on (FORUM_HOST, FORUM_PORT)."""
    return os.environ.get("FORUM_BASE_URL") or base_url_for(
        os.environ.get("FORUM_HOST", DEFAULT_HOST), os.environ.get("FORUM_PORT", DEFAULT_PORT)
    )


def _secret_key(instance_path: Path) -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'forum.sqlite'}")
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _mail_settings() -> dict:
    """Mail is written to FORUM_OUTBOX_DIR as .eml files unless MAIL_SERVER is set."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Fellowship <forum@localhost>"),
        # Seconds to wait on the mail server (connecting, then each reply) before the attempt counts as failed.
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "30")),
        # The right-hand side of Message-IDs (and, later, of reply-by-mail addresses).
        "FORUM_MAIL_DOMAIN": os.environ.get("FORUM_MAIL_DOMAIN", "fellowship.localhost"),
        # Notification emails wait this long, so that an edit or a deletion right after posting is honoured.
        "FORUM_NOTIFY_DELAY_SECONDS": int(os.environ.get("FORUM_NOTIFY_DELAY_SECONDS", "120")),
        # Reply-by-mail: the domain the forum receives mail for (reply+<key>@ and category addresses); the
        # SMTP/LMTP listener refuses every other domain.
        "FORUM_INBOUND_DOMAIN": os.environ.get("FORUM_INBOUND_DOMAIN", "fellowship.localhost"),
        # The secret a mail provider's inbound webhook sends (Authorization: Bearer); unset, the endpoint is off.
        "FORUM_INBOUND_WEBHOOK_TOKEN": os.environ.get("FORUM_INBOUND_WEBHOOK_TOKEN") or None,
        # Authentication-Results headers are believed only from our own MTA, named by this authserv-id.
        "FORUM_INBOUND_AUTHSERV_ID": os.environ.get("FORUM_INBOUND_AUTHSERV_ID") or None,
        # Refuse mail whose From domain did not pass DMARC (or an aligned DKIM/SPF check) at our MTA.
        "FORUM_INBOUND_REQUIRE_AUTH": _env_bool("FORUM_INBOUND_REQUIRE_AUTH", False),
    }


def _database_settings(instance_path: Path) -> dict:
    database_url = _database_url(instance_path)
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server can drop idle connections; a file cannot. The ping costs a round trip per request.
        "SQLALCHEMY_ENGINE_OPTIONS": {} if database_url.startswith("sqlite") else {"pool_pre_ping": True},
    }


def _upload_settings(instance_path: Path) -> dict:
    max_upload_bytes = int(os.environ.get("FORUM_MAX_UPLOAD_BYTES", str(8 * 1024 * 1024)))
    return {
        "FORUM_UPLOADS_DIR": os.environ.get("FORUM_UPLOADS_DIR", str(instance_path / "uploads")),
        "FORUM_MAX_UPLOAD_BYTES": max_upload_bytes,
        "FORUM_UPLOAD_QUOTA_BYTES": int(os.environ.get("FORUM_UPLOAD_QUOTA_BYTES", str(200 * 1024 * 1024))),
        "FORUM_UPLOAD_STAFF_QUOTA_BYTES": int(os.environ.get("FORUM_UPLOAD_STAFF_QUOTA_BYTES", str(2 * 1024**3))),
        "FORUM_UPLOAD_ORPHAN_HOURS": float(os.environ.get("FORUM_UPLOAD_ORPHAN_HOURS", "24")),
        # Uploads (8 MB by default) plus the rest of the form.
        "MAX_CONTENT_LENGTH": max_upload_bytes + 512 * 1024,
    }


def _search_settings(instance_path: Path) -> dict:
    return {
        "FORUM_SEARCH_INDEX_DIR": os.environ.get("FORUM_SEARCH_INDEX_DIR", str(instance_path / "search-index")),
        # The search engine behind forum/search/backend.py (only "whoosh" so far).
        "FORUM_SEARCH_BACKEND": os.environ.get("FORUM_SEARCH_BACKEND", "whoosh"),
        # Processes writing a rebuilt index (from 20,000 posts on); 0: one per core.
        "FORUM_SEARCH_REBUILD_PROCS": int(os.environ.get("FORUM_SEARCH_REBUILD_PROCS", "0")),
    }


def _login_settings() -> dict:
    return {
        "FORUM_INVITE_MAX_AGE_DAYS": int(os.environ.get("FORUM_INVITE_MAX_AGE_DAYS", "7")),
        "FORUM_PASSWORD_RESET_MAX_AGE_SECONDS": 3600,
        "FORUM_LOGIN_LIMIT": os.environ.get("FORUM_LOGIN_LIMIT", "10 per minute;50 per hour"),
        # Failed logins for one account (from any address) before it must wait: 1 minute, doubling, up to the cap.
        "FORUM_LOGIN_BACKOFF_AFTER": int(os.environ.get("FORUM_LOGIN_BACKOFF_AFTER", "5")),
        "FORUM_LOGIN_BACKOFF_MAX_SECONDS": int(os.environ.get("FORUM_LOGIN_BACKOFF_MAX_SECONDS", "900")),
    }


def _posting_limits() -> dict:
    """How much a member may post, flag and message, and what the gate holds for approval or refuses."""
    return {
        "FORUM_POST_LIMIT": os.environ.get("FORUM_POST_LIMIT", "10 per minute;200 per day"),
        # Flags one member may raise (rate limit), and the open flags that hide a post until a facilitator reviews it.
        "FORUM_FLAG_LIMIT": os.environ.get("FORUM_FLAG_LIMIT", "5 per minute;30 per day"),
        "FORUM_FLAGS_TO_HIDE": int(os.environ.get("FORUM_FLAGS_TO_HIDE", "3")),
        # New private conversations per member (replies in them count as posts).
        "FORUM_MESSAGE_LIMIT": os.environ.get("FORUM_MESSAGE_LIMIT", "10 per minute;50 per day"),
        # Held for a facilitator's approval: a new member's first N posts, and posts with links from members
        # with fewer than N posts (0: off). The same text twice within N seconds is refused (0: off).
        "FORUM_APPROVE_FIRST_POSTS": int(os.environ.get("FORUM_APPROVE_FIRST_POSTS", "0")),
        "FORUM_APPROVE_LINKS_BELOW_POSTS": int(os.environ.get("FORUM_APPROVE_LINKS_BELOW_POSTS", "0")),
        "FORUM_DUPLICATE_POST_SECONDS": int(os.environ.get("FORUM_DUPLICATE_POST_SECONDS", "60")),
    }


def _job_settings(redis_url: str | None) -> dict:
    """Background jobs (`flask forum worker`): a Huey queue in instance/jobs.sqlite, or on Redis when
    FORUM_JOBS_REDIS_URL (else REDIS_URL) is set, so that workers on several hosts share it."""
    return {
        "FORUM_JOBS_REDIS_URL": os.environ.get("FORUM_JOBS_REDIS_URL") or redis_url,
        "FORUM_JOBS_QUEUE": os.environ.get("FORUM_JOBS_QUEUE", "fellowship"),
        "FORUM_WORKER_THREADS": int(os.environ.get("FORUM_WORKER_THREADS", "2")),
        # Run each job as soon as it is enqueued, in the enqueuing process (tests; no worker needed).
        "FORUM_JOBS_IMMEDIATE": _env_bool("FORUM_JOBS_IMMEDIATE", False),
    }


def _rate_limit_settings(redis_url: str | None) -> dict:
    """Rate limits are shared between workers through Redis when it is configured."""
    return {
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", redis_url or "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
    }


def _cookie_settings() -> dict:
    secure = _env_bool("FORUM_SECURE_COOKIES", False)
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
    }


def load_config(instance_path: Path) -> dict:
    """Return the configuration for an app whose instance folder is `instance_path`."""
    instance_path.mkdir(parents=True, exist_ok=True)
    redis_url = os.environ.get("REDIS_URL")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        **_database_settings(instance_path),
        "FORUM_NAME": os.environ.get("FORUM_NAME", "Fellowship"),
        # The forum's public address, for links in mail and anything else read away from the page.
        "FORUM_BASE_URL": _base_url(),
        "FORUM_OUTBOX_DIR": os.environ.get("FORUM_OUTBOX_DIR", str(instance_path / "outbox")),
        **_upload_settings(instance_path),
        **_search_settings(instance_path),
        "FORUM_TOPICS_PER_PAGE": int(os.environ.get("FORUM_TOPICS_PER_PAGE", "30")),
        "FORUM_POSTS_PER_PAGE": int(os.environ.get("FORUM_POSTS_PER_PAGE", "20")),
        "FORUM_MAX_POST_CHARS": int(os.environ.get("FORUM_MAX_POST_CHARS", "32000")),
        **_login_settings(),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (0: none).
        "FORUM_PROXY_HOPS": int(os.environ.get("FORUM_PROXY_HOPS", "0")),
        **_posting_limits(),
        **_job_settings(redis_url),
        **_mail_settings(),
        **_rate_limit_settings(redis_url),
        "REDIS_URL": redis_url,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "FORUM_LOCALES": ["en"],
        **_cookie_settings(),
        "WTF_CSRF_TIME_LIMIT": None,
    }
