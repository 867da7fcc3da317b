"""Doubts left open by earlier sessions, settled on 2026-12-07 (helper S) against IRCC's pages (rules/README.md
items 74 and 75). Each test fails without the change it covers; the people and companies are invented.

- CUSMA traders and investors (T34/T35, NAFTA's T21/T22 before 2022-12-15): the Canadian enterprise has the
  nationality of one party, the worker's own; US and Mexican shares are not added up (item 74).
- CPTPP intra-corporate transferees (T51/T54/T55): IRCC's page covers "business persons who are employed by an
  enterprise in one of the CPTPP countries, except Singapore and Vietnam": an enterprise of Singapore or Viet Nam
  gives no CPTPP transfer, whatever the worker's citizenship (item 75).
"""

from __future__ import annotations

from datetime import date

from .test_holdout_review import _assess, _transferee
from .test_holdout_review_2 import _criterion, _owner_enterprise

BEFORE = date(2022, 12, 14)  # NAFTA's codes (T21 traders, T22 investors) until this day
ON = date(2026, 12, 7)


def _trader(citizen: str, ownership: dict[str, float], on: date = ON) -> dict:
    facts = _owner_enterprise(
        citizen,
        ownership,
        employer__substantial_trade=True,
        employer__trade_share_with_treaty_country_pct=70,
    )
    return _assess(facts, on)


def _investor(citizen: str, ownership: dict[str, float], on: date = ON) -> dict:
    facts = _owner_enterprise(
        citizen, ownership, worker__ownership_pct=30, worker__investment_substantial=True
    )
    return _assess(facts, on)


# ----------------------------------------------------------------------------------------- CUSMA (item 74)
def test_t35_us_and_mexican_shares_are_not_added_up() -> None:
    """30% US and 30% Mexican: neither a US nor a Mexican enterprise (each party's nationals hold under 50%)."""
    d = _investor("US", {"US": 30, "MX": 30, "CA": 40})
    assert _criterion(d, "T35", "cusma.enterprise_nationality") == "not_met"
    assert "T35" not in d["codes_fit"]


def test_t34_us_and_mexican_shares_are_not_added_up_before_the_renumbering() -> None:
    """The same rule for NAFTA's trader code T21 (until 2022-12-14)."""
    d = _trader("MX", {"US": 30, "MX": 30, "CA": 40}, BEFORE)
    assert _criterion(d, "T21", "cusma.enterprise_nationality") == "not_met"
    assert "T21" not in d["codes_fit"]


def test_t34_the_enterprise_has_the_trader_s_own_nationality() -> None:
    """A Mexican trader of a 60% US-owned enterprise: the enterprise is a US one, not the trader's country's."""
    d = _trader("MX", {"US": 60, "CA": 40})
    assert _criterion(d, "T34", "cusma.enterprise_nationality") == "not_met"
    assert "T34" not in d["codes_fit"]


def test_one_party_owning_half_is_still_enough() -> None:
    """The other side: a US trader of an enterprise 50% US- and 20% Mexican-owned, and a Mexican investor of a
    60% Mexican-owned one, meet the nationality test (and fit)."""
    d = _trader("US", {"US": 50, "MX": 20, "CA": 30})
    assert _criterion(d, "T34", "cusma.enterprise_nationality") == "met"
    assert "T34" in d["codes_fit"]
    d = _investor("MX", {"MX": 60, "US": 10, "CA": 30})
    assert _criterion(d, "T35", "cusma.enterprise_nationality") == "met"
    assert "T35" in d["codes_fit"]


def test_dual_us_mexican_national_counts_one_country_at_a_time() -> None:
    """A citizen of both: the enterprise may be of either country, but 40% + 40% is still no one country's 50%."""
    d = _investor("US", {"MX": 55, "CA": 45})
    assert "T35" not in d["codes_fit"]
    facts = _owner_enterprise(
        "US", {"MX": 55, "CA": 45}, worker__ownership_pct=30, worker__investment_substantial=True
    )
    facts["worker"]["citizenships"] = ["US", "MX"]
    assert _criterion(_assess(facts), "T35", "cusma.enterprise_nationality") == "met"
    facts["employer"]["ownership_by_nationality"] = {"US": 40, "MX": 40, "CA": 20}
    assert _criterion(_assess(facts), "T35", "cusma.enterprise_nationality") == "not_met"


def test_ceta_investors_still_add_up_the_member_states() -> None:
    """CETA's party is the EU: a French investor's enterprise 30% French- and 30% German-owned has EU nationality
    (unchanged)."""
    facts = _owner_enterprise(
        "FR",
        {"FR": 30, "DE": 30, "CA": 40},
        worker__ownership_pct=30,
        worker__investment_substantial=True,
    )
    d = _assess(facts)
    assert _criterion(d, "T46", "ceta.enterprise_nationality") == "met"


# ----------------------------------------------------------------------------------------- CPTPP (item 75)
def test_cptpp_transferee_from_a_singapore_enterprise_is_not_covered() -> None:
    """A Japanese manager of the group's Singapore company: IRCC's page excludes enterprises in Singapore and
    Vietnam, so no T51 (GATS/R205 transfers are assessed on their own)."""
    d = _assess(_transferee("JP", "SG"))
    assert _criterion(d, "T51", "cptpp.enterprise_country") == "not_met"
    assert "T51" not in d["codes_fit"]
    d = _assess(_transferee("AU", "VN"))
    assert "T51" not in d["codes_fit"]


def test_cptpp_transferee_from_a_japanese_enterprise_is_covered() -> None:
    """The other side: the same manager of the group's Japanese company, and an Australian of its Mexican one."""
    d = _assess(_transferee("JP", "JP"))
    assert _criterion(d, "T51", "cptpp.enterprise_country") == "met"
    assert "T51" in d["codes_fit"]
    d = _assess(_transferee("AU", "MX"))
    assert _criterion(d, "T51", "cptpp.enterprise_country") == "met"
