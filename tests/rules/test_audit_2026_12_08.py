"""Fourth audit (2026-12-08): invented cases at the edges of the reference that the worked cases do not
reach. One test per discrepancy fixed, each citing the section it follows. The people and companies are
invented."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from .conftest import assess_case

SCHEMA = json.loads((Path(__file__).parents[2] / "rules" / "schema" / "assessment.v1.json").read_text())

FEE_EXEMPTION_PROOF = (
    "Proof of the employer compliance fee exemption, uploaded with the offer (unremunerated religious or "
    "charitable work: EC1, R303.1(5))"
)


def _needed(d: dict) -> set[str]:
    return {q["fact"] for q in d["questions"] if q["needed"]}


# ------------------------------------------------------------------- the fee exemption's proof


def test_a_fee_exempt_offer_lists_the_proof_of_the_exemption_in_the_checklist():
    """imp-rules.md §1.2: a fee-exempt employer "must still submit the offer and upload proof of the fee
    exemption (e.g., unpaid religious/charitable work: employer code EC1)"; §4.3: "Fee payment (receipt)
    or fee-exemption proof upload"; imp-cases.md case 29: "offer still mandatory with proof of fee
    exemption". The checklist of the unpaid religious instructor named the offer number but not that
    proof."""
    d = assess_case("case29-unpaid-religious-worker")
    assert d["employer_step"]["kind"] == "offer, fee-exempt"
    assert FEE_EXEMPTION_PROOF in d["evidence"]
    jsonschema.validate(d, SCHEMA)
    # an unpaid live-in assistant of the charity of case 30 (C51): the same proof
    unpaid = assess_case("case30-paid-charitable-care-worker", lambda f: f["position"].update(paid=False))
    assert unpaid["recommended"] == "C51" and FEE_EXEMPTION_PROOF in unpaid["evidence"]
    # the paid worker of case 30 pays the fee: no exemption to prove
    assert FEE_EXEMPTION_PROOF not in assess_case("case30-paid-charitable-care-worker")["evidence"]
    # in French too
    fr = assess_case("case29-unpaid-religious-worker", lang="fr")
    assert any("exemption des frais relatifs à la conformité" in e for e in fr["evidence"])


# ------------------------------------------------------------------- a CUSMA profession read from the NOC


def _us_professor(profession: str | None):
    """Case 01's employer and worker turned into a US chemist hired as a university professor (NOC 41200,
    University professors and lecturers), with a doctorate."""

    def change(f):
        f["employer"].update(name="Prairie University", kind="university", province="SK")
        f["position"].update(
            title="Assistant Professor of Chemistry", noc_code="41200", province="SK", licence_required=False
        )
        f["position"].pop("city", None)
        f["worker"].update(education_level="doctorate", education_field="chemistry")
        f["worker"].pop("canadian_licence", None)
        if profession is None:
            f["worker"].pop("profession", None)
        else:
            f["worker"]["profession"] = profession

    return change


def test_a_us_university_professor_is_the_cusma_university_teacher():
    """imp-rules.md §3.1 T36 item 2: the 63 professions of Appendix 2, "titles may vary if duties are
    interchangeable, checked against NOC"; imp-parameters.yaml cusma_professions.teachers: College,
    Seminary, University. NOC 41200 is "University professors and lecturers": a US professor typed as
    "University professor" or "Professor" was read as off the list (T36 not met), and with no profession
    typed the list was asked although the job's NOC answers it."""
    for typed in ("University professor", "Professor", None):
        d = assess_case("case01-us-civil-engineer", _us_professor(typed))
        assert d["recommended"] == "T36", (typed, d["route"])
        jsonschema.validate(d, SCHEMA)
        assert "worker.profession" not in _needed(d)
    # the other unit groups the list names as they stand: a management consultant, a forester, a
    # meteorologist, a medical laboratory technologist
    for noc, profession in (("11201", "Business consultant"), ("21111", "Forestry professional")):

        def other(f, noc=noc, profession=profession):
            _us_professor(profession)(f)
            f["position"]["noc_code"] = noc
            f["worker"].update(education_level="bachelor")

        assert assess_case("case01-us-civil-engineer", other)["recommended"] == "T36", noc
    # a NOC off the list stays off it (NOC 10022, advertising, marketing and public relations managers)
    off = assess_case("case03-mexican-marketing-manager")
    t36 = next(c for c in off["candidates"] if c["code"] == "T36")
    assert next(x for x in t36["criteria"] if x["id"] == "cusma.profession")["status"] == "not_met"
