"""Work that must wait for the commit: ``after_commit(fn, *args)`` runs ``fn(*args)`` once the current
session's transaction is committed, and never if it is rolled back (the same idea as pypi/warehouse's
``addAfterCommitHook`` for its Celery tasks).

A Celery task sent before the commit can run before the row it reads exists, or for a row a rollback
then removes; sent after a hand-written ``commit()`` it is easy to forget or to misorder. Services and
views register the send where they decide it, and the session sends it when (and only if) the data is
there::

    document = services.request_document(...)          # flushed, so it has an id
    after_commit(send_render, [document.id])

Hooks live in ``session.info``. They run from ``after_transaction_end`` of the outermost transaction
that committed (SQLAlchemy forbids SQL inside ``after_commit`` itself; a hook may use the session, in a
new transaction of its own). A savepoint's release does not run them, its rollback drops those
registered inside it; a rollback of the outermost transaction drops them all. A hook that fails is logged and does not undo the commit or stop the next ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from portal.extensions import db

log = logging.getLogger(__name__)

_PENDING = "after_commit.pending"
_COMMITTED = "after_commit.committed"


def after_commit(fn: Callable[..., Any], *args: Any, session: Session | None = None, **kwargs: Any) -> None:
    """Run ``fn(*args, **kwargs)`` after ``session`` (by default the app's ``db.session``) commits."""
    _listen()
    target = session if session is not None else db.session()
    scope = target.get_nested_transaction()  # a savepoint's rollback drops what was registered in it
    target.info.setdefault(_PENDING, []).append((scope, fn, args, kwargs))


def pending(session: Session | None = None) -> int:
    """How many hooks wait for the commit (for tests and logs)."""
    target = session if session is not None else db.session()
    return len(target.info.get(_PENDING, ()))


def _within(scope: SessionTransaction | None, transaction: SessionTransaction) -> bool:
    while scope is not None:
        if scope is transaction:
            return True
        scope = scope.parent
    return False


def _root(session: Session) -> bool:
    transaction = session.get_transaction()
    return transaction is not None and transaction.parent is None and not transaction.nested


def _committed(session: Session) -> None:
    if not _root(session):
        return  # a savepoint released: the outer transaction decides
    hooks = session.info.pop(_PENDING, None)
    if hooks:
        session.info.setdefault(_COMMITTED, []).extend(hooks)


def _rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is not None or previous_transaction.nested:
        # A savepoint rolled back: drop what was registered inside it; the rest waits for the commit.
        hooks = session.info.get(_PENDING, [])
        hooks[:] = [hook for hook in hooks if not _within(hook[0], previous_transaction)]
        return
    session.info.pop(_PENDING, None)
    session.info.pop(_COMMITTED, None)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    hooks = session.info.pop(_COMMITTED, None)
    if not hooks:
        session.info.pop(_PENDING, None)  # ended without a commit (closed, or rolled back)
        return
    for _scope, fn, args, kwargs in hooks:
        try:
            fn(*args, **kwargs)
        except Exception:
            log.exception("After-commit hook %r failed", fn)


def _listen() -> None:
    if not event.contains(Session, "after_commit", _committed):
        event.listen(Session, "after_commit", _committed)
        event.listen(Session, "after_soft_rollback", _rolled_back)
        event.listen(Session, "after_transaction_end", _ended)
