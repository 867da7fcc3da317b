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
