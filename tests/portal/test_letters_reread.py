"""The letters of the intra-company transferees (C61, C62, C63, T38, T41), the significant-benefit codes
(C10, C11), reciprocal employment (C20), the treaty traders (T34) and the service suppliers (T43, T47, T48),
re-read in English and in French as a consultant would before signing: each test pins one sentence the
re-reading of 2026-12-07 changed, on the PDF's text or on the letter's text function."""

from __future__ import annotations

from portal.documents import letters
from portal.documents.letters import ict, iec, professionals
from tests.portal.document_helpers import create_case, enter_worked_case
from tests.portal.test_letters import flat, nospace, render

# A specialist of the group (specialized knowledge abroad and in Canada), for T38 (US), C63 (India), T41 (Germany)
SPECIALIST_JOB = {
    "capacity": "specialized_knowledge",
    "job_title": "Senior process engineer",
    "duties": "Designs the group's proprietary extrusion process\nTrains plant staff on internal methods",
}
SPECIALIST_ROLE = {
    "capacity": "specialized_knowledge",
    "title": "Process engineering specialist",
    "noc_code": "21321",
    "duties": "Adapts the proprietary extrusion process to the Toronto plant",
}
SPECIALIST_ANSWERS = {
    "employer.actively_engaged": "yes",
    "employer.physical_premises": "yes",
    "employer.start_up": "no",
    "worker.retains_position_abroad": "yes",
    "worker.position_abroad_letter": "yes",
    "worker.specialized_knowledge": "yes",
    "worker.advanced_expertise": "yes",
    "worker.proprietary_knowledge": "yes",
}
INDIA = (
    {"country": "IN", "countries_of_operation": ["IN", "US"]},
    {"citizenships": ["IN"], "residence_country": "IN", "passport_country": "IN"},
)


def section(letter: dict, key: str) -> str:
    return flat(next(s["text"] for s in letter["sections"] if s["key"] == key))


def specialist(app, client, enterprise=None, person=None) -> int:
    return create_case(
        app,
        client,
        enterprise=enterprise,
        person=person,
        job=SPECIALIST_JOB,
        role=SPECIALIST_ROLE,
        answers=SPECIALIST_ANSWERS,
    )


# ----------------------------------------------------------------------------- intra-company transferees


def test_a_specialists_capacity_is_argued_from_the_duties_without_saying_capacity_three_times(
    app, client, owner
):
    """C63 read "... proprietary to the group and advanced: the duties abroad quoted next show it. The
    duties ... already show that specialized-knowledge capacity: ... The position in Canada calls for the
    same capacity." (an announcement of the next sentence, "capacity" twice more); the legal basis gave an
    R205(a) specialist "the knowledge and management of the group"."""
    case_id = specialist(app, client, *INDIA)
    text, letter = render(client, case_id, "en", keep="C63-reread-en")
    assert letter["code"] == "C63"
    capacity = section(letter, "capacity")
    assert "quoted next" not in text and "capacity" not in capacity, capacity
    assert (
        "that is both proprietary to the group and advanced. The duties of Avery Inventedname as Senior "
        "process engineer with Rocky Invented Inc. already show that knowledge: “Designs the group's "
        "proprietary extrusion process”" in flat(text)
    )
    assert "The position in Canada calls for the same knowledge." in flat(text)
    assert (
        "brings Maple Invented Analytics Ltd. the group's specialized knowledge of its products, processes"
        in flat(text)
    )
    assert "knowledge and management of the group" not in flat(text)
    french, letter_fr = render(client, case_id, "fr", keep="C63-reread-fr")
    assert "citées ensuite" not in french and "nature" not in section(letter_fr, "capacity")
    raw = next(s["text"] for s in letter_fr["sections"] if s["key"] == "capacity")
    assert "montrent déjà ces connaissances\u00a0: «\u00a0Designs" in raw, raw
    assert "Le poste au Canada exige ces mêmes connaissances." in flat(french)
    assert "les connaissances spécialisées des produits, procédés et méthodes du groupe" in flat(french)


