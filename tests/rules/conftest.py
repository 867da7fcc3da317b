"""Fixtures for the rules-engine tests (no app fixture: rules/ is pure)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rules import params

CASES_DIR = Path(__file__).parent / "cases"


def load_case_text(text: str) -> dict:
    """A case file read as the rules read their parameters (YAML 1.2 booleans): a country code NO
    (Norway) stays "NO", where PyYAML's YAML 1.1 safe_load reads it as False."""
    data: dict = params.load_text(text)
    return data


def load_cases() -> list[dict]:
    return [load_case_text(p.read_text(encoding="utf-8")) for p in sorted(CASES_DIR.glob("*.yaml"))]


@pytest.fixture(scope="session")
def worked_cases() -> list[dict]:
    return load_cases()


def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
