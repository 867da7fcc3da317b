"""The services' business error, and error pages that say what happened, in the user's language,
never a stack trace."""

from __future__ import annotations

import logging
import math
import time
from urllib.parse import urlsplit

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.extensions import db, limiter
from portal.i18n import gettext, ngettext, number
from portal.i18n import lazy_gettext as _l
from portal.messages import Count, Message
from rules import FactsError

log = logging.getLogger(__name__)


def translate(message: str) -> str:
    """A service's message in the current language: a ``portal.messages.Message`` is translated with
    its values (a value that is a Message too, like "full time", is translated first); any other text is
    returned as it is (already translated by its caller)."""
    if isinstance(message, Message):
        params = {k: _translated_value(v) for k, v in message.params.items()}
        return gettext(message.msgid, **params)
    return message


def _translated_value(value: object) -> object:
    """A message's value as the reader reads it: a Message translated, a Count in the reader's digits."""
    if isinstance(value, Message):
        return translate(value)
    if isinstance(value, Count):
        return number(value)
    return value


class ServiceError(ValueError):
    """A business rule refused the request; ``field`` names the form field it concerns (or None).
    Each feature's services raise their own subclass with an ``N_(...)`` message (English, with its
    values); ``str()`` gives it in the language of the caller's request (``translate``), and views show
    it with ``web.attach_error`` or ``flash``."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return translate(self.message)


MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Check what you entered and try again."),
    ),
    401: (_l("Sign-in needed"), _l("Please sign in to continue.")),
    403: (_l("Not allowed"), _l("Your role in this organization does not allow this action.")),
    404: (_l("Not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This action is not available here.")),
    413: (_l("Too large"), _l("The file or form you sent is too large.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred on our side. Nothing was saved. Try again in a moment."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The portal cannot reach its database at the moment. Nothing was saved. Try again in a minute."),
    ),
}
# Seconds a client is asked to wait (Retry-After) when the database cannot be reached.
RETRY_AFTER = 30


def is_database_outage(error: BaseException) -> bool:
    """The database could not be reached or dropped the connection (server down or restarting, too many
    clients, the pool's wait timed out): the request is refused with a 503, not a 500, because the same
    request succeeds once the database is back. A mistake in a statement (ProgrammingError,
    IntegrityError) is a bug and stays a 500."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.TimeoutError, sa_exc.DisconnectionError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


def render_error(
    code: int, detail: str | None = None, text: str | None = None, headers: dict[str, str] | None = None
) -> ResponseReturnValue:
    """The error page of ``code``: its title and text (``text`` in place of the code's own), ``detail``,
    with ``headers`` added to the response."""
    title, default = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    text = text or default
    try:
        page = render_template("errors/error.html", code=code, title=title, text=text, detail=detail)
        return page, code, headers or {}
    except Exception:  # the page itself failed (e.g. the database is down): plain text, still no trace
        log.exception("Error page failed to render")
        return (
            f"{code} {title}. {text}",
            code,
            {**(headers or {}), "Content-Type": "text/plain; charset=utf-8"},
        )


def _minutes_to_wait() -> int | None:
    """Whole minutes until the rate limit that refused this request lets one through again (the limit
    of an hour, such as invitations, resets and registrations, is not over in "a minute")."""
    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    # Flask-Limiter's reset time is rounded up a second past the window: never more than the window itself
    seconds = min(current.reset_at - time.time(), current.limit.get_expiry())
    return max(1, math.ceil(seconds / 60))


def _wait_text(minutes: int) -> str:
    return ngettext(
        "Too many attempts in a short time. Try again in %(num)d minute.",
        "Too many attempts in a short time. Try again in %(num)d minutes.",
        minutes,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        # Over HTTPS, Flask-WTF also checks the Referer against the site (WTF_CSRF_SSL_STRICT): a browser or an
        # extension that strips it is refused whatever the page, so "reload the page" would not help
        description = (error.description or "").lower()
        if "referrer does not match" in description:
            # a Referer of another site (or another address of this one) than the request's Host: a forged form,
            # or a proxy that does not pass the visitor's Host on (then every form is refused: the log says so)
            log.warning(
                "Form refused: its Referer is %s, not this site's https://%s/ (behind a proxy, pass the Host header on)",
                urlsplit(request.referrer or "").netloc or "?",
                request.host,
            )
            return render_error(
                400,
                _l(
                    "The form was sent from another address than this site's (its Referer header names another "
                    "site), and the portal refuses forms forged elsewhere. Open the portal at its own address, "
                    "reload the page and try again."
                ),
            )
        if "referrer" in description:
            return render_error(
                400,
                _l(
                    "Your browser did not say which page of this site sent the form (its Referer header), which "
                    "the portal checks to refuse forms forged elsewhere. Allow this site to send it (a privacy "
                    "setting or extension may block it), then reload the page and try again."
                ),
            )
        return render_error(
            400, _l("The form expired or was sent from elsewhere. Reload the page and try again.")
        )

    # A business rule that a view did not catch (e.g. a re-assessment after saving a transferee
    # refuses its facts): the request is refused, nothing it wrote is kept, the message says why.
    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError) -> ResponseReturnValue:
        _rollback()
        return render_error(400, str(error))

    @app.errorhandler(FactsError)
    def facts_error(error: FactsError) -> ResponseReturnValue:
        _rollback()
        log.info("Facts refused by the rules engine: %s", error)
        return render_error(
            400,
            _l(
                "These facts cannot be assessed (%(field)s: %(message)s). Correct them and try again.",
                field=error.field,
                message=error.message,
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code and error.code < 400:
            return error
        headers = _headers_of(error)
        if error.code == 429 and (minutes := _minutes_to_wait()) is not None:
            return render_error(429, text=_wait_text(minutes), headers=headers)
        return render_error(error.code or 500, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        if isinstance(error, HTTPException):
            return http_error(error)
        if is_database_outage(error):
            # one line a request (an outage would flood the log with the same trace), the cause kept
            log.error("Database unavailable: %s", getattr(error, "orig", None) or error)
            _rollback()
            return unavailable()
        log.exception("Unhandled error", exc_info=error)
        _rollback()
        return render_error(InternalServerError.code)


def _headers_of(error: HTTPException) -> dict[str, str]:
    """The headers the exception carries besides its own body's type: the ``Allow`` of a 405 (RFC 9110
    15.5.6: a 405 must list the methods the resource supports), the ``Retry-After`` or
    ``WWW-Authenticate`` some exceptions set. The error page is HTML of its own."""
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def unavailable() -> ResponseReturnValue:
    """The 503 page of a database outage, with the Retry-After the client should honour. The page is
    drawn for an anonymous visitor: the signed-in account cannot be read, and the page's menus would
    ask the database for it again."""
    g._login_user = AnonymousUserMixin()  # Flask-Login's per-request user (the app keeps its default class)
    return render_error(ServiceUnavailable.code, headers={"Retry-After": str(RETRY_AFTER)})


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: the pool discards it; nothing was written
        log.warning("Rollback failed after an error", exc_info=True)
