"""One way to run a state-changing request: the service call in one transaction, then a message and a
redirect (post/redirect/get).

Every form of the portal does the same thing, written here once:

1. call the service (it flushes, it never commits);
2. if it refuses (a ``ServiceError``, or the errors the caller names): roll the whole transaction
   back, so no half-written record is left, and show the refusal beside the form field it names
   (``web.attach_error``), at the top of the form, or as a flashed message;
3. else commit, run what must follow the commit in the request (sign the person in, switch the
   organization), flash what was done and redirect.

``submit`` returns the response to send, or None when the caller re-renders its form (with the
refusal attached, and the 4xx status it already answers for an invalid form). ``run`` is that whole
request of a form page::

    return formrun.run(
        form,
        lambda: services.save_position(org, form.data, actor=current_user),
        message=lambda position: _("The role %(title)s is saved.", title=position.title),
        redirect_to=url_for("roles.index"),
        page=lambda: formrun.form_page("roles/edit.html", form),
    )

Work that must only happen once the data is committed and that leaves the request (a Celery task, a
mail) is registered with ``portal.aftercommit.after_commit`` inside the action: it is dropped if the
action is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypedDict, TypeVar, Unpack, overload

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue

from portal.errors import ServiceError
from portal.extensions import db
from portal.web import attach_error

T = TypeVar("T")

ErrorTypes = type[Exception] | tuple[type[Exception], ...]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What ``attempt`` did: the action's ``value`` (committed), or the ``error`` it raised (rolled back)."""

    value: T | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def attempt(action: Callable[[], T], *, errors: ErrorTypes = ServiceError) -> Outcome[T]:
    """Run ``action`` in the current transaction: commit it, or roll it back if it raises one of
    ``errors`` (any other exception propagates; the request's teardown rolls back)."""
    try:
        value = action()
    except errors as exc:
        db.session.rollback()
        return Outcome(error=exc)
    db.session.commit()
    return Outcome(value=value)


class Options(TypedDict, Generic[T], total=False):
    """What ``submit`` takes besides the action, the form and the address to go to (defaults: no
    message, category "success", errors ``ServiceError``, no error_category, refused or then)."""

    message: str | Callable[[T], str] | None
    category: str
    errors: ErrorTypes
    error_category: str | None
    refused: Callable[[Exception], ResponseReturnValue] | None
    then: Callable[[T], Any] | None


@overload
def submit(
    action: Callable[[], T],
    *,
    redirect_to: str | Callable[[T], str],
    form: None = None,
    **options: Unpack[Options[T]],
) -> ResponseReturnValue: ...


@overload
def submit(
    action: Callable[[], T],
    *,
    redirect_to: str | Callable[[T], str],
    form: Any,
    **options: Unpack[Options[T]],
) -> ResponseReturnValue | None: ...


def submit(
    action: Callable[[], T],
    *,
    redirect_to: str | Callable[[T], str],
    form: Any = None,
    **options: Unpack[Options[T]],
) -> ResponseReturnValue | None:
    """Run a form's change: ``action`` in one transaction, then ``then(value)``, the flashed ``message``
    (text, or a function of the action's value) and a redirect to ``redirect_to``.

    When the action raises one of ``errors`` the transaction is rolled back and the refusal shown:
    flashed with ``error_category`` when given, else beside ``form``'s field (or at its top) when a
    form is given (else the caller's ``refused`` shows it). The answer is then ``refused(error)`` if
    given, None with a form (the caller re-renders it with its 4xx status), else a redirect to
    ``redirect_to`` (a plain address)."""
    outcome = attempt(action, errors=options.get("errors", ServiceError))
    if outcome.error is not None:
        exc = outcome.error
        error_category = options.get("error_category")
        refused = options.get("refused")
        if error_category is not None:
            flash(str(exc), error_category)
        elif form is not None:
            attach_error(form, exc)
        if refused is not None:
            return refused(exc)
        if form is not None:
            return None
        if callable(redirect_to):
            raise TypeError("without a form or refused(), redirect_to must be an address")
        return redirect(redirect_to)
    value: Any = outcome.value
    then = options.get("then")
    if then is not None:
        then(value)
    message = options.get("message")
    if message is not None:
        flash(message(value) if callable(message) else message, options.get("category", "success"))
    return redirect(redirect_to(value) if callable(redirect_to) else redirect_to)


def run(
    form: Any,
    action: Callable[[], T],
    *,
    redirect_to: str | Callable[[T], str],
    page: Callable[[], ResponseReturnValue],
    **options: Unpack[Options[T]],
) -> ResponseReturnValue:
    """A form's whole request: when it comes back valid, ``submit`` the action with it (its redirect);
    else, or when the action is refused (shown in the form), ``page()``: the form again (``form_page``,
    or the caller's page with its 4xx)."""
    if form.validate_on_submit():
        response: ResponseReturnValue | None = submit(action, redirect_to=redirect_to, form=form, **options)
        if response is not None:
            return response
    return page()


def form_page(template: str, form: Any, **context: Any) -> ResponseReturnValue:
    """The form's page: 200 when it is first shown, 400 when it comes back submitted (invalid, or
    refused by ``submit``)."""
    return render_template(template, form=form, **context), 400 if form.is_submitted() else 200
