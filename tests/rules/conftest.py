"""Fixtures for the rules-engine tests (no app fixture: rules/ is pure)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import rules
from rules import params

CASES_DIR = Path(__file__).parent / "cases"


def load_case_text(text: str) -> dict:
    """A case file read as the rules read their parameters (YAML 1.2 booleans): a country code NO
    (Norway) stays "NO", where PyYAML's YAML 1.1 safe_load reads it as False."""
    data: dict = params.load_text(text)
    return data


def load_cases() -> list[dict]:
    return [load_case_text(p.read_text(encoding="utf-8")) for p in sorted(CASES_DIR.glob("*.yaml"))]


@cache
def cases_by_name() -> dict[str, dict]:
    return {c["name"]: c for c in load_cases()}


def assess_case(
    name: str,
    change: Callable[[dict[str, Any]], None] | None = None,
    on: date = date(2026, 11, 24),
    lang: str = "en",
) -> dict:
    """Worked case ``name``'s facts, changed in place by ``change`` (on a copy), assessed ``on``, as the
    output's dict in ``lang``: how a test builds a variant of a reference case."""
    facts = copy.deepcopy(cases_by_name()[name]["facts"])
    if change:
        change(facts)
    return rules.assess(rules.facts_from_dict(facts), on).to_dict(lang)


@pytest.fixture(scope="session")
def worked_cases() -> list[dict]:
    return load_cases()


def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
