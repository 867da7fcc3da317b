"""A request that only read ends its database transaction with COMMIT, not ROLLBACK, so that
PostgreSQL keeps the statements it prepared for the pages.

psycopg prepares a statement on its connection once it has run five times (``prepare_threshold``), and
PostgreSQL then stops parsing and planning it again (after a few executions it keeps one generic
plan). But psycopg forgets every statement it prepared at each ROLLBACK (``Connection._rollback_gen``
clears its cache and deallocates them: a rolled-back transaction may have dropped what they use), and
Flask-SQLAlchemy ends every request's session with one (``session.remove()``): no statement was ever
prepared, and PostgreSQL planned each statement of each page again, which was most of its CPU for a
page (planning 3.5 ms against 1.5 ms of execution for the dashboard's eight statements).

COMMIT of a transaction that wrote nothing is the same as its ROLLBACK; so at the end of a request that
raised nothing, whose transaction ran nothing but SELECT statements and whose session holds no
unflushed change, the transaction is committed. Anything else (a write, an error, a pending change)
ends as before, rolled back by ``session.remove()``. A statement that is not a SELECT counts as a
write, whatever it does (``SET``, a ``WITH`` query): the check errs towards the rollback.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from portal import aftercommit
from portal.extensions import db

log = logging.getLogger(__name__)

WROTE = "portal_wrote"  # on the connection's info: a statement other than SELECT ran in this transaction
CONNECTION = "portal_connection"  # on the session's info: the connection of its open transaction


def _begun(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    connection.info[WROTE] = False
    session.info[CONNECTION] = connection


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the root transaction: a savepoint's end leaves it open
        session.info.pop(CONNECTION, None)


def _statement(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[WROTE] = True


def read_only(session: Session) -> bool:
    """Whether the session's open transaction has only read: nothing but SELECT ran on its connection,
    nothing is waiting to be flushed, and no work waits for its commit (``aftercommit``: dropped by the
    rollback, as before)."""
    connection = session.info.get(CONNECTION)
    return (
        connection is not None
        and session.in_transaction()
        and not (session.new or session.dirty or session.deleted)
        and connection.info.get(WROTE) is False
        and aftercommit.pending(session) == 0
    )


def end_read_only(exc: BaseException | None) -> None:
    """Commit the request's transaction if it only read (see the module's text); otherwise leave it to
    ``session.remove()``, which rolls it back."""
    if exc is not None:
        return
    session = db.session()
    if not read_only(session):
        return
    # what it loaded stays loaded, as after the rollback: nothing was written that could make it stale, and
    # an object kept past the request (a test's, a task's result) is still read without its session
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    except Exception:  # the connection went away: session.remove() cleans up as it always has
        log.warning("could not end a read-only transaction with COMMIT", exc_info=True)
    finally:
        session.expire_on_commit = expire


def init_app(app: Flask) -> None:
    """After ``db.init_app``: Flask runs teardown functions last registered first, so this one ends the
    transaction before Flask-SQLAlchemy's removes the session."""
    with app.app_context():
        for engine in db.engines.values():
            event.listen(engine, "before_cursor_execute", _statement)
    if not event.contains(db.session, "after_begin", _begun):
        event.listen(db.session, "after_begin", _begun)
        event.listen(db.session, "after_transaction_end", _ended)
    app.teardown_appcontext(end_read_only)
