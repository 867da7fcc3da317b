"""The spouse or common-law partner of a foreign worker (rules/spouse.py, rules/README.md item 60): the open work
permit an agreement gives the spouse of one of its workers (CETA T45, CUKTCA F64, CPTPP T53, Colombia T25, Korea
F36, CUFTA F73), each from its date and for the principals it covers, else C41 (restricted from 2025-01-21); CUSMA
gives none. The worker is worked case 03's marketing manager (no code fits: LMIA needed) made the partner's spouse;
the partner's job, unless a test says otherwise, is a TEER 5 one (65200), so that C41 never applies."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import rules
from tests.rules.conftest import assess_case, cases_by_name

CASE = "case03-mexican-marketing-manager"
TEER_5 = "65200"  # food and beverage servers
TEER_1 = "21231"  # software engineers
TEER_2 = "72410"  # automotive service technicians
TEER_2_UNLISTED = (
    "12100"  # executive assistants (business): not on IRCC's list of select TEER 2 or 3 occupations
)


def _spouse(on_worker: dict[str, Any], position: dict[str, Any] | None = None):
    def change(f: dict[str, Any]) -> None:
        f["worker"].update({"principal_noc_code": TEER_5, **on_worker})
        if position:
            f["position"].update(position)

    return change


def _assess(on: date, position: dict[str, Any] | None = None, **worker: Any) -> dict:
    return assess_case(CASE, _spouse(worker, position), on)


def _spouse_code(d: dict) -> str | None:
    if d["route"] != "open_permit" or d["employer_step"]["reason"] != "spouse_open_permit":
        return None
    return str(d["reasons"][0]["code"])


def _needed(d: dict) -> list[str]:
    return [q["fact"] for q in d["questions"] if q["needed"]]


def _warnings(d: dict) -> set[str]:
    return {w["id"] for w in d["warnings"]}


# ====================================================================== the outcome


def test_the_spouse_of_a_ceta_transferee_applies_for_a_t45_open_permit_no_employer_step():
    """IRCC's CETA transferees page: "Intra-corporate (company) transferees ... and spouses (open work
    permit/LMIA exemption code T45)". No offer, no compliance fee; the worker pays the open work permit holder
    fee (R303.2, $100); the note names the code, its regulation and IRCC's page."""
    d = _assess(date(2026, 11, 24), principal_permit_code="T44", principal_country="FR")
    assert d["route"] == "open_permit" and d["recommended"] is None and d["codes_fit"] == []
    step = d["employer_step"]
    assert step["kind"] == "none" and step["fee_cad"] == 0 and step["worker_fee_cad"] == 100
    assert step["reason"] == "spouse_open_permit" and "canada-eu/transferees" in step["source"]
    note = d["reasons"][0]
    assert note["code"] == "T45" and note["program"] == "ceta" and note["principal_code"] == "T44"
    assert note["regulation"] == "R204(a)" and note["source"] == step["source"]
    assert d["evidence"] == ["Copy of the worker's open work permit (verify conditions and expiry)"]
    assert d["obligations"] == [] and d["complete"] is True
    assert "spouse_open_permit" in _warnings(d) and "open_permit_verify" not in _warnings(d)
    fr = assess_case(CASE, _spouse({"principal_permit_code": "T44", "principal_country": "FR"}), lang="fr")
    assert "permis de travail ouvert (T45)" in " ".join(w["text"] for w in fr["warnings"])


@pytest.mark.parametrize(("on", "code"), [(date(2017, 9, 20), None), (date(2017, 9, 21), "T45")])
def test_t45_from_the_day_ceta_applied(on, code):
    """CETA applied provisionally from 2017-09-21: the day before, a French transferee's spouse gets no T45
    (and no C41, the partner's job being TEER 5): an LMIA for this job."""
    d = _assess(on, principal_permit_code="T41", principal_country="FR")
    assert _spouse_code(d) == code
    if code is None:
        assert d["route"] == "TFWP" and "c41_not_met" in _warnings(d)


def test_t45_is_for_the_spouse_of_a_transferee_only():
    """The CETA page gives the spouse permit with the transferees: a CETA investor's (T46) spouse gets none, and
    is told why."""
    d = _assess(
        date(2026, 11, 24), principal_permit_code="T46", principal_country="DE", principal_pr_track=False
    )
    assert _spouse_code(d) is None and d["route"] == "TFWP"
    assert {"spouse_agreement_excludes", "c41_not_met"} <= _warnings(d)


