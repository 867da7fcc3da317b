"""Inserting many rows at once (an import): without the ORM's per-object bookkeeping and without one
huge ``INSERT … RETURNING`` (psycopg rewrites such a statement's thousands of placeholders in Python)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, insert, select

from portal.extensions import Model, db


def _table(model: type[Model]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)  # a mapped class's table (typed as a FromClause)
    return table


def insert_many(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (the same keys in every row) in one executemany, without RETURNING: into the
    table, not through the entity (the ORM's bulk insert prepares each row in Python first)."""
    if rows:
        db.session.execute(insert(_table(model)), rows)


def insert_rows(model: type[Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (the columns of each, the same keys in every row) into the model's table and
    return their ids, in order. On PostgreSQL the ids are taken from the table's sequence first (one
    query) and the rows are sent in one executemany (a single prepared statement, no RETURNING);
    elsewhere (SQLite, the embedded default) one INSERT … RETURNING. The caller commits."""
    if not rows:
        return []
    table = _table(model)
    if db.session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        ids = list(
            db.session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows))))
        )
        insert_many(model, [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)])
        return ids
    returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(returning, rows))