def test_a_specialists_knowledge_without_duties_abroad_is_still_asked_for():
    """No duty abroad to quote: what the knowledge is stays a placeholder after the colon."""
    letter = {
        "lang": "fr",
        "position": {"capacity": "specialized_knowledge", "title": "Spécialiste"},
        "enterprise": {"name": "Rocky Invented Inc."},
        "worker": {"given_names": "Avery", "family_name": "Inventedname", "employment": []},
        "employer": {"legal_name": "Maple Invented Analytics Ltd."},
        "code": "C63",
    }
    text = ict.capacity(letter)["text"]
    assert "de niveau avancé\u00a0: [à compléter\u00a0: la nature de ces connaissances exclusives" in text, (
        text
    )


def test_a_specialists_knowledge_is_plural_in_french_throughout():
    """The French capacity section said "mettra en œuvre une connaissance ... exclusive au groupe", then "montrent
    déjà ces connaissances" and "exige ces mêmes connaissances": one noun, in the plural, as IRCC's French
    "connaissances spécialisées"."""
    letter = {
        "lang": "fr",
        "position": {"capacity": "specialized_knowledge", "title": "Spécialiste des procédés"},
        "enterprise": {"name": "Rocky Invented Inc."},
        "worker": {
            "given_names": "Avery",
            "family_name": "Inventedname",
            "employment": [
                {
                    "with_group": True,
                    "start_date": "2022-01-10",
                    "title": "Ingénieure principale",
                    "employer": "Rocky Invented Inc.",
                    "duties": "Conçoit le procédé d'extrusion exclusif du groupe",
                }
            ],
        },
        "employer": {"legal_name": "Maple Invented Analytics Ltd."},
        "code": "C63",
    }
    text = ict.capacity(letter)["text"]
    assert (
        "mettra en œuvre des connaissances des produits, procédés et méthodes de Rocky Invented Inc. à la fois "
        "exclusives au groupe et de niveau avancé" in text
    ), text
    assert "une connaissance" not in text


def test_duties_abroad_still_to_complete_are_asked_for_in_a_sentence():
    """With no duties abroad recorded, the English letter read "In that role, Avery Inventedname: [to complete:
    the duties performed abroad]." (the lead-in of a list of verbs, with no list)."""
    letter = {"lang": "en"}
    text = ict._duties_block(letter, {"duties": ""}, "Avery Inventedname")
    assert (
        text == "The duties of Avery Inventedname in that role: [to complete: the duties performed abroad]."
    ), text
    listed = ict._duties_block(letter, {"duties": "Runs the plant"}, "Avery Inventedname")
    assert listed.startswith("In that role, Avery Inventedname:\n- Runs the plant"), listed


def test_an_r205a_manager_brings_the_groups_management_expertise(app, client, login):
    """C62 (worked case 08): the legal basis said the transfer brings "the knowledge and management of the
    group"; a manager brings the group's management expertise, and both companies keep doing business."""
    case_id, account, code = enter_worked_case(app, "case08-us-green-card-manager")
    login(client, account)
    assert code == "C62"
    english, _letter = render(client, case_id, "en")
    assert (
        "because this temporary transfer within the multinational "
        "Lakeside Robotics Inc. group brings Lakeside Robotics Canada Inc. the group's management expertise, "
        "a significant economic benefit to Canada." in flat(english)
    )
    assert (
        "Lakeside Robotics Inc. and Lakeside Robotics Canada Inc. are both doing business and will continue "
        "to do so throughout the transfer" in flat(english)
    )
    assert "will remain so" not in english
    french, _letter = render(client, case_id, "fr")
    assert "apporte à Lakeside Robotics Canada Inc. l'expertise en gestion du groupe" in flat(french)
    # two companies (sociétés, entreprises: feminine) are "toutes deux", never "tous deux"
    assert "exercent toutes deux des activités et continueront de le faire pendant toute la mutation" in flat(
        french
    )
    assert "tous deux" not in flat(french)


def test_two_companies_not_yet_shown_doing_business_are_toutes_deux():
    """The placeholder asking for the proof that both companies do business agrees with "sociétés"
    (feminine), as the sentence that states it does."""
    letter = {
        "lang": "fr",
        "enterprise": {"name": "Rocky Invented Inc.", "relationship": "parent", "country": "US"},
        "worker": {"given_names": "Ada", "family_name": "Invented"},
        "employer": {"legal_name": "Maple Invented Analytics Ltd."},
        "facts": {"employer": {"actively_engaged": None}},
    }
    text = ict.relationship(letter)["text"]
    assert "preuve que Rocky Invented Inc. et Maple Invented Analytics Ltd. exercent toutes deux" in text, (
        text
    )
    assert "tous deux" not in text


