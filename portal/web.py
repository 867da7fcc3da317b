"""Small helpers for views: form errors from services, safe redirects, the client address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import render_template, request
from flask.typing import ResponseReturnValue
from wtforms import Field, Form

from portal.errors import ServiceError


def client_ip() -> str | None:
    return request.remote_addr


def safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def link_refused(template: str, exc: Exception, *, expired: str, invalid: str) -> ResponseReturnValue:
    """The page (400) of a mailed link that no longer works (``exc``, a ``tokens.TokenError``):
    ``expired`` or ``invalid`` says why."""
    return render_template(template, message=expired if getattr(exc, "expired", False) else invalid), 400


def attach_error(form: Form, exc: ServiceError | Exception) -> None:
    """Show a service's business error beside the field it names (or at the top of the form)."""
    name = getattr(exc, "field", None)
    field = getattr(form, name, None) if name else None
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
