"""Third audit (2026-12-07): situations at the edges of the reference that a consultant would check first,
found by varying the worked cases one fact at a time. One test per finding, each citing its source. The
people and companies are invented."""

from __future__ import annotations

from datetime import date

import jsonschema

from .conftest import assess_case
from .test_no_permit import SCHEMA


def _in_canada(kind: str | None, expiry: str | None = None):
    def change(f):
        f["worker"]["in_canada"] = True
        f["worker"].pop("current_permit_type", None)
        if kind is not None:
            f["worker"]["current_permit_type"] = kind
        if expiry is not None:
            f["worker"]["current_permit_expiry"] = expiry

    return change


def _options(d: dict) -> dict[str, tuple[bool, str]]:
    return {o["place"]: (o["allowed"], o["reason"]) for o in d["where"]["options"]}


def test_a_visitor_in_canada_cannot_apply_from_inside():
    """IRPR R199: only the holder of a work or study permit (or the other listed people) may apply after
    entering Canada; the temporary public policy that let visitors do so ended on 2024-08-28. The engine
    told every worker in Canada to apply from inside."""
    # a Dutch investor (T46) in Canada as a visitor: from outside Canada (a port of entry is flagpoling)
    d = assess_case("case13-dutch-investor", _in_canada("visitor"))
    assert d["where"]["reason"] == "r199_not_eligible"
    jsonschema.validate(d, SCHEMA)
    assert d["where"]["place"] == "online-outside" and d["where"]["reason"] == "r199_not_eligible"
    assert _options(d)["in-Canada"] == (False, "r199_not_eligible")
    assert _options(d)["online-outside"] == (True, "after_leaving_canada")
    assert assess_case("case13-dutch-investor", _in_canada("none"))["where"]["place"] == "online-outside"
    # a US green-card holder (C62) may still go to a port of entry (not bound by the flagpoling restriction)
    d = assess_case("case08-us-green-card-manager", _in_canada("visitor"))
    assert d["where"]["place"] == "POE" and _options(d)["in-Canada"][0] is False
    # before the flagpoling restriction (2024-10-01) the port of entry was open, but T46's page prefers
    # online filing (worked case 13): online, the port of entry an allowed option
    d = assess_case("case13-dutch-investor", _in_canada("visitor"), on=date(2024, 10, 1))
    assert d["where"]["place"] == "online-outside" and _options(d)["POE"][0] is True
    # under the public policy (2023), a visitor could apply from inside
    d = assess_case("case13-dutch-investor", _in_canada("visitor"), on=date(2023, 11, 24))
    assert d["where"]["place"] == "in-Canada" and d["where"]["reason"] == "visitor_public_policy"
    # a work permit holder may (R199(a)); once expired, no longer
    assert (
        assess_case("case13-dutch-investor", _in_canada("employer_specific"))["where"]["place"] == "in-Canada"
    )
    expired = assess_case("case13-dutch-investor", _in_canada("employer_specific", "2026-01-31"))
    assert expired["where"]["reason"] == "permit_expired" and expired["where"]["place"] == "online-outside"
    # CUSMA (R199(h)): a US citizen engineer (T36) may apply from inside as a visitor; a US investor (T35)
    # may not (reciprocity: professionals and transferees only), nor a US engineer without status
    d = assess_case("case01-us-civil-engineer", _in_canada("visitor"))
    assert d["where"]["place"] == "in-Canada" and d["where"]["reason"] == "r199_cusma"
    d = assess_case("case14-us-investor", _in_canada("visitor"))
    assert d["recommended"] == "T35" and _options(d)["in-Canada"][0] is False
    assert (
        assess_case("case01-us-civil-engineer", _in_canada("none"))["where"]["reason"] == "r199_not_eligible"
    )
    # the permit held decides: asked
    d = assess_case("case13-dutch-investor", _in_canada(None))
    assert d["where"]["place"] is None and "worker.current_permit_type" in [q["fact"] for q in d["questions"]]
    assert _options(d)["in-Canada"][0] is False  # not "allowed" while unknown

    # leaving to apply, the citizenship decides the visa and the port of entry: asked, no place guessed
    def no_citizenship(f):
        _in_canada("visitor")(f)
        f["worker"].pop("citizenships")
        f["worker"].pop("passport_country", None)

    d = assess_case("case03-mexican-marketing-manager", no_citizenship)
    assert d["where"]["place"] is None and "worker.citizenships" in [q["fact"] for q in d["questions"]]