def test_a_new_canadian_office_is_argued_from_its_premises_and_plans_not_as_already_doing_business(
    app, client, login
):
    """C61 (worked case 15): the Canadian subsidiary the transferee comes to open is not doing business
    yet (employer.actively_engaged is no), and the letter asked for "evidence that BrightGrid plc and
    BrightGrid Canada Ltd. are both doing business". It now says the group company is doing business and
    is opening the subsidiary, and states the premises, the staffing and business plans and the funds the
    case's answers give (imp-rules.md §3.4 C61)."""
    case_id, account, code = enter_worked_case(app, "case15-ict-new-subsidiary")
    login(client, account)
    assert code == "C61"
    english, _letter = render(client, case_id, "en", keep="C61-reread-en")
    assert "are both doing business" not in english
    assert (
        "BrightGrid plc operates" not in english and flat(english).count("BrightGrid plc does business") == 1
    )
    for expected in (
        # where the group company does business is said in the same sentence (it read "BrightGrid plc operates
        # in the United Kingdom and Ireland. BrightGrid plc is doing business and is opening ...")
        "BrightGrid plc does business in the United Kingdom and Ireland and is opening a new subsidiary in "
        "Canada, BrightGrid Canada Ltd., which Invented case15-ict-new-subsidiary is transferred to set up.",
        "BrightGrid Canada Ltd. has secured physical commercial premises, has a staffing plan that supports "
        "the position, has a business plan and has the financial capacity to pay the position for the whole "
        "permit.",
        "sets up BrightGrid Canada Ltd. in Canada with the group's management expertise",
    ):
        assert nospace(expected) in nospace(english), expected
    french, _letter = render(client, case_id, "fr", keep="C61-reread-fr")
    assert "toutes deux" not in french and "tous deux" not in french
    assert flat(french).count("BrightGrid plc exerce") == 1, flat(french)
    for expected in (
        "BrightGrid plc exerce ses activités au Royaume-Uni et en Irlande et ouvre au Canada une nouvelle "
        "filiale, BrightGrid Canada Ltd., dont la mise sur pied est l'objet de la mutation d'Invented "
        "case15-ict-new-subsidiary.",
        "BrightGrid Canada Ltd. dispose de locaux commerciaux, a un plan de dotation qui soutient le poste, a "
        "un plan d'affaires et a la capacité financière",
        "met sur pied BrightGrid Canada Ltd. au Canada avec l'expertise en gestion du groupe",
    ):
        assert nospace(expected) in nospace(french), expected


def test_a_new_office_without_its_plans_asks_for_them():
    letter = {
        "lang": "en",
        "enterprise": {"relationship": "branch"},
        "worker": {"given_names": "Ada", "family_name": "Invented"},
        "facts": {"employer": {"start_up": True, "physical_premises": True}},
    }
    text = ict.new_office(letter, {"employer": "Maple Ltd.", "enterprise": "Rocky plc"})
    assert "is opening a new branch in Canada, Maple Ltd." in text
    assert "Maple Ltd. has secured physical commercial premises." in text
    assert (
        "[to complete: evidence that Maple Ltd. has a staffing plan that supports the position, has a "
        "business plan and has the financial capacity" in text
    ), text


def test_cusma_names_its_transferees_intra_company_and_ceta_intra_corporate(app, client, owner):
    """CUSMA's chapter (Appendix 16-A, Section D) and the Canada–Chile agreement name the category
    "intra-company transferees"; the T37/T38 letter said "intra-corporate transferees", CETA's term."""
    case_id = specialist(app, client)
    text, letter = render(client, case_id, "en", keep="T38-reread-en")
    assert letter["code"] == "T38"
    assert "grants temporary entry to the intra-company transferees who are citizens of its parties" in flat(
        text
    )
    assert "intra-corporate" not in text
    for code, term in (("T41", "intra-corporate"), ("F24", "intra-company"), ("F35", "intra-corporate")):
        argued = letters.argue({**letter, "code": code, "current_code": code, "citation": None})
        basis = next(s["text"] for s in argued if s["key"] == "legal_basis")
        assert f"grants temporary entry to the {term} transferees" in basis, (code, basis)
    french = flat(render(client, case_id, "fr")[0])
    assert "aux personnes mutées à l'intérieur d'une société qui sont citoyennes de ses parties" in french