@pytest.mark.parametrize(
    ("on", "principal", "code"),
    [
        (date(2020, 12, 31), "T44", "T45"),  # a British transferee under CETA until the transition's end
        (date(2021, 3, 31), "T44", None),  # January to March 2021: an LMIA (imp-rules.md §8 item 6)
        (date(2021, 4, 1), "T44", "T45"),  # CUKTCA, its spouse code T45 until the renumbering
        (date(2022, 12, 14), "T44", "T45"),
        (date(2022, 12, 15), "F61", "F64"),
        (date(2026, 11, 24), "F63", "F64"),
    ],
)
def test_the_spouse_of_a_british_transferee(on, principal, code):
    d = _assess(on, principal_permit_code=principal, principal_country="GB")
    assert _spouse_code(d) == code
    if code == "F64" or (code == "T45" and on >= date(2021, 4, 1)):
        assert d["reasons"][0]["program"] == "cuktca"


def test_a_code_two_agreements_used_asks_the_partners_country():
    """T44 was CETA's and, until 2022-12-14, CUKTCA's transferees' code: which agreement (and so the spouse's
    label) depends on the partner's country, asked; the case is not "LMIA needed" meanwhile."""
    d = _assess(date(2022, 6, 1), principal_permit_code="T44")
    assert d["route"] == "pending" and "worker.principal_country" in _needed(d)
    q = next(q for q in d["questions"] if q["fact"] == "worker.principal_country")
    assert "open_permit" in q["codes"] and "spouse or common-law partner" in q["decides"]


# ====================================================================== CPTPP


@pytest.mark.parametrize(
    ("country", "principal", "code"),
    [
        ("JP", "T52", "T53"),
        ("AU", "T50", "T53"),  # Australian citizens and permanent residents: every category
        ("MX", "T55", "T53"),
        ("MY", "T51", "T53"),  # Malaysia: executives and senior managers only
        ("MY", "T52", None),
        ("BN", "T52", "T53"),  # Brunei: transferees and professionals only
        ("BN", "T50", None),
        ("NZ", "T51", None),  # no spouse permit for New Zealand, Singapore, Vietnam, Peru or Chile
        ("VN", "T50", None),
        ("PE", "T52", None),
    ],
)
def test_t53_depends_on_the_partners_citizenship(country, principal, code):
    """IRCC's CPTPP overview, "Spousal provisions – T53": "Depending on the citizenship of the principal
    applicant"; the countries and categories of imp-rules.md §3.3 (`spouse_owp_for`)."""
    # a partner in a TEER 5 job not transitioning to permanent residence: no C47 either (README item 66)
    d = _assess(
        date(2026, 11, 24),
        principal_permit_code=principal,
        principal_country=country,
        principal_pr_track=False,
    )
    assert _spouse_code(d) == code
    if code is None:
        assert "spouse_agreement_excludes" in _warnings(d)


def test_t53_asks_the_partners_country_and_notes_an_unconfirmed_date():
    d = _assess(date(2026, 11, 24), principal_permit_code="T51")
    assert d["route"] == "pending" and "worker.principal_country" in _needed(d)
    # Malaysia's day of joining is not established (values.yaml cptpp_parties): the outcome says to verify it
    my = _assess(date(2026, 11, 24), principal_permit_code="T51", principal_country="MY")
    assert _spouse_code(my) == "T53" and "cptpp_party_date" in {v["id"] for v in my["to_verify"]}
    jp = _assess(date(2026, 11, 24), principal_permit_code="T51", principal_country="JP")
    assert jp["to_verify"] == []


@pytest.mark.parametrize(("on", "code"), [(date(2018, 12, 29), None), (date(2018, 12, 30), "T53")])
def test_t53_from_the_day_the_partners_country_joined(on, code):
    d = _assess(on, principal_permit_code="T51", principal_country="JP")
    assert _spouse_code(d) == code


# ====================================================================== bilateral agreements