def test_a_foreign_enterprise_not_doing_business_gives_no_intra_company_code():
    """imp-rules.md §3.1 and §3.4: both enterprises must be doing business. The foreign one's answer was
    asked and never read: "no" still gave T37 and C62."""

    def idle(f):
        f["foreign_enterprise"]["doing_business"] = False

    d = assess_case("case02-us-executive", idle)
    assert not {"T37", "C62"} & set(d["codes_fit"])
    assert "ict.foreign_doing_business" in {
        c["id"]
        for cand in d["candidates"]
        if cand["code"] == "C62"
        for c in cand["criteria"]
        if c["status"] == "not_met"
    }

    def unknown(f):
        f["foreign_enterprise"].pop("doing_business")

    d = assess_case("case15-ict-new-subsidiary", unknown)
    assert d["route"] == "pending" and "foreign_enterprise.doing_business" in [
        q["fact"] for q in d["questions"] if q["needed"]
    ]
    assert assess_case("case02-us-executive")["recommended"] == "T37"


def test_an_open_permit_that_expires_before_the_job_starts_does_not_authorize_it():
    """IRPA s. 30(1), R196: on the first day the worker must hold a valid permit. A PGWP ending two months
    before the start was read as "already authorized, no employer step"; and a permit already held showed
    the $100 open work permit holder fee as due (it was paid when the permit was issued, case 09)."""

    def expires_first(f):
        f["worker"]["current_permit_expiry"] = "2027-01-01"
        f["position"]["start_date"] = "2027-03-01"

    d = assess_case("case09-pgwp-holder", expires_first)
    assert d["route"] != "open_permit" and d["employer_step"]["kind"] != "none"
    held = assess_case("case09-pgwp-holder")
    assert held["route"] == "open_permit" and "worker_fee_cad" not in held["employer_step"]


def test_a_passport_expired_before_the_job_starts_is_said_so():
    """R52(1) and imp-rules.md §1.5: a permit is not issued past the passport's validity. An expired passport
    gave no warning, or the "permit cannot run past the passport" one for a permit that would end before
    it began."""

    def expired(f):
        f["worker"]["passport_expiry"] = "2025-01-01"
        f["position"]["start_date"] = "2027-01-04"  # a job end, so that the passport cap could be said

    d = assess_case("case10-german-graduate-trainee", expired)
    ids = [w["id"] for w in d["warnings"]]
    assert "passport_expired" in ids and "passport_cap" not in ids
    assert "January 1, 2025" in next(w["text"] for w in d["warnings"] if w["id"] == "passport_expired")
    fr = assess_case("case10-german-graduate-trainee", expired, lang="fr")
    said = next(w["text"] for w in fr["warnings"] if w["id"] == "passport_expired")
    assert "renouvelle" in said and "le 1er janvier 2025," in said  # a date written out, in each language
    # a US citizen needs no passport to enter (R52(2)) and gets a permit whatever its expiry (§1.5)
    us = assess_case("case01-us-civil-engineer", expired)
    assert "passport_expired" not in [w["id"] for w in us["warnings"]]


def test_a_dual_national_files_on_the_passport_that_gives_the_code():
    """imp-rules.md §1.4: the offer and the application are matched on the passport of the citizenship that
    gives eligibility. An Indian and US accountant (T36) travelling on the Indian passport was told to apply
    online with a visa, on the Indian passport."""

    def travels_indian(f):
        f["worker"]["passport_country"] = "IN"

    d = assess_case("case07-dual-national-accountant", travels_indian)
    assert d["recommended"] == "T36"
    assert d["where"]["passport"] == "US" and d["where"]["place"] == "POE"


def test_a_job_longer_than_the_code_allows_is_said_so():
    """Durations (codes table, imp-rules.md §3.1-§3.2): T42 lasts 12 months with no extension; the
    intra-company transfer codes share 84 months. A 36-month job under either gave no word."""

    def months(n, used=0):
        def change(f):
            f["position"]["duration_months"] = n
            f["worker"]["ict_months_used"] = used

        return change

    d = assess_case("case10-german-graduate-trainee", months(36))
    assert [w["id"] for w in d["warnings"] if w["id"].startswith("job_longer")] == ["job_longer_than_code"]
    d = assess_case("case02-us-executive", months(36, used=80))
    assert "ict_cap_left" in [w["id"] for w in d["warnings"]]
    d = assess_case("case02-us-executive", months(48))
    assert "job_longer_than_first_permit" in [w["id"] for w in d["warnings"]]
    assert not [w for w in assess_case("case02-us-executive")["warnings"] if w["id"].startswith("job_longer")]