def test_the_opening_names_the_transferee_as_the_legal_basis_does(app, client, owner):
    """T41 (CETA) opened "Rocky Invented Inc. transfers Avery Inventedname ... as an intra-company transferee."
    and argued two paragraphs later that CETA admits "intra-corporate transferees": the opening now uses the
    term of the code's source, as the legal basis does (CUSMA and IRCC's R205(a) codes: intra-company)."""
    case_id = specialist(
        app,
        client,
        {"country": "DE", "countries_of_operation": ["DE", "US"]},
        {"citizenships": ["DE"], "residence_country": "DE", "passport_country": "DE"},
    )
    text, letter = render(client, case_id, "en", keep="T41-reread-en")
    assert letter["code"] == "T41"
    assert "to Maple Invented Analytics Ltd. for this assignment, as an intra-corporate transferee." in flat(
        text
    )
    assert "intra-company" not in text
    for code, term in (("T38", "intra-company"), ("C63", "intra-company"), ("F62", "intra-corporate")):
        argued = letters.argue({**letter, "code": code, "current_code": code, "citation": None})
        opening = next(s["text"] for s in argued if s["key"] == "introduction")
        assert f"for this assignment, as an {term} transferee." in opening, (code, opening)


# ----------------------------------------------------------------------------- significant benefit


def test_c10_says_significant_benefit_where_the_code_and_the_law_do_not_in_every_paragraph(
    app, client, login
):
    """C10 (worked case 17) said "significant benefit" in the purpose ("on the ground of the significant
    benefit the work brings"), in the section ("brings Canada a significant economic, social or cultural
    benefit") and in the legal basis, besides the code's label and the heading. The purpose now announces
    the sections, the section says what the benefit is, and the legal basis states the test of R205(a)."""
    case_id, account, code = enter_worked_case(app, "case17-renowned-expert-c10")
    login(client, account)
    assert code == "C10"
    english = flat(render(client, case_id, "en", keep="C10-reread-en")[0])
    # the subject line's and the opening's label, and the heading
    assert english.lower().count("significant benefit") == 3, english
    assert english.lower().count("significant") == 4  # ... and the legal basis
    for expected in (
        "The sections below set out the expertise of Invented case17-renowned-expert-c10 and the benefits "
        "of the work for Canadians.",
        "for PureFlow Water Tech Inc. will benefit Canadians in these ways: [to complete: the jobs created",
        "will create or maintain significant economic, social or cultural benefits for Canadian citizens and "
        "permanent residents.",
    ):
        assert nospace(expected) in nospace(english), expected
    french = flat(render(client, case_id, "fr", keep="C10-reread-fr")[0])
    assert french.lower().count("avantage important") == 3, french
    for expected in (
        "Les sections qui suivent exposent l'expertise d'Invented case17-renowned-expert-c10 et les "
        "retombées de ce travail pour les Canadiens.",
        "profitera aux Canadiens de la façon suivante : [à compléter : les emplois",
        "créera ou maintiendra des avantages économiques, sociaux ou culturels importants pour les citoyens "
        "canadiens et les résidents permanents.",
    ):
        assert nospace(expected) in nospace(french), expected


def test_a_business_owner_comes_to_direct_the_business_and_only_c11_says_temporary_residence(
    app, client, login
):
    """C11 (worked case 16) opened with the C10 purpose ("on the ground of the significant benefit ...");
    it says why the owner comes, and that the owner seeks only temporary residence, as the code's label
    does. C60 (a business candidate who may stay) does not say it."""
    case_id, account, code = enter_worked_case(app, "case16-single-country-owner")
    login(client, account)
    assert code == "C11"
    english, letter = render(client, case_id, "en")
    assert (
        "Invented case16-single-country-owner comes to Canada to direct Northern Trails Tours Ltd. and seeks "
        "only temporary residence." in flat(english)
    )
    assert "on the ground of" not in english
    french, letter_fr = render(client, case_id, "fr")
    assert (
        "vient au Canada pour diriger Northern Trails Tours Ltd. et ne cherche qu'à y résider temporairement."
        in flat(french)
    )
    c60 = letters.argue({**letter, "code": "C60", "current_code": "C60", "citation": None})
    purpose = next(s["text"] for s in c60 if s["key"] == "introduction")
    assert purpose.endswith(
        "To direct Northern Trails Tours Ltd., Invented case16-single-country-owner comes to Canada."
    )
    assert "temporary residence." not in purpose and "Ltd.." not in purpose, purpose