@pytest.mark.parametrize(
    ("on", "principal", "country", "code"),
    [
        (date(2026, 11, 24), "F12", None, "T25"),  # Colombia: spouses of professionals and technicians ...
        (date(2026, 11, 24), "F10", None, "T25"),  # ... traders and investors, transferees
        (date(2020, 6, 1), "T23", "CO", "T25"),  # before the renumbering the partner's country says which
        (date(2022, 12, 14), "T24", "KR", "T25"),  # Korea's spouse code until 2022-12-14 ...
        (date(2022, 12, 15), "F33", None, "F36"),  # ... F36 from the renumbering
        (date(2026, 11, 24), "F30", None, "F36"),
        (date(2024, 6, 30), "F71", None, None),  # CUFTA's chapter applies from 2024-07-01
        (date(2024, 7, 1), "F71", None, "F73"),
        (date(2026, 11, 24), "F72", None, "F73"),
        (
            date(2026, 11, 24),
            "F70",
            None,
            None,
        ),  # an investor's spouse: IRCC's page not read (README item 60)
    ],
)
def test_the_bilateral_agreements_spouse_codes(on, principal, country, code):
    """IRCC's Canada–Colombia page (T25 for "spouses of Traders and Investors, Intra-company Transferees or
    Professionals and Technicians"), its CKFTA pages (F36) and its CUFTA transferees and professionals pages
    ("Spousal provisions – F73")."""
    worker: dict[str, Any] = {"principal_permit_code": principal}
    if country:
        worker["principal_country"] = country
    d = _assess(on, **worker)
    assert _spouse_code(d) == code


@pytest.mark.parametrize(
    ("principal", "country"), [("T36", None), ("T37", None), ("T23", "US"), ("F22", None)]
)
def test_cusma_and_chile_give_no_spouse_permit(principal, country):
    """imp-rules.md §3.1: "CUSMA gives no spousal work right"; nor does the Chile agreement (IRCC's Canada–Colombia
    page: Colombia's chapter adds the spouses to Peru's). With the partner in a TEER 5 job C41 fails too: the
    worker's own job is assessed as before (worked case 03: an LMIA), and the warnings say why."""
    worker: dict[str, Any] = {"principal_permit_code": principal, "principal_pr_track": False}
    if country:
        worker["principal_country"] = country
    d = _assess(date(2020, 6, 1) if principal == "T23" else date(2026, 11, 24), **worker)
    assert d["route"] == "TFWP" and d["employer_step"]["kind"] == "lmia"
    assert {"spouse_agreement_none", "c41_not_met"} <= _warnings(d)
    text = " ".join(w["text"] for w in d["warnings"])
    assert f"The partner's permit ({principal}) comes under" in text


def test_the_spouse_of_a_cusma_professional_is_asked_about_the_partners_job_for_c41():
    """Without the partner's job and permit, C41 could still apply: the case waits for them (no "LMIA needed")."""

    def change(f: dict[str, Any]) -> None:
        f["worker"]["principal_permit_code"] = "T36"

    d = assess_case(CASE, change)
    assert d["route"] == "pending"
    assert {"worker.principal_noc_code", "worker.principal_permit_expiry"} <= set(_needed(d))
    assert not _warnings(d) & {"spouse_agreement_none", "c41_not_met"}


# ====================================================================== C41


@pytest.mark.parametrize(
    ("on", "noc_code", "expiry", "pr_track", "code"),
    [
        # before 2025-01-21: TEER 0-3, at least 6 months left on the partner's permit
        (date(2025, 1, 20), TEER_2, "2025-07-20", None, "C41"),
        (date(2025, 1, 20), TEER_2, "2025-07-19", None, None),
        # a TEER 5 partner: C47 from 2023-01-30 until 2025-01-20 (IRCC's C47/C48 instructions, README item 66)
        (date(2025, 1, 20), TEER_5, "2027-07-20", None, "C47"),
        (date(2025, 1, 21), TEER_5, "2027-07-20", False, None),
        (date(2025, 1, 21), TEER_5, "2027-07-20", True, "C47"),
        # from 2025-01-21: TEER 0 or 1 with 16 months left ...
        (date(2025, 1, 21), TEER_1, "2026-05-21", None, "C41"),
        (date(2025, 1, 21), TEER_1, "2026-05-20", False, None),
        # ... unless the partner is transitioning to permanent residence (the earlier rule)
        (date(2025, 1, 21), TEER_1, "2025-08-01", True, "C41"),
        (date(2025, 1, 21), TEER_2, "2027-01-01", True, "C41"),
        # a TEER 2 or 3 job counts only on IRCC's list of select occupations: a trade (72xxx) is on it (README
        # item 70); one of another major group is not decided, said
        (date(2025, 1, 21), TEER_2, "2027-01-01", False, "C41"),
        (date(2025, 1, 21), TEER_2_UNLISTED, "2027-01-01", False, None),
    ],
)
def test_c41_before_and_after_2025_01_21(on, noc_code, expiry, pr_track, code):
    """IRCC's C41/C46 instructions and its program delivery update of 2025-02-03 (README item 60). The partner
    holds a C62 permit (no agreement's spouse permit)."""
    worker: dict[str, Any] = {
        "principal_permit_code": "C62",
        "principal_noc_code": noc_code,
        "principal_permit_expiry": expiry,
    }
    if pr_track is not None:
        worker["principal_pr_track"] = pr_track
    d = _assess(on, **worker)
    assert _spouse_code(d) == code
    if code in ("C41", "C47"):
        assert d["reasons"][0]["regulation"] == "R205(c)(ii)" and d["employer_step"]["worker_fee_cad"] == 100
    elif noc_code == TEER_2_UNLISTED and on >= date(2025, 1, 21):
        assert "c41_select_occupation" in _warnings(d)
    else:
        assert "c41_not_met" in _warnings(d)


