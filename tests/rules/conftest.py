"""Fixtures for the rules-engine tests (no app fixture: rules/ is pure)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[dict]:
    out = []
    for p in sorted(CASES_DIR.glob("*.yaml")):
        with open(p, encoding="utf-8") as fh:
            out.append(yaml.safe_load(fh))
    return out


@pytest.fixture(scope="session")
def worked_cases() -> list[dict]:
    return load_cases()


def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