# ----------------------------------------------------------------------------- reciprocal employment


def test_the_exchanges_numbers_are_past_flows_and_their_magnitude_is_said_only_where_they_show_it(
    app, client, login
):
    """C20 (worked case 26) read "... in which Canadians work abroad in return, in numbers of a similar
    magnitude. Under this exchange Boreal Engineering Ltd. sent 15 Canadians abroad and received 13 foreign
    workers, Invented ... included." The magnitude was claimed whatever the numbers, and the worker, who
    has not come yet, was counted among the foreign workers the exchange brought to Canada over the last
    3 years (the question's period)."""
    case_id, account, code = enter_worked_case(app, "case26-employee-exchange")
    login(client, account)
    assert code == "C20"
    english, letter = render(client, case_id, "en", keep="C20-reread-en")
    assert (
        "in which Canadians work abroad in return. Over the last 3 years, Boreal Engineering Ltd. has sent 15 "
        "Canadians abroad under this exchange and brought 13 foreign workers to Canada. These numbers are of a "
        "similar magnitude." in flat(english)
    )
    assert "included" not in english and "in numbers of a similar magnitude" not in english
    french, letter_fr = render(client, case_id, "fr", keep="C20-reread-fr")
    assert (
        "Au cours des 3 dernières années, Boreal Engineering Ltd. a envoyé 15 Canadiens à l'étranger dans le "
        "cadre de cet échange et fait venir 13 travailleurs étrangers au Canada. Ces nombres sont d'un ordre "
        "de grandeur comparable." in flat(french)
    )
    assert "dont Invented" not in french and "dans des nombres comparables" not in french

    def reciprocity(snapshot: dict, sent: int, received: int) -> str:
        facts = snapshot["facts"]
        employer = {**facts["employer"], "canadians_sent_abroad": sent, "foreign_workers_received": received}
        argued = letters.argue({**snapshot, "facts": {**facts, "employer": employer}})
        return next(s["text"] for s in argued if s["key"] == "reciprocity")

    few = reciprocity(letter, 1, 40)
    assert "has sent 1 Canadian abroad" in few and "similar magnitude" not in few, few
    assert "[to complete: why the exchange is reciprocal although fewer Canadians were sent abroad" in few
    none = reciprocity(letter_fr, 0, 1)
    assert "a envoyé 0 Canadien à l'étranger" in none and "fait venir 1 travailleur étranger" in none, none


# ----------------------------------------------------------------------------- service suppliers


