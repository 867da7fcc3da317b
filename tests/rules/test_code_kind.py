"""What a support letter argues for each code comes from the rules engine's code table."""

import pytest

import rules
from rules.params import CODES


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("T37", "ict"),
        ("C62", "ict"),
        ("F61", "ict"),
        ("T51", "ict"),
        ("T36", "professional"),
        ("F12", "professional"),
        ("T47", "professional"),
        ("T33", "professional"),
        ("T35", "trader_investor"),
        ("F20", "trader_investor"),
        ("T46", "trader_investor"),
        ("C16", "francophone"),
        ("C10", "other"),
        ("C50", "other"),
        ("NOPE", "other"),
    ],
)
def test_code_kind(code, kind):
    assert rules.code_kind(code) == kind


def test_every_code_has_a_known_kind():
    assert {info.kind for info in CODES.values()} <= {
        "ict",
        "professional",
        "trader_investor",
        "francophone",
        "other",
    }