def test_after_2025_01_21_a_short_permit_asks_whether_the_partner_is_becoming_a_permanent_resident():
    d = _assess(
        date(2026, 11, 24),
        principal_permit_code="LMIA",
        principal_noc_code=TEER_1,
        principal_permit_expiry="2027-06-30",
    )
    assert d["route"] == "pending" and "worker.principal_pr_track" in _needed(d)


def test_the_partners_permit_ending_before_the_job_is_said():
    """Spouse permits are valid no longer than the principal's (imp-parameters.yaml: T45, F64, T53 "same validity as
    principal")."""
    d = _assess(
        date(2026, 11, 24),
        {"start_date": "2027-01-04", "duration_months": 36},
        principal_permit_code="F61",
        principal_permit_expiry="2028-06-30",
    )
    assert _spouse_code(d) == "F64" and "spouse_permit_expiry" in _warnings(d)
    assert d["reasons"][0]["permit_expiry"] == "2028-06-30"


def test_a_partners_permit_ending_before_the_job_starts_gives_the_spouse_nothing():
    """A spouse's permit runs no longer than the partner's: one that ends before the job's first day authorizes
    nothing on it (IRPA s. 30(1)), as an open permit held that expires first (engine step 1)."""
    d = _assess(
        date(2026, 11, 24),
        {"start_date": "2027-03-01", "duration_months": 12},
        principal_permit_code="F61",
        principal_permit_expiry="2027-02-28",
    )
    assert _spouse_code(d) is None and d["route"] == "TFWP"
    assert "spouse_partner_permit_ends_first" in _warnings(d)
    same_day = _assess(
        date(2026, 11, 24),
        {"start_date": "2027-03-01", "duration_months": 12},
        principal_permit_code="F61",
        principal_permit_expiry="2027-03-01",
    )
    assert _spouse_code(same_day) == "F64"


# ====================================================================== nothing changes without the facts


@pytest.mark.parametrize("answer", [None, "none", "NONE"])
def test_a_worker_who_is_nobodys_spouse_is_assessed_as_before(answer):
    base = assess_case(CASE)

    def change(f: dict[str, Any]) -> None:
        if answer is not None:
            f["worker"]["principal_permit_code"] = answer

    d = assess_case(CASE, change)
    assert d == base and not any(q["fact"].startswith("worker.principal_") for q in d["questions"])


def test_worked_cases_never_ask_about_a_partner():
    for name in cases_by_name():
        d = assess_case(name, on=date.fromisoformat(str(cases_by_name()[name]["as_of"])))
        assert not any(q["fact"].startswith("worker.principal_") for q in d["questions"]), name


def test_a_spouse_outcome_is_stored_and_given_back():
    facts = rules.facts_from_dict(
        {
            "worker": {
                "citizenships": ["MX"],
                "principal_permit_code": "F61",
                "principal_permit_expiry": "2028-06-30",
            }
        }
    )
    a = rules.assess(facts, date(2026, 11, 24))
    back = rules.from_stored(rules.stored_form(a), facts)
    assert back.to_dict("fr") == a.to_dict("fr") and back.to_dict()["reasons"][0]["code"] == "F64"