def test_a_service_suppliers_letter_names_the_supplier_and_the_agreements_category(app, client, login):
    """T47 (worked case 11) asked for "the supplier's name, its country ..." that the case records (its
    group company, the worker's job with it), and its legal basis called every supplier, an independent
    professional too, a "service supplier"; a technologist's three-year credential was not said to stand
    for the degree (imp-rules.md §3.2 T48)."""
    case_id, account, code = enter_worked_case(app, "case11-italian-css")
    login(client, account)
    assert code == "T47"
    english, letter = render(client, case_id, "en", keep="T47-reread-en")
    for expected in (
        # the date in the supplier's sentence (test_letters_reread_2.py): the name and the enterprise once
        "Invented case11-italian-css has been an employee of Alfa Software S.r.l. (Italy) since October 2, "
        "2023; that enterprise holds the contract to supply services to Prairie Credit Union in the sector of "
        "computer and related services: [to complete: the contract's date and term].",
        "grants temporary entry to the contractual service suppliers of its parties who perform a service "
        "contract for a Canadian consumer, as Invented case11-italian-css, a citizen of Italy, does for "
        "Prairie Credit Union.",
    ):
        assert nospace(expected) in nospace(english), expected  # a name may break after its hyphen
    assert "the supplier's name" not in english
    french, letter_fr = render(client, case_id, "fr", keep="T47-reread-fr")
    for expected in (
        "fait partie du personnel d'Alfa Software S.r.l. (Italie) depuis le 2 octobre 2023 ; cette entreprise "
        "est titulaire du contrat de services conclu avec Prairie Credit Union",
        "accorde l'admission temporaire aux fournisseurs de services contractuels de ses parties qui "
        "exécutent un contrat de services pour un consommateur canadien",
    ):
        assert nospace(expected) in nospace(french), expected

    def basis(snapshot: dict, code: str, **worker: object) -> dict[str, str]:
        facts = {**snapshot["facts"], "worker": {**snapshot["facts"]["worker"], **worker}}
        changed = {**snapshot, "code": code, "current_code": code, "citation": None, "facts": facts}
        changed["worker"] = {**snapshot["worker"], "education_level": "post_secondary_3y"}
        return {s["key"]: s["text"] for s in letters.argue(changed)}

    independent = basis(letter, "T43")
    assert (
        "grants temporary entry to the independent professionals of its parties" in independent["legal_basis"]
    )
    assert "aux professionnels indépendants de ses parties" in basis(letter_fr, "T43")["legal_basis"]
    technologist = basis(letter, "T48")
    assert (
        "The agreement accepts this credential of an engineering or scientific technologist in place of a "
        "university degree." in technologist["service_contract"]
    )
    assert "contractual service suppliers" in technologist["legal_basis"]
    self_employed = basis(letter, "T48", self_employed=True)
    assert "independent professionals" in self_employed["legal_basis"]
    assert "is self-employed and holds the service contract" in self_employed["service_contract"]


# ----------------------------------------------------------------------------- treaty traders and investors


def test_a_treaty_trader_is_not_given_the_investors_test_and_the_basis_names_the_citizens(app, client, login):
    """T34 said of a trader's employee that it "will develop and direct the operations" (the investor's test,
    imp-rules.md §3.1: a trader's position is supervisory or executive, or needs essential skills), and the
    legal basis of the traders and investors ended "as X, a citizen of the United States, is for Kootenay
    Brewing Corp."."""
    case_id, account, code = enter_worked_case(app, "case14-us-investor")
    login(client, account)
    assert code == "T35"
    english, letter = render(client, case_id, "en")
    assert (
        "grants temporary entry to the investors who are citizens of its parties, such as Invented "
        "case14-us-investor, a citizen of the United States." in flat(english)
    )
    assert "is for Kootenay" not in english
    french, letter_fr = render(client, case_id, "fr")
    assert "accorde l'admission temporaire aux investisseurs citoyens de ses parties, comme Invented" in flat(
        french
    )
    assert "l'est pour" not in french

    def argued(snapshot: dict, capacity: str) -> dict[str, str]:
        position = {**snapshot["position"], "capacity": capacity}
        changed = {**snapshot, "code": "T34", "current_code": "T34", "citation": None, "position": position}
        return {s["key"]: flat(s["text"]) for s in letters.argue(changed)}

    trader = argued(letter, "executive")
    assert (
        "As General Manager, Invented case14-us-investor will work for Kootenay Brewing Corp. in an executive or supervisory capacity."
        in trader["trade_investment"]
    )
    assert "develop and direct" not in trader["trade_investment"]
    assert "grants temporary entry to the traders who are citizens of its parties" in trader["legal_basis"]
    essential = argued(letter, "specialized_knowledge")
    assert (
        "will bring Kootenay Brewing Corp. skills essential to its operations."
        in essential["trade_investment"]
    )
    french_trader = argued(letter_fr, "executive")
    assert (
        "travaillera pour Kootenay Brewing Corp. dans un rôle de direction ou de supervision"
        in french_trader["trade_investment"]
    )
    assert "aux négociants citoyens de ses parties" in french_trader["legal_basis"]


# ----------------------------------------------------------------------------- International Experience Canada


