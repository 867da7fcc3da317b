"""Sign-in is required on every view unless the view is marked ``@public``.

One ``before_request`` check for the whole application, so a new view is protected without anyone
remembering a decorator. The views anyone may open (home page, sign-in, registration, password
reset, invitation links, the calendar feed, the health check) say so with ``@public``, and
tests/portal/test_isolation.py lists them: a new public view is a deliberate change.
Per-object checks (``tenancy``) still decide what a signed-in user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

_MARK = "portal_public"
# Flask's own static route (CSS, scripts, images) cannot carry the mark: its view is a bound method.
PUBLIC_BUILTIN_ENDPOINTS = frozenset({"static"})


def public(view: F) -> F:
    """Mark a view as open to visitors who are not signed in (put it right under ``@bp.route``)."""
    setattr(view, _MARK, True)
    return view


def is_public(endpoint: str, view: Callable[..., Any]) -> bool:
    return endpoint in PUBLIC_BUILTIN_ENDPOINTS or getattr(view, _MARK, False) is True


def require_sign_in() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: the 404 / 405 is answered as usual
        return None
    # The mark first: a public view (the liveness probe, a static file) never loads the signed-in user.
    if is_public(endpoint, current_app.view_functions[endpoint]) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def init_app(app: Flask) -> None:
    app.before_request(require_sign_in)
