"""Helpers for tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from portal.extensions import db

# A time as pages show it (portal.timezones.local_time), its zone's short name captured: "Jan 15, 2026,
# 6:19 a.m. EST" (a narrow no-break space before "a.m."), "15 janv. 2026, 6 h 19 HNE".
STAMP = re.compile(r"\b\d{1,2}:\d\d\u202f[ap]\.m\. ([A-Z]{3,4})\b|\b\d{1,2} h \d\d ([A-Z]{3,4})\b")


def stamp_zones(text: str) -> list[str]:
    """The zone of every time in ``text`` shown as the pages show times (``STAMP``)."""
    return [english or french for english, french in STAMP.findall(text)]


# An invented postal code of each province or territory (its first letter is the province's, as the
# employer's forms check: portal.forms_common.POSTAL_CODE_PROVINCES).
POSTAL_CODES = {
    "AB": "T2P 1J9",
    "BC": "V6B 1A1",
    "MB": "R3C 4T3",
    "NB": "E1C 4M3",
    "NL": "A1C 5M2",
    "NS": "B3J 1S9",
    "NT": "X1A 2P7",
    "NU": "X0A 0H0",
    "ON": "K1A 0B1",
    "PE": "C1A 7N8",
    "QC": "H2X 1Y4",
    "SK": "S4P 3Y2",
    "YT": "Y1A 2C6",
}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@contextmanager
def statements_sent(app) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block, in order (an SQLAlchemy event on the
    engine counts every one, whatever the session)."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