def test_the_iec_paragraph_does_not_repeat_the_identity_under_the_subject(app, client, login):
    """C21 (worked case 25): the subject's lines give the date of birth and the citizenship; the paragraph on
    the participation said them again ("Invented ..., born on May 1, 1999 and a citizen of Ireland, takes
    part ...")."""
    case_id, account, code = enter_worked_case(app, "case25-iec-young-professional")
    login(client, account)
    assert code == "C21"
    english, letter = render(client, case_id, "en", keep="C21-reread-en")
    assert flat(english).count("May 1, 1999") == 1 and "Date of birth: May 1, 1999" in flat(english)
    assert (
        "Invented case25-iec-young-professional takes part in International Experience Canada in the Young "
        "Professionals category and has received an invitation to apply" in flat(english)
    )
    assert "born on" not in section(letter, "iec") and "citizen" not in section(letter, "iec")
    french, letter_fr = render(client, case_id, "fr", keep="C21-reread-fr")
    assert flat(french).count("1er mai 1999") == 1
    assert (
        "Invented case25-iec-young-professional participe à Expérience internationale Canada dans la catégorie "
        "Jeunes professionnels" in flat(french)
    )
    assert "naissance" not in section(letter_fr, "iec") and "citoyenneté" not in section(letter_fr, "iec")


def test_an_iec_participant_without_birth_date_or_citizenship_is_asked_for_them():
    letter = {
        "lang": "fr",
        "worker": {"given_names": "Ada", "family_name": "Invented", "citizenships": []},
        "employer": {"legal_name": "Lumen Invented Ltd."},
        "facts": {"worker": {"iec_category": "working_holiday", "iec_invited": True}},
    }
    text = iec.participation(letter)["text"]
    assert text.startswith(
        "Ada Invented, dont la date de naissance est le [à compléter\u00a0: date de naissance] et "
        "[à compléter\u00a0: citoyenneté du travailleur], participe à Expérience internationale Canada"
    ), text
    english = iec.participation({**letter, "lang": "en"})["text"]
    assert english.startswith(
        "Ada Invented, born on [to complete: date of birth] and [to complete: the worker's citizenship], takes "
        "part in International Experience Canada in the Working Holiday category"
    ), english


# ----------------------------------------------------------------------------- CUSMA professionals


def test_a_cusma_profession_is_named_as_the_list_names_it_in_the_letters_language(app, client, login):
    """T36 (worked case 01, the profession typed "Civil engineer"): the letters quoted the typed profession, in
    English in the French letter too ("relève de la profession d'engineer"). The profession is one of CUSMA's
    closed list (rules/parameters/professions.yaml): each letter names it as the list does, in its language."""
    case_id, account, code = enter_worked_case(
        app, "case01-us-civil-engineer", facts={"worker": {"profession": "Civil engineer"}}
    )
    login(client, account)
    assert code == "T36"
    english, _letter = render(client, case_id, "en", keep="T36-reread-en")
    assert "is in the profession of engineer, listed in Appendix 2" in flat(english)
    assert "the credential the agreement requires for the profession of engineer, and has" in flat(english)
    french, letter_fr = render(client, case_id, "fr", keep="T36-reread-fr")
    profession = section(letter_fr, "profession")
    assert "relève de la profession d'ingénieur, inscrite à l'appendice 2" in profession, profession
    assert "le titre de compétence exigé par l'accord pour la profession d'ingénieur, et compte" in profession
    # the job title and the field of study are the employer's own words, and stay as typed
    assert "profession d'engineer" not in profession and "profession de Civil" not in profession, profession
    assert "Le poste de Civil Engineer" in profession and "licence de l'exercice" not in profession


def test_the_listed_names_keep_their_proper_nouns_and_other_agreements_their_typed_profession():
    def named(key: str, lang: str, code: str = "T36") -> str:
        return professionals.listed_profession(
            {"lang": lang, "code": code, "details": {"cusma.profession": {"profession": key}}}
        )

    assert named("lawyer", "en") == "lawyer (including notary in the province of Quebec)"
    assert named("lawyer", "fr") == "avocat (y compris notaire dans la province de Québec)"
    assert named("computer_systems_analyst", "fr") == "analyste de systèmes informatiques"
    assert named("geophysicist", "en") == "geophysicist (including oceanographer in Mexico and the US)"
    # a typed profession the rules did not match to the list (no detail) is quoted as typed
    letter = {
        "lang": "fr",
        "code": "T33",
        "worker": {
            "given_names": "Ada",
            "family_name": "Invented",
            "profession": "Senior computer specialist",
        },
        "position": {"title": "Architecte logiciel"},
        "employer": {"legal_name": "Maple Invented Ltd."},
    }
    assert "la profession de Senior computer specialist" in professionals.profession(letter)["text"]
