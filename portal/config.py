"""Configuration, read from the environment inside ``create_app`` and nowhere else.

Every setting the portal reads is listed here (and in ``.env.example``). Tests and the CLI pass
a mapping of overrides to ``create_app`` instead of touching ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # refused in production

LOGIN_RATE_LIMIT = "5 per minute"


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. production with the default secret key)."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def build_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    env = os.environ
    instance = Path(instance_path)
    overrides = overrides or {}
    portal_env = overrides.get("PORTAL_ENV") or env.get("PORTAL_ENV", "development")
    production = portal_env == "production"
    broker = env.get("CELERY_BROKER_URL") or None

    config: dict[str, Any] = {
        "PORTAL_ENV": portal_env,
        "SECRET_KEY": env.get("SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or f"sqlite:///{instance / 'portal.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "DOCUMENT_STORE": env.get("DOCUMENT_STORE") or str(instance / "documents"),
        # A render whose heartbeat (renewed every third of this) is older than this many seconds is
        # taken over by the next attempt; tests only: a pause between writing a document's file and
        # marking it ready (to kill a worker mid-render).
        "DOCUMENT_RENDER_LEASE_SECONDS": float(env.get("DOCUMENT_RENDER_LEASE_SECONDS") or 15),
        "DOCUMENT_RENDER_DELAY_SECONDS": float(env.get("DOCUMENT_RENDER_DELAY_SECONDS") or 0),
        # A queued document whose task was sent longer ago than this (seconds) is sent again by the
        # sweep (the message may have been lost with a broker that restarted without persistence).
        "DOCUMENT_QUEUED_GRACE_SECONDS": float(env.get("DOCUMENT_QUEUED_GRACE_SECONDS") or 60),
        # The key and certificate (PEM files) that sign approved packets (PAdES). When neither file
        # exists, a self-signed pair is generated there; use the organization's own in production.
        "SIGNING_KEY": env.get("SIGNING_KEY") or str(instance / "signing" / "key.pem"),
        "SIGNING_CERT": env.get("SIGNING_CERT") or str(instance / "signing" / "cert.pem"),
        # The portal's address, for links in mails sent by background tasks.
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # How many reverse proxies (the TLS-terminating one of the production shape) stand in front of
        # the web server and append the client's address to X-Forwarded-For. 0 (the default): the
        # header is ignored, since anyone can send it. Behind a proxy left at 0, every request came
        # from the proxy's address: the per-address sign-in, reset and registration limits were one
        # count for everybody (one visitor's 5 wrong passwords locked every sign-in out for a minute).
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES") or 0),
        # Requests larger than this are refused with 413 before they are read (uploads included).
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # Flask-Limiter: memory in the embedded default, Redis in production.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A moving window: "5 per minute" means at most 5 in any 60 s. Flask-Limiter's default fixed
        # window starts at its first hit and resets 60 s later, so 5 tries at its end and 5 more at
        # the start of the next one all pass within a few seconds.
        "RATELIMIT_STRATEGY": "moving-window",
        # A limiter outage must never lock people out: when its storage (Redis) is unreachable,
        # Flask-Limiter logs a warning and keeps counting in memory (per process) until Redis
        # answers again; any other storage error is logged and the request answered.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        # Per account (per email address, known or not), on top of the per-address limits: after
        # LOGIN_ACCOUNT_FREE_TRIES failures in a row, each further failure doubles the wait, from
        # LOGIN_BACKOFF_BASE_SECONDS up to LOGIN_BACKOFF_MAX_SECONDS. A password reset clears it.
        "LOGIN_ACCOUNT_FREE_TRIES": 5,
        "LOGIN_BACKOFF_BASE_SECONDS": 30,
        "LOGIN_BACKOFF_MAX_SECONDS": 3600,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", LOGIN_RATE_LIMIT),
        "RESET_RATE_LIMIT": "5 per hour",
        "REGISTER_RATE_LIMIT": "20 per hour",
        # Invitations and engagements mailed, per person and per client address (portal.web.mails_limited).
        "INVITATION_RATE_LIMIT": "30 per hour",
        # A sign-in lasts at most this many days (then sign in again); beat prunes older rows.
        "SESSION_MAX_AGE_DAYS": int(env.get("SESSION_MAX_AGE_DAYS", "30")),
        # After a support letter is ready, a worker renders its packet's own parts ahead of the click
        # (portal/documents/ahead.py); off: the packet's parts are rendered when it is asked for.
        "DOCUMENT_PREPARE_PACKETS": _bool(env.get("DOCUMENT_PREPARE_PACKETS"), True),
        # The documents page and the letter's editing page make a worker render the support letter their
        # form would ask for, ahead of the click (portal/documents/ahead.py); off: rendered at the click.
        "DOCUMENT_PREPARE_LETTERS": _bool(env.get("DOCUMENT_PREPARE_LETTERS"), True),
        # Packet parts kept per case (portal/documents/partcache.py) unused this long are removed daily.
        "DOCUMENT_PARTS_MAX_AGE_DAYS": int(env.get("DOCUMENT_PARTS_MAX_AGE_DAYS", "30")),
        # Signed links.
        "PASSWORD_RESET_MAX_AGE": 3600,
        "INVITATION_MAX_AGE": 7 * 24 * 3600,
        # Also how long an unconfirmed registration holds its business number or CICC licence number: once
        # its first link has expired, the next registration of that number takes it (auth.services).
        "EMAIL_VERIFICATION_MAX_AGE": 2 * 24 * 3600,
        # Signing in to an unconfirmed account, or asking the link again, mails a new confirmation link at
        # most once in this many seconds per account (the page says to check the mail meanwhile).
        "VERIFICATION_RESEND_SECONDS": 10 * 60,
        # Mail: "file" writes to the outbox under instance/ (no SMTP server needed),
        # "smtp" sends through MAIL_SERVER, "locmem" keeps messages in memory (tests).
        "MAIL_BACKEND": env.get("MAIL_BACKEND", "file"),
        "MAIL_FILE_PATH": env.get("MAIL_FILE_PATH") or str(instance / "outbox"),
        "MAIL_SERVER": env.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "IMP Portal <no-reply@imp-portal.invalid>"),
        # Babel.
        "LANGUAGES": ["en", "fr"],
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        # Cookies: secure flags outside development.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "SECURITY_HEADERS": production or _bool(env.get("SECURITY_HEADERS"), True),
        # Celery: without a broker, tasks run in-process (eager) — the embedded default.
        "CELERY": {
            "broker_url": broker or "memory://",
            "result_backend": env.get("CELERY_RESULT_BACKEND") or broker,
            "task_always_eager": broker is None,
            "task_eager_propagates": True,
            "task_ignore_result": True,
            "task_serializer": "json",
            "accept_content": ["json"],
            "broker_connection_retry_on_startup": True,
            # Fail fast when the broker is down: the document stays queued and the sweep re-sends it.
            # No publish retry, and no retry of the connection a publish opens (kombu's default is
            # to retry for broker_connection_timeout, 4 s, which held a web worker ~6 s); a worker's
            # consumer still reconnects for ever (it passes its own broker_connection_max_retries).
            "task_publish_retry": False,
            "broker_transport_options": {"socket_connect_timeout": 0.3, "max_retries": 0},
            "worker_prefetch_multiplier": 1,
            "beat_schedule": {
                "documents-sweep": {
                    "task": "documents.sweep",
                    "schedule": float(env.get("DOCUMENT_SWEEP_SECONDS", "5")),
                },
                "compliance-reminders": {"task": "compliance.send_reminders", "schedule": 6 * 3600.0},
                "prune-sessions": {"task": "auth.prune_sessions", "schedule": 24 * 3600.0},
                "prune-packet-parts": {"task": "documents.prune_parts", "schedule": 24 * 3600.0},
                # Once per rule-set version: a run finds nothing to do when the book is up to date.
                "reassess-book": {
                    "task": "cases.reassess_book",
                    "schedule": float(env.get("REASSESS_BOOK_SECONDS", "900")),
                },
            },
        },
    }
    if overrides:  # tests and the CLI pass their settings here instead of touching os.environ
        celery_overrides = overrides.get("CELERY")
        config.update({k: v for k, v in overrides.items() if k != "CELERY"})
        if celery_overrides:
            config["CELERY"] = {**config["CELERY"], **celery_overrides}
    return config


def check_config(config: Mapping[str, Any]) -> None:
    if config["PORTAL_ENV"] == "production" and config.get("DEBUG"):
        # FLASK_DEBUG=1 (Flask reads it into DEBUG, under gunicorn too) turned the security headers off
        # (CSP, frame denial, HSTS: portal/security.py) and let errors through the portal's error pages.
        raise ConfigError("PORTAL_ENV=production refuses debug mode: unset FLASK_DEBUG.")
    if config["PORTAL_ENV"] == "production":
        key = config.get("SECRET_KEY") or ""
        if key == DEFAULT_SECRET_KEY or len(key) < 32:
            raise ConfigError(
                "PORTAL_ENV=production needs a SECRET_KEY of at least 32 random characters "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
