"""The evidence checklist names the proof a criterion reads (imp-rules.md §8 item 11): an intra-company
transfer is met only with a letter from the foreign enterprise that keeps the worker's position abroad
(criterion ict.position_abroad_kept), so the checklist the employer uploads against lists that letter.
The people and companies are invented."""

from __future__ import annotations

from datetime import date

import pytest

import rules

from .conftest import assess_case

LETTER = {
    "en": "Letter from the foreign enterprise confirming the worker's position abroad is kept for their return",
    "fr": "Lettre de l'entreprise étrangère confirmant que le poste du travailleur à l'étranger lui est "
    "conservé pour son retour",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("case02-us-executive", "T37"),
        ("case15-ict-new-subsidiary", "C61"),
    ],
)
def test_an_intra_company_code_lists_the_letter_that_keeps_the_position_abroad(case, code, lang):
    out = assess_case(case, lang=lang)
    recommended = out["recommended"]
    assert recommended == code
    candidate = next(c for c in out["candidates"] if c["code"] == recommended)
    assert any(c["id"] == "ict.position_abroad_kept" for c in candidate["criteria"]), recommended
    assert LETTER[lang] in out["evidence"], out["evidence"]


def test_a_code_that_reads_no_such_letter_does_not_ask_for_it():
    out = assess_case("case01-us-civil-engineer")  # a CUSMA professional
    candidate = next(c for c in out["candidates"] if c["code"] == out["recommended"])
    assert all(c["id"] != "ict.position_abroad_kept" for c in candidate["criteria"])
    assert LETTER["en"] not in out["evidence"]


PASSPORTS = {
    "en": (
        "Passport of the agreement country (the one entered in the offer)",
        "Passport (the one entered in the offer)",
    ),
    "fr": (
        "Passeport du pays de l'accord (celui inscrit dans l'offre)",
        "Passeport (celui inscrit dans l'offre)",
    ),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("case", "code", "agreement"),
    [
        ("case01-us-civil-engineer", "T36", True),  # a CUSMA professional: the agreement country's passport
        ("case07-dual-national-accountant", "T36", True),  # a dual national: which passport matters
        ("case02-us-executive", "T37", False),
        ("case15-ict-new-subsidiary", "C61", False),
    ],
)
def test_the_checklist_names_the_passport_once(case, code, agreement, lang):
    out = assess_case(case, lang=lang)
    assert out["recommended"] == code
    passports = [item for item in out["evidence"] if item.startswith(("Passport", "Passeport"))]
    assert passports == [PASSPORTS[lang][0 if agreement else 1]], out["evidence"]


def test_a_file_of_a_renamed_item_counts_for_the_item_that_replaced_it():
    agreement, general = PASSPORTS["en"]
    assert rules.evidence_item_of(general, [general, "Signed employment agreement"]) == general
    assert rules.evidence_item_of(general, [agreement]) == agreement
    assert rules.evidence_item_of("Passport of the agreement country", [agreement]) == agreement
    assert rules.evidence_item_of("Passport of the agreement country", [general]) is None
    assert rules.evidence_item_of("Signed employment agreement", [agreement]) is None
    # an old item is still named in French (a file stored under it is shown as uploaded for it)
    assert rules.evidence_in("Passport of the agreement country", "fr", date(2026, 12, 10)) == (
        "Passeport du pays de l'accord"
    )


AGREEMENTS = {
    "en": ("Employment agreement signed by the Canadian client", "Signed employment agreement"),
    "fr": ("Contrat de travail signé par le client canadien", "Contrat de travail signé"),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("case", "code", "client"),
    [
        ("case11-italian-css", "T47", True),  # the Canadian client signs it (imp-rules.md §3.2)
        ("case12-french-independent-professional", "T43", None),  # self-employed: a contract for services
        ("case02-us-executive", "T37", False),
    ],
)
def test_the_checklist_names_the_employment_agreement_once(case, code, client, lang):
    out = assess_case(case, lang=lang)
    assert out["recommended"] == code
    agreements = [item for item in out["evidence"] if item in AGREEMENTS[lang]]
    assert agreements == ([] if client is None else [AGREEMENTS[lang][0 if client else 1]]), out["evidence"]
    # an agreement uploaded under the general item before counts for the client's
    if client and lang == "en":
        assert rules.evidence_item_of(AGREEMENTS["en"][1], [AGREEMENTS["en"][0]]) == AGREEMENTS["en"][0]


