"""C41 from 2025-01-21: the partner in a TEER 2 or 3 occupation gives the spouse an open permit only when that
occupation is on IRCC's list of select occupations; every TEER 2 or 3 occupation of the NOC major groups 22, 32,
33, 72, 73, 82 and 83 is on it (rules/README.md item 70). Invented people; the worker herself is a cook (no code of
her own), so the partner's permit decides."""

from __future__ import annotations

from datetime import date

import pytest

from .test_holdout_review import NO_FRENCH, _assess, _hire

ON = date(2025, 6, 2)


def _spouse_of(noc: str, expiry: str = "2027-03-31", on: date = ON, start: str = "2025-07-07") -> dict:
    return _assess(
        _hire(
            "PH",
            position__noc_code="63200",
            position__capacity="other",
            position__start_date=start,
            position__duration_months=12,
            worker__principal_permit_code="LMIA",
            worker__principal_country="PH",
            worker__principal_noc_code=noc,
            worker__principal_permit_expiry=expiry,
            worker__principal_pr_track=False,
            **NO_FRENCH,
        ),
        on,
    )


def _spouse_code(d: dict) -> str | None:
    return next((r["code"] for r in d["reasons"] if r.get("reason") == "spouse_open_permit"), None)


def _warnings(d: dict) -> set[str]:
    return {w["id"] if isinstance(w, dict) else w for w in d.get("warnings", [])}


@pytest.mark.parametrize(
    "noc",
    [
        "72200",  # electricians (TEER 2, trades)
        "22300",  # civil engineering technologists (TEER 2, natural and applied sciences)
        "32101",  # licensed practical nurses (TEER 2, health)
        "33102",  # nurse aides, orderlies (TEER 3, health)
        "73300",  # transport truck drivers (TEER 3, transport)
        "82030",  # agricultural service contractors and farm supervisors (TEER 2, agriculture)
    ],
)
def test_a_partner_in_a_listed_group_gives_c41(noc: str) -> None:
    d = _spouse_of(noc)
    assert (d["route"], _spouse_code(d)) == ("open_permit", "C41"), (d["route"], d["reasons"])


@pytest.mark.parametrize(
    "noc",
    [
        "63200",  # cooks (TEER 3, sales and service): not on the list
        "12100",  # executive assistants (TEER 2, business): not on the list
        "92100",  # power engineers (TEER 2, manufacturing and utilities): not on the list
    ],
)
def test_a_partner_in_another_teer_2_or_3_group_gives_no_c41(noc: str) -> None:
    d = _spouse_of(noc)
    assert _spouse_code(d) is None
    assert d["route"] != "open_permit"


def test_a_listed_group_still_needs_16_months_left() -> None:
    d = _spouse_of("72200", expiry="2026-03-31")  # ten months from the application
    assert _spouse_code(d) is None


def test_before_2025_01_21_any_teer_2_or_3_partner_gives_c41() -> None:
    d = _spouse_of("12100", expiry="2025-02-14", on=date(2024, 6, 3), start="2024-07-02")
    assert (d["route"], _spouse_code(d)) == ("open_permit", "C41")
