"""Account mail: a thin shell around portal.auth.notify."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager, ExitStack
from typing import Any

from celery import Task, shared_task
from flask import current_app
from flask_babel import force_locale

from portal.auth import notify, services, sessions
from portal.extensions import db
from portal.models import User
from portal.models._types import utcnow

log = logging.getLogger(__name__)


def _as_mailed(lang: str) -> AbstractContextManager[object]:
    """The context a mail is written in outside a request: links built on PUBLIC_URL, never on the Host
    header of the request that asked for it, and the texts in ``lang``."""
    stack = ExitStack()
    stack.enter_context(current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]))
    stack.enter_context(force_locale(lang))
    return stack


def _queue(task: Task[Any, None], what: str, *args: object) -> None:
    """Queue ``task`` (with a broker the answer never waits for the mail); a broker that is down: the task
    is done here instead."""
    try:
        task.delay(*args)
    except Exception:  # kombu / redis connection errors
        log.warning("Could not queue the %s mail; sending it in the request", what, exc_info=True)
        task.run(*args)


@shared_task(name="auth.send_password_reset", ignore_result=True)
def send_password_reset(email: str, lang: str) -> None:
    """Mail the reset link if an account uses ``email`` (nothing otherwise), in ``lang``."""
    with _as_mailed(lang):
        notify.send_password_reset(email)


def queue_password_reset(email: str, lang: str) -> None:
    """What the reset request does, the same for every address (the answer never waits for the lookup)."""
    _queue(send_password_reset, "password-reset", email, lang)


@shared_task(name="auth.send_verification", ignore_result=True)
def send_verification(user_id: int, lang: str) -> None:
    """Mail the account ``user_id`` a new confirmation link, in ``lang`` (nothing if it is gone or
    confirmed meanwhile)."""
    user = db.session.get(User, user_id)
    if user is None or user.email_verified:
        return
    with _as_mailed(lang):
        notify.send_verification(user)


def queue_verification(user_id: int, lang: str) -> None:
    """What a refused sign-in of an unconfirmed account does (its answer does not wait for the mail)."""
    _queue(send_verification, "confirmation", user_id, lang)


@shared_task(name="auth.prune_sessions", ignore_result=True)
def prune_sessions() -> int:
    """Beat, daily: delete ended and expired sign-in sessions (``user_sessions`` would grow forever), and
    the expired ``registration_holds``; how many sessions."""
    now = utcnow()
    deleted = sessions.prune(now=now, max_age_days=current_app.config["SESSION_MAX_AGE_DAYS"])
    services.prune_holds(now=now)  # and the registrations' expired holds on numbers
    db.session.commit()
    if deleted:
        log.info("Pruned %d ended or expired sessions", deleted)
    return deleted