# A new Canadian office (C61) against a Canadian enterprise already doing business (C62, C63): rules/README.md
# item 53
NEW_OFFICE_ITEMS = {
    "en": (
        "Proof that the foreign enterprise is doing business (annual reports, financial statements)",
        "Proof that the Canadian entity is incorporated or registered (certificate and articles of incorporation, "
        "or the branch's registration in the province)",
        "Lease or proof of secured premises; HR/staffing plan; business plan; proof of financial capacity",
    ),
    "fr": (
        "Preuve que l'entreprise étrangère exerce ses activités (rapports annuels, états financiers)",
        "Preuve de la constitution ou de l'enregistrement de l'entité canadienne (certificat et statuts "
        "constitutifs, ou enregistrement de la succursale dans la province)",
        "Bail ou preuve des locaux\u00a0; plan de dotation\u00a0; plan d'affaires\u00a0; preuve de la capacité financière",
    ),
}
ESTABLISHED_ITEMS = {
    "en": (
        "Proof that both enterprises are doing business",
        "Proof the Canadian entity is actively engaged (articles, T2 returns, CRA payroll account, lease)",
    ),
    "fr": (
        "Preuve que les deux entreprises exercent leurs activités",
        "Preuve que l'entité canadienne est active (statuts, déclarations T2, compte de retenues sur la paie de "
        "l'ARC, bail)",
    ),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_new_canadian_office_is_asked_for_its_incorporation_premises_and_plans_not_t2_returns(lang):
    """C61 (worked case 15, a subsidiary being set up) listed "T2 returns, CRA payroll account" and "both
    enterprises are doing business", which a company created for the transfer cannot show; C62 (worked case 08,
    an established subsidiary) still lists them."""
    new = assess_case("case15-ict-new-subsidiary", lang=lang)
    assert new["recommended"] == "C61"
    assert all(item in new["evidence"] for item in NEW_OFFICE_ITEMS[lang]), new["evidence"]
    assert not [item for item in new["evidence"] if "T2" in item or item in ESTABLISHED_ITEMS[lang]]
    established = assess_case("case08-us-green-card-manager", lang=lang)
    assert established["recommended"] == "C62"
    assert all(item in established["evidence"] for item in ESTABLISHED_ITEMS[lang]), established["evidence"]
    assert not [item for item in established["evidence"] if item in NEW_OFFICE_ITEMS[lang][:2]]


def test_a_file_uploaded_against_an_established_companys_item_counts_for_the_new_offices():
    both, active = ESTABLISHED_ITEMS["en"]
    foreign, incorporated, _plans = NEW_OFFICE_ITEMS["en"]
    c61 = assess_case("case15-ict-new-subsidiary")["evidence"]
    assert rules.evidence_item_of(both, c61) == foreign
    assert rules.evidence_item_of(active, c61) == incorporated
    c62 = assess_case("case08-us-green-card-manager")["evidence"]
    assert rules.evidence_item_of(both, c62) == both and rules.evidence_item_of(active, c62) == active


CONTRACTS = {
    "en": (
        "Signed service contract between the self-employed worker and the Canadian client",
        "Signed service contract between the foreign enterprise (or the worker) and the Canadian client",
    ),
    "fr": (
        "Contrat de services signé entre le travailleur autonome et le client canadien",
        "Contrat de services signé entre l'entreprise étrangère (ou le travailleur) et le client canadien",
    ),
}


def _moved(countries: dict[str, str] | None):
    """The worker's citizenship and residence changed as ``countries`` says (FR -> GB: CUKTCA's F-codes)."""

    def moved(facts: dict) -> None:
        for old, new in (countries or {}).items():
            facts["worker"]["citizenships"] = [
                new if c == old else c for c in facts["worker"]["citizenships"]
            ]
            facts["worker"]["residence_country"] = new

    return moved


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("case", "countries", "code", "own"),
    [
        ("case12-french-independent-professional", None, "T43", True),
        ("case12-french-independent-professional", {"FR": "GB"}, "F60", True),
        ("case11-italian-css", None, "T47", False),
    ],
)
def test_a_self_employed_professional_is_asked_for_the_contract_for_services_not_an_employment_agreement(
    case, countries, code, own, lang
):
    """rules/README.md item 65: an independent professional (T43, F60) is self-employed and bound to the
    Canadian client by a contract for services (IRCC's CETA instructions); a contractual service supplier (T47)
    is the employee of the supplier, whose contract it is, and the client signs the employment agreement."""

    out = assess_case(case, _moved(countries), lang=lang)
    assert out["recommended"] == code
    contracts = [item for item in out["evidence"] if item in CONTRACTS[lang]]
    assert contracts == [CONTRACTS[lang][0 if own else 1]], out["evidence"]
    if own:
        assert not [item for item in out["evidence"] if item in AGREEMENTS[lang]], out["evidence"]
        # a contract uploaded against the old item counts for the worker's own
        assert rules.evidence_item_of(CONTRACTS["en"][1], [CONTRACTS["en"][0]]) == CONTRACTS["en"][0]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("case", "countries", "code", "self_employed"),
    [
        ("case12-french-independent-professional", None, "T43", True),
        ("case12-french-independent-professional", {"FR": "GB"}, "F60", True),
        ("case11-italian-css", None, "T47", False),
    ],
)
def test_a_self_employed_professional_signs_a_contract_for_services_and_proves_years_in_the_sector(
    case, countries, code, self_employed, lang
):
    """rules/README.md item 68: an independent professional's obligations told the client to "Sign an employment
    agreement with the worker", and the checklist asked for "Proof of experience (and of 12 months' employment for
    service suppliers)", an employee's months, for a self-employed worker CETA asks 6 years of professional
    experience of (IRCC's CETA instructions, ceta_css_ip). A contractual service supplier (T47) keeps both."""

    out = assess_case(case, _moved(countries), lang=lang)
    assert out["recommended"] == code
    ids = [o["id"] for o in out["obligations"]]
    months = {"en": "12 months' employment", "fr": "12 mois d'emploi"}[lang]
    years = {
        "en": "Proof of at least 6 years of professional experience in the sector",
        "fr": "Preuve d'au moins 6 ans d'expérience professionnelle dans le secteur",
    }[lang]
    if self_employed:
        assert "contract_for_services" in ids and "employment_agreement" not in ids, ids
        text = next(o["text"] for o in out["obligations"] if o["id"] == "contract_for_services")
        assert text.startswith(
            {
                "en": "Sign the contract for services with the self-employed worker",
                "fr": "Signer avec le travailleur autonome le contrat de services",
            }[lang]
        ), text
        assert years in out["evidence"] and not [e for e in out["evidence"] if months in e], out["evidence"]
    else:
        assert "employment_agreement" in ids and "contract_for_services" not in ids, ids
        assert [e for e in out["evidence"] if months in e] and years not in out["evidence"], out["evidence"]
    assert ids.index(ids[0]) == 0 and ids[0] in ("employment_agreement", "contract_for_services")


def test_a_file_uploaded_for_the_old_experience_item_counts_for_the_years_in_the_sector():
    old = "Proof of experience (and of 12 months' employment for service suppliers)"
    new = "Proof of at least 6 years of professional experience in the sector"
    assert rules.evidence_item_of(old, [new]) == new
    assert rules.evidence_item_of(old, [old, new]) == old  # a T47 or T48 case still lists it
    # the compliance page's general list (no code) keeps the employment agreement alone
    assert "contract_for_services" not in {o["id"] for o in rules.obligations_for(date(2026, 12, 7))}
