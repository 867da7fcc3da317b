"""Small helpers for views: form errors from services, safe redirects, the client address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field, Form

from portal.errors import ServiceError
from portal.extensions import limiter

F = TypeVar("F", bound=Callable[..., Any])


def client_ip() -> str | None:
    return request.remote_addr


def safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def _signed_in_user() -> str:
    return f"user:{current_user.get_id()}"


def _sent(response: Response) -> bool:
    return response.status_code < 400  # a mail went: the page redirects; a refused form sends nothing


def _signed_out() -> bool:
    return not current_user.is_authenticated  # sent to sign in, and counted nowhere


def mails_limited(view: F) -> F:
    """The views whose POST mails an address the signed-in person types (a colleague's invitation, a
    consultant's engagement): anyone can register an employer, name it as they like (the name is in the
    mail's subject and text) and mail any address from the portal's sender. At most
    ``INVITATION_RATE_LIMIT`` sent mails per person, and per client address, over these views together."""
    limited: Callable[..., Any] = view
    for key in (_signed_in_user, get_remote_address):
        limited = limiter.shared_limit(
            lambda: current_app.config["INVITATION_RATE_LIMIT"],
            scope=f"invitations-{key.__name__}",
            key_func=key,
            methods=["POST"],
            deduct_when=_sent,
            exempt_when=_signed_out,
        )(limited)
    return cast(F, limited)


def link_refused(template: str, exc: Exception, *, expired: str, invalid: str) -> ResponseReturnValue:
    """The page (400) of a mailed link that no longer works (``exc``, a ``tokens.TokenError``):
    ``expired`` or ``invalid`` says why."""
    return render_template(template, message=expired if getattr(exc, "expired", False) else invalid), 400


def attach_error(form: Form, exc: ServiceError | Exception) -> None:
    """Show a service's business error beside the field it names, a row's field of a list of subforms
    included (``jobs-2-start_date``), or at the top of the form."""
    name = getattr(exc, "field", None)
    field = _field(form, name) if name else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _field(form: Form, name: str) -> Field | None:
    """The form's field called ``name``, or a row's field of a list of subforms (``jobs-2-duties``)."""
    field: Field | None = getattr(form, name, None)
    if field is not None:
        return field
    parent, _, rest = name.partition("-")
    index, _, child = rest.partition("-")
    entries = getattr(form, parent, None)
    if entries is None or not index.isdigit() or not child:
        return None
    try:
        return _field(entries[int(index)].form, child)
    except (IndexError, TypeError, AttributeError):
        return None


_MARK = 918273645  # a value no page's id takes, found and replaced in the address url_for builds


class UrlPattern:
    """The address of ``endpoint`` for any value of its one integer argument ``name``: built by url_for
    once, then ``pattern(7) == url_for(endpoint, name=7)``. A page with a link on each of its rows asks
    the router once instead of once per row (each url_for cost ~7 us; a dashboard of 30 cases made 30)."""

    __slots__ = ("_head", "_tail")

    def __init__(self, endpoint: str, name: str) -> None:
        values: dict[str, Any] = {name: _MARK}
        url = url_for(endpoint, **values)
        head, found, tail = url.partition(str(_MARK))
        if not found or str(_MARK) in tail:
            raise ValueError(f"{endpoint}: its address does not hold {name} once")
        self._head, self._tail = head, tail

    def __call__(self, value: int) -> str:
        return f"{self._head}{int(value)}{self._tail}"
