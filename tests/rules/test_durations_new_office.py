"""A new Canadian office's permit lengths (T37's start-up: 12 months, renewals of 6) are the case's only
when the office is new, or while the case still asks whether it is (rules/README.md item 62)."""

from __future__ import annotations

import pytest

from rules.params import CODES
from tests.rules.conftest import assess_case


def _start_up(value):
    def change(facts):
        facts["employer"]["start_up"] = value
        if value:  # a new office: not doing business yet, with the plan C61 and T37 ask of it
            facts["employer"]["actively_engaged"] = False
            facts["employer"]["business_plan"] = True

    return change


def test_an_established_canadian_office_has_no_new_office_lengths():
    """Case 02: a CUSMA executive (T37) transferred to a Canadian subsidiary that has been doing business for
    years (``employer.start_up: false``). Its durations named the new office's 12 + 6 months beside the
    general 36 + 24, and the case page read "For a new office in Canada: 12 months initially ..."."""
    a = assess_case("case02-us-executive")
    assert a["recommended"] == "T37"
    d = a["durations"]
    assert (d["initial_max"], d["extension_max"], d["total_cap"]) == (36, 24, 84)
    assert "startup_initial_max" not in d and "startup_extension_max" not in d


def test_a_new_office_has_the_new_office_lengths_as_its_own():
    a = assess_case("case02-us-executive", _start_up(True))
    assert a["recommended"] == "T37"
    d = a["durations"]
    assert (d["initial_max"], d["extension_max"]) == (12, 6)


def test_while_the_case_asks_whether_the_office_is_new_both_lengths_are_given():
    a = assess_case("case02-us-executive", _start_up(None))
    assert a["recommended"] == "T37"
    d = a["durations"]
    assert "employer.start_up" in {q["fact"] for q in a["questions"]}
    assert (d["initial_max"], d["extension_max"]) == (36, 24)
    assert (d["startup_initial_max"], d["startup_extension_max"]) == (12, 6)


@pytest.mark.parametrize("code", sorted(c for c, info in CODES.items() if info.ict))
def test_only_cusma_executives_carry_a_new_offices_lengths(code):
    """The other intra-company transfer codes (CUSMA's T38, CETA's T41/T42/T44, CUKTCA's, CPTPP's, the
    bilateral agreements', R205(a)'s C61/C62/C63) give no separate length for a new office: C61 is the new
    office's own code; the others' instructions set none (imp-rules.md §3)."""
    durations = CODES[code].durations
    assert ("startup_initial_max" in durations) == (code == "T37"), durations
