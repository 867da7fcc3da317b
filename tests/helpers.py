"""Helpers for tests (fixtures live in conftest.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
