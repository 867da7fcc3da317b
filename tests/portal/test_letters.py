"""Support letters argued per code family (portal/documents/letters/): cases typed in through the pages
or the services, each letter rendered with real WeasyPrint and read back with pdfplumber."""

from __future__ import annotations

import copy
import io
import os
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from babel.dates import format_date
from babel.numbers import format_currency

from portal import clock, i18n, labels
from portal.documents import letters
from portal.documents.letters import common, ict, professionals
from portal.extensions import db
from portal.models import Case
from rules import add_months, noc_title
from tests.portal.document_helpers import (
    EMPLOYER_NAME,
    ENTERPRISE,
    JOB,
    create_case,
    document_id_of,
    download,
    enter_worked_case,
    errors,
    evidence_keys,
    get_document,
    laid_out_text,
    pdf_bytes,
    request_document,
    upload,
)


def nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def render(client, case_id: int, lang: str = "en", keep: str = "") -> tuple[str, dict]:
    """(the letter's text read back from its PDF, its snapshot). With LETTER_PDFS set, the PDF is also
    written there as ``keep``.pdf (to look at the letters: pdftoppm -r 60 -png)."""
    document_id = document_id_of(request_document(client, case_id, "support_letter", lang))
    document = get_document(client.application, document_id)
    assert document.status == "ready", document.error
    data = download(client, document_id)
    if keep and os.environ.get("LETTER_PDFS"):
        Path(os.environ["LETTER_PDFS"], f"{keep}.pdf").write_bytes(data)
    return laid_out_text(data), document.snapshot["letter"]


def worked_letter(app, client, login, case: str, lang: str = "en") -> tuple[str, dict, str]:
    """A worked case of tests/rules/cases, entered for its own employer, signed in on a client of its own."""
    case_id, account, code = enter_worked_case(app, case)
    client = app.test_client()
    login(client, account)
    text, letter = render(client, case_id, lang)
    assert letter["code"] == code
    return text, letter, code


def sentences(letter: dict) -> set[str]:
    """The sentences of the letter's argued sections (headings apart; the names of the enclosed
    documents, the rules' evidence checklist, are a list of titles rather than sentences)."""
    out = set()
    for s in letter["sections"]:
        lines = s["text"].splitlines()
        if s["key"] == "evidence":
            lines = [line for line in lines if not line.startswith("- ")]
        out |= {x.strip() for line in lines for x in re.split(r"(?<=\.)\s+(?=[A-ZÀ-Ý\[])", line) if x.strip()}
    return out


def test_ict_letter_argues_relationship_employment_salary_and_the_treaty(app, client, owner):
    case_id = create_case(app, client)
    proof = next(
        k for k in evidence_keys(app, case_id) if k.startswith("Proof of the corporate relationship")
    )
    assert upload(client, case_id, proof, pdf_bytes(1), "shares.pdf").status_code == 302
    text, letter = render(client, case_id)
    assert letter["code"] == "T37"
    for expected in (
        f"{EMPLOYER_NAME} (Canada) is a subsidiary of {ENTERPRISE['name']} (United States)",
        "since January 10, 2022",  # the qualifying employment, with its dates
        "VP Operations",
        "$197,600.00 per year, that is $95.00 per hour for 40 hours a week",
        "meets the prevailing wage of $70.00 per hour for NOC 00012 in Ontario",
        "will start on January 4, 2027 for 36 months",
        "keeps a position to return to in the United States at the end of the assignment",
        "paragraph 204(a)",
        "Chapter 16 (Temporary Entry for Business Persons)",
        "[to complete: share of the capital and votes held",  # a missing fact is asked for, visibly
        "[to complete: the duties performed abroad]",
        "Runs the Canadian operations.",
        f"Annex B: {proof}",  # the packet's annex of the uploaded file
        "[to complete: enclose “Signed employment agreement”]",  # the checklist's title, quoted
        # The offer is the one submitted in the Employer Portal; the exemption code is not its name.
        "the offer of employment submitted in the Employer Portal (LMIA exemption code T37)",
    ):
        assert expected in flat(text), expected
    assert "R205(a)" not in text and "offer T37" not in flat(text)
    assert "Annex A" not in text and "this letter (" not in flat(text)  # the letter does not enclose itself


def test_french_ict_letter(app, client, owner):
    text, _letter = render(client, create_case(app, client), "fr")
    for expected in (
        "197 600,00 $ par année",
        "95,00 $ par heure",
        "la demande d'Avery Inventedname",
        "4 janvier 2027",
        "en vertu de l'alinéa 204a) du Règlement",
        "chapitre 16",
        "l'offre d'emploi présentée dans le Portail des employeurs (code de dispense d'EIMT T37)",
    ):
        assert expected in flat(text), expected
    assert "$197" not in text and "January" not in text and "l'offre T37" not in flat(text)
    assert not [form for form in MASCULINE_ONLY if form in flat(text)]
    assert "R204" not in text  # the French legal style: "alinéa 204a)"
    # the job still held abroad is in the present, and no French colon, semicolon, "?", "!" or guillemet
    # sits after a plain space that could break the line, or after no space at all
    assert "Avery Inventedname travaille pour" in flat(text) and "a travaillé pour Rocky" not in flat(text)
    _letter_text = " ".join(x["text"] for x in _letter["sections"])
    wrong = r" [:;?!»]|« |[^\s\u00a0][?!]|[^\s\u00a0];(?=\s|$)"
    assert not re.search(wrong, _letter_text), re.findall(r".{20}(?:" + wrong + r").{5}", _letter_text)


@pytest.mark.parametrize(
    ("lang", "expected", "wrong"), [("fr", "1er janvier 2022", "1 janvier"), ("en", "January 1, 2022", "1er")]
)
def test_the_first_of_a_month_is_1er_in_french_letters_only(app, client, owner, lang, expected, wrong):
    text, _letter = render(
        client, create_case(app, client, job={"start_date": "2022-01-01"}), lang, keep=f"first-{lang}"
    )
    assert expected in flat(text) and not re.search(rf"(?<!\d){wrong}", flat(text)), flat(text)


def test_c62_letter_cites_r205a_and_not_the_treaty_paragraph(app, client, login):
    text, _letter, code = worked_letter(app, client, login, "case08-us-green-card-manager")
    assert code == "C62"
    assert "paragraph 205(a)" in text and "R204(a)" not in text
    assert (
        "Lakeside Robotics Canada Inc. (Canada) is a subsidiary of Lakeside Robotics Inc. (United States)"
        in text
    )
    assert "since October 2, 2023" in text


def test_no_sentence_of_the_argument_is_shared_by_two_ict_cases(app, client, owner, login):
    _text, first = render(client, create_case(app, client))
    _text, second, _code = worked_letter(app, client, login, "case08-us-green-card-manager")
    assert sentences(first) & sentences(second) == set()


def test_professional_letter(app, client, login):
    text, letter, code = worked_letter(app, client, login, "case01-us-civil-engineer")
    assert code == "T36"
    for expected in (
        "CanBuild Infrastructure Inc.",
        "in the profession of engineer",
        "a bachelor's degree in civil engineering",
        "$99,840.00 per year, that is $48.00 per hour for 40 hours a week",
        "will start on February 1, 2027 for 24 months",
        "paragraph 204(a)",
        "Chapter 16",
    ):
        assert expected in text, expected
    assert "R205(a)" not in text
    _text, other, _code = worked_letter(app, client, login, "case07-dual-national-accountant")
    assert sentences(letter) & sentences(other) == set()


def test_the_listed_occupation_answer_is_never_written_as_the_profession(app, client, login):
    """The codes of CPTPP and the bilateral agreements read position.fta_listed_occupation, a yes or a no;
    the letter took a yes for the profession's name ("in the profession of True")."""
    _text, letter, _code = worked_letter(app, client, login, "case01-us-civil-engineer")
    facts = letter.get("facts") or {}
    answered = {**facts, "position": {**(facts.get("position") or {}), "fta_listed_occupation": True}}
    with app.test_request_context():
        for lang in ("en", "fr"):
            section = professionals.profession({**letter, "lang": lang, "facts": answered})
            text = " ".join(section.values())
            assert "True" not in text and ("ingénieur" if lang == "fr" else "engineer") in text, text
        # no profession typed, and none the rules matched to the list
        unnamed = {
            **letter,
            "worker": {**letter["worker"], "profession": ""},
            "facts": answered,
            "details": {},
        }
        text = " ".join(professionals.profession(unnamed).values())
    assert "True" not in text and "[to complete: the profession as the agreement lists it]" in text, text


def test_generic_letter_asks_for_the_argument(app, client, login):
    text, _letter, code = worked_letter(app, client, login, "case19-out-of-warranty-repair")
    assert code == "C13"
    assert "paragraph 205(a)" in text and "R204(a)" not in text
    assert "[to complete: why the offer to" in text


@pytest.mark.parametrize(
    ("code", "english", "french"),
    [
        ("ON", "in Ontario", "en Ontario"),
        ("QC", "in Quebec", "au Québec"),
        ("NB", "in New Brunswick", "au Nouveau-Brunswick"),
        ("PE", "in Prince Edward Island", "à l'Île-du-Prince-Édouard"),
        ("NT", "in Northwest Territories", "dans les Territoires du Nord-Ouest"),
        ("NL", "in Newfoundland and Labrador", "à Terre-Neuve-et-Labrador"),
        ("BC", "in British Columbia", "en Colombie-Britannique"),
    ],
)
def test_a_province_takes_its_own_preposition_in_french(code, english, french):
    """Browser tour of 2026-12-06: the French letter read "pour la CNP 21399 en Québec"."""
    assert common.in_province({"lang": "en"}, code) == english
    assert common.in_province({"lang": "fr"}, code) == french


def test_money_and_dates_follow_the_language():
    en, fr = {"lang": "en"}, {"lang": "fr"}
    assert common.money(en, "165000") == "$165,000.00" and common.money(fr, "79.33") == "79,33\xa0$"
    assert common.day(fr, "2027-01-04") == "4 janvier 2027"
    # French writes the first of a month as an ordinal; English and the other days are untouched.
    assert common.day(fr, "1990-06-01") == "1er juin 1990" and common.day(fr, "1990-06-11") == "11 juin 1990"
    assert common.day(en, "1990-06-01") == "June 1, 1990"
    approved = datetime(2026, 12, 1, 0, 26, 23, tzinfo=UTC)
    assert i18n.moment(approved, "fr").startswith("1er décembre 2026") and i18n.moment(
        approved, "en"
    ).startswith("December 1, 2026")


# One worked case per remaining family: (case, code, facts the letter must argue, what it must not cite).
FAMILIES = [
    (
        "case11-italian-css",
        "T47",
        [
            "paragraph 204(a)",
            "Chapter 10",
            "Canada–European Union Comprehensive Economic and Trade Agreement",
            "The service contract",
        ],
        "R205(",
    ),
    (
        "case12-french-independent-professional",
        "T43",
        ["paragraph 204(a)", "is self-employed and holds the service contract"],
        "R205(",
    ),
    ("case13-dutch-investor", "T46", ["paragraph 204(a)", "Chapter 10", "The investment"], "R205("),
    ("case14-us-investor", "T35", ["paragraph 204(a)", "Chapter 16", "treaty investor"], "R205("),
    (
        "case16-single-country-owner",
        "C11",
        ["paragraph 205(a)", "The significant benefit to Canada"],
        "R204(",
    ),
    ("case24-swedish-hockey-player", "C26", ["paragraph 205(b)", "Canadian-based team"], "R204("),
    ("case26-employee-exchange", "C20", ["paragraph 205(b)", "Reciprocity"], "R204("),
    ("case28-opera-soprano", "C23", ["paragraph 205(b)", "performing arts"], "R204("),
    (
        "case25-iec-young-professional",
        "C21",
        ["paragraph 204(d)", "International Experience Canada in the"],
        "R205(",
    ),
    ("case29-unpaid-religious-worker", "C50", ["paragraph 205(d)", "religious organization"], "R204("),
    ("case30-paid-charitable-care-worker", "C51", ["paragraph 205(d)", "charitable organization"], "R204("),
]


@pytest.mark.parametrize(("case", "code", "expected", "wrong"), FAMILIES, ids=[f[1] for f in FAMILIES])
def test_every_family_argues_its_own_code(app, client, login, case, code, expected, wrong):
    case_id, account, recommended = enter_worked_case(app, case)
    assert recommended == code
    login(client, account)
    text, letter = render(client, case_id)
    employer = letter["employer"]["legal_name"]
    assert employer in text and f"Invented {case}" in text
    for phrase in expected:
        assert phrase in text, phrase
    assert wrong not in text
    french, _letter = render(client, case_id, "fr")
    assert "alinéa 20" in french and "[to complete" not in french
    assert not [form for form in MASCULINE_ONLY if form in flat(french)]


# The letters know nothing of the worker's gender: their French says nothing that agrees with it.
MASCULINE_ONLY = (
    "né le",
    "citoyen de",
    "est employé",
    "est salarié",
    "titre d'employé",
    "titre de participant",
    "universitaire invité",
    "comme moniteur",
    "comme athlète ou entraîneur",
    "n'est pas rémunéré",
)


def test_each_code_has_its_family():
    assert letters.family("C10") is letters.benefit and letters.family("C60") is letters.benefit
    assert (
        letters.family("F66") is letters.service_suppliers and letters.family("T36") is letters.professionals
    )
    assert letters.family("T37") is letters.ict and letters.family("C63") is letters.ict
    assert letters.family("F65") is letters.investors and letters.family("C24") is letters.reciprocal
    assert letters.family("C13") is letters.generic and letters.family("C99") is letters.generic


# A transfer from a Korean, Colombian or Ukrainian group company (a Peruvian one gets CPTPP's T51): the letter names the
# agreement and its temporary-entry chapter (rules/parameters/codes.yaml programs, with sources).
FTA_TRANSFERS = [
    ("KR", "Canada–Korea Free Trade Agreement, Chapter Twelve", "Canada–Corée, chapitre douze"),
    ("CO", "Canada–Colombia Free Trade Agreement, Chapter Twelve", "Canada–Colombie, chapitre douze"),
    ("UA", "Canada–Ukraine Free Trade Agreement (CUFTA), Chapter 21", "Canada–Ukraine (ALECU), chapitre 21"),
]


@pytest.mark.parametrize(("country", "english", "french"), FTA_TRANSFERS, ids=[f[0] for f in FTA_TRANSFERS])
def test_fta_transfer_letter_cites_the_agreement_and_its_chapter(
    app, client, owner, country, english, french
):
    case_id = create_case(
        app,
        client,
        enterprise={"country": country, "countries_of_operation": [country, "US"]},
        person={"citizenships": [country], "residence_country": country, "passport_country": country},
    )
    text, letter = render(client, case_id)
    assert common.regulation(letter) == "R204(a)", letter["code"]
    assert "paragraph 204(a)" in text, letter["code"]
    assert nospace(english) in nospace(text)  # a line may break after the dash
    assert "R205(a)" not in text and "[to complete: chapter" not in text
    french_text, _letter = render(client, case_id, "fr")
    assert "alinéa 204a)" in french_text and nospace(french) in nospace(french_text)


def test_significant_benefit_letter_from_worked_case_17(app, client, login):
    """C10 (imp-cases.md case 17, an expert with no corporate link; entering it failed on the missing NOC
    code before the helper picked one as a user would): the letter argues the benefit under R205(a),
    states the expertise from the facts and asks for the figures it cannot know."""
    case_id, account, code = enter_worked_case(app, "case17-renowned-expert-c10")
    login(client, account)
    text, letter = render(client, case_id)
    assert code == "C10" and letter["code"] == "C10"
    for expected in (
        "PureFlow Water Tech Inc.",
        "Invented case17-renowned-expert-c10",
        "The significant benefit to Canada",
        "brings 22 years of experience and a doctorate to the position of Principal process scientist",
        "paragraph 205(a)",
        "(code C10)",
        "[to complete: the jobs created or kept, the investment",
    ):
        assert expected in text, expected
    assert "R204(" not in text
    french, _letter = render(client, case_id, "fr")
    for expected in (
        "alinéa 205a)",
        "22 années d'expérience et un doctorat",
        "L'avantage important pour le Canada",
    ):
        assert expected in french, expected


EXECUTIVE_DUTIES = (
    "Directs the operations of the three US plants\n"
    "- Sets the yearly budget of the division.\n"
    "Reports to the board on the group's North American results"
)


def test_ict_letter_states_hours_and_duties_abroad_and_argues_the_capacity_from_them(app, client, owner):
    case_id = create_case(app, client, job={"hours_per_week": "42.5", "duties": EXECUTIVE_DUTIES})
    text, letter = render(client, case_id)
    assert letter["code"] == "T37"
    (job,) = letter["worker"]["employment"]
    assert (job["hours_per_week"], job["full_time"]) == ("42.5", True)
    for expected in (
        f"{ENTERPRISE['name']} (United States) as VP Operations since January 10, 2022, full time "
        "(42.5 hours a week)",
        "In that role, Avery Inventedname:",
        "• Directs the operations of the three US plants",
        "• Sets the yearly budget of the division",
        "The duties of Avery Inventedname as VP Operations with "
        f"{ENTERPRISE['name']} already show that executive capacity: “Directs the operations of the three "
        "US plants”; “Sets the yearly budget of the division”; “Reports to the board",
    ):
        assert expected in text, expected
    assert "[to complete: hours]" not in text and "[to complete: the duties performed abroad]" not in text
    assert re.search(
        r"Within the 3 years before this application, Avery Inventedname thus has (\d+) months of continuous "
        r"full-time employment with the group, at least the 12 months",
        text,
    )
    french, _letter = render(client, case_id, "fr")
    for expected in (
        "à temps plein (42,5 heures par semaine)",
        "Les fonctions d'Avery Inventedname dans ce poste :",  # nouns or verbs follow (tour)
        "montrent déjà cette nature de direction : « Directs the operations of the three US plants »",
        "d'emploi continu à temps plein au sein du groupe, soit au moins les 12 mois",
        "Directs the operations of the three US plants",  # the employer's words, quoted as typed
    ):
        assert expected in french, expected


def test_the_ict_letter_states_the_months_with_the_group_the_assessment_counted(app, client, owner):
    """One count of the months with the group: the letter states the assessment's. The transferee was a
    specialist of the group before becoming its executive: the executive transfer (T37) counts the
    executive months only (the rules match the capacity), and so does the letter, where a count of its
    own would join both jobs and fill the three-year window."""
    executive_since = add_months(clock.today(), -18)
    case_id = create_case(app, client, job={"start_date": executive_since.isoformat()})
    with app.app_context():
        (job,) = db.session.get(Case, case_id).transferee.employment
        transferee_id, enterprise_id = job.transferee_id, job.foreign_enterprise_id
    response = client.post_form(
        f"/transferees/{transferee_id}/employment",
        {
            **JOB,
            "capacity": "specialized_knowledge",
            "job_title": "Process engineer",
            "start_date": add_months(clock.today(), -48).isoformat(),
            "end_date": (executive_since - timedelta(days=1)).isoformat(),
            "foreign_enterprise_id": str(enterprise_id),
        },
    )
    assert response.status_code == 302, errors(response)
    with app.app_context():
        candidates = db.session.get(Case, case_id).assessment_in("en")["candidates"]
    t37 = next(c for c in candidates if c["code"] == "T37")
    counted = next(c for c in t37["criteria"] if c["id"] == "ict.prior_employment_12m")
    assert counted["status"] == "met" and counted["detail"]["months"] == 18, counted

    text, letter = render(client, case_id)
    assert letter["code"] == "T37" and len(letter["worker"]["employment"]) == 2
    assert letter["details"]["ict.prior_employment_12m"] == counted["detail"]
    assert "Process engineer" in text  # the earlier job is stated, not counted
    assert "Avery Inventedname thus has 18 months of continuous full-time employment with the group" in text
    french, _letter = render(client, case_id, "fr")
    assert (
        "Avery Inventedname compte ainsi 18 mois d'emploi continu à temps plein au sein du groupe" in french
    )


def test_without_the_assessments_count_the_ict_letter_asks_for_it():
    """A snapshot without the rules' count (made before the assessment gave it) gets a placeholder, not
    a count of the letter's own."""
    letter = {"lang": "en", "date": "2026-12-03", "details": {}}
    assert ict.qualifying_months(letter) is None
    assert ict._qualifying(letter, "Avery Inventedname") == (
        "[to complete: the months of continuous full-time employment of Avery Inventedname with the group]"
    )
    ceta = {**letter, "details": {ict.AT_APPLICATION: {"months": 14, "needed": 12}}}
    assert ict._qualifying(ceta, "Avery Inventedname").startswith(
        "At the date of this application, Avery Inventedname has been employed full time by the group for "
        "14 continuous months"
    )


def test_hours_and_counts_of_a_missing_or_unreadable_value_are_empty_not_an_error():
    """A weekly hours or a count the facts lack (or hold as text) gives no number rather than Babel's
    InvalidOperation in the middle of a render; a real number is written in the letter's language."""
    assert common.hours({"lang": "en"}, None) == ""
    assert common.count({"lang": "fr"}, "n/a") == ""
    assert common.hours({"lang": "fr"}, "37.5") == "37,5"
    assert common.count({"lang": "en"}, 1200) == "1,200"


# Every family with a worked case (tests/rules/cases), its code and the one paragraph of the Regulations its
# letter must cite (imp-rules.md §2; C16 under R205(c)(ii) since 2023-06-15), read back in both languages.
EVERY_FAMILY = [
    ("case08-us-green-card-manager", "C62", "R205(a)"),  # ICT
    ("case15-ict-new-subsidiary", "C61", "R205(a)"),  # ICT, new office
    ("case02-us-executive", "T37", "R204(a)"),  # the FTA ICT codes
    ("case01-us-civil-engineer", "T36", "R204(a)"),  # professionals
    ("case18-gats-engineer", "T33", "R204(a)"),
    ("case10-german-graduate-trainee", "T42", "R204(a)"),  # CETA
    ("case11-italian-css", "T47", "R204(a)"),  # CETA service suppliers
    ("case12-french-independent-professional", "T43", "R204(a)"),  # CETA independent professionals
    ("case13-dutch-investor", "T46", "R204(a)"),  # investors
    ("case14-us-investor", "T35", "R204(a)"),
    ("case17-renowned-expert-c10", "C10", "R205(a)"),  # significant benefit
    ("case16-single-country-owner", "C11", "R205(a)"),
    ("case20-stunt-coordinator", "C14", "R205(a)"),
    ("case22-francophone-cook", "C16", "R205(c)(ii)"),
    ("case11-italian-css:IT=GB", "F66", "R204(a)"),  # CUKTCA contractual service suppliers
    ("case26-employee-exchange", "C20", "R205(b)"),  # reciprocal employment and its branches
    ("case27-visiting-professor", "C22", "R205(b)"),
    ("case28-opera-soprano", "C23", "R205(b)"),
    ("case24-swedish-hockey-player", "C26", "R205(b)"),
    ("case25-iec-young-professional", "C21", "R204(d)"),
    ("case29-unpaid-religious-worker", "C50", "R205(d)"),
    ("case30-paid-charitable-care-worker", "C51", "R205(d)"),
]
OFFER_GAP = re.compile(
    r"duties of the|fonctions du poste|annual salary|salaire annuel|start date|date de début|hours per|heures par"
)
# "paragraph 204(a)" (and the short form "R204(a)", which a letter should not print): the provision's number
REGULATION = re.compile(r"(?:\bR|\b)(20[45]\([a-z]\)(?:\((?:i|ii|iii|i\.1|i\.2)\))?)")
# the French legal style of the Regulations: "204a)", "205c)(ii)" (no R, the letter closed by a parenthesis)
FRENCH_REGULATION = re.compile(r"\b20[45][a-z]\)(?:\((?:i|ii|iii|i\.1|i\.2)\))?")


def french_provision(paragraph: str) -> str:
    """ "R205(c)(ii)" as the French text writes it: "205c)(ii)"."""
    return re.sub(r"^R(\d+)\(([a-z])\)", r"\1\2)", paragraph)


def expected_annual(position: dict) -> Decimal | None:
    """The annual salary worked out here from the offer's wage (not by the letter's code)."""
    amount = Decimal(position["wage_amount"]) if position.get("wage_amount") else None
    if not amount:
        return None
    unit, hours = position["wage_unit"], position.get("hours_per_week")
    if unit == "hour":
        return (amount * Decimal(hours) * 52).quantize(Decimal("0.01")) if hours else None
    return amount * {"year": 1, "month": 12, "week": 52}[unit]


def complete_offer(app, case_id: int) -> None:
    """The offer's details a worked case leaves out, filled in as the employer would on the position's page
    (the worked case's own values kept): duties, hours, pay (an unpaid post stays unpaid), start and term."""
    with app.app_context():
        p = db.session.get(Case, case_id).position
        p.duties = p.duties or f"Leads the {p.title} work of the Canadian team\nReports monthly to the board"
        p.hours_per_week = p.hours_per_week or Decimal(40)
        if p.paid is not False and p.wage_amount is None:
            p.wage_amount, p.wage_unit = Decimal("104000.00"), "year"
        p.prevailing_wage_hourly = p.prevailing_wage_hourly or Decimal("38.50")
        p.start_date = p.start_date or date(2027, 5, 3)
        p.duration_months = p.duration_months or 24
        db.session.commit()


@pytest.mark.parametrize(("case", "code", "paragraph"), EVERY_FAMILY, ids=[f[1] for f in EVERY_FAMILY])
def test_every_family_letter_read_back_in_both_languages(app, client, login, case, code, paragraph):
    """Names of both parties, the start date, the annual salary in the reader's format, the one
    paragraph of the Regulations for the code and no other, in English and in French."""
    name, _, moved = case.partition(":")
    countries = dict([moved.split("=")]) if moved else None
    case_id, account, recommended = enter_worked_case(app, name, countries)
    assert recommended == code
    complete_offer(app, case_id)
    login(client, account)
    for lang, locale, per_year, cite in (
        ("en", "en_CA", "per year", "paragraph"),
        ("fr", "fr_CA", "par année", "alinéa"),  # "sous-alinéa 205c)(ii)" holds "alinéa 205c)(ii)"
    ):
        text, letter = render(client, case_id, lang, keep=f"{code}-{lang}")
        worker, position = letter["worker"], letter["position"]
        assert letter["employer"]["legal_name"] in text
        assert f"{worker['given_names']} {worker['family_name']}" in text
        if position["start_date"]:
            start = format_date(date.fromisoformat(position["start_date"]), "long", locale=locale)
            if lang == "fr" and start.startswith("1 "):  # French writes the first of a month "1er"
                start = "1er" + start[1:]
            assert nospace(start) in nospace(text), (lang, start)
        annual = expected_annual(position)
        if annual is not None:
            amount = format_currency(annual, "CAD", locale=locale).replace("CA", "")
            assert nospace(f"{amount} {per_year}") in nospace(text), (lang, amount)
        # "paragraph 204(a)", "subparagraph 205(c)(ii)" (which holds "paragraph 205(c)(ii)"): no "R" after the word
        cited = paragraph.removeprefix("R") if lang == "en" else french_provision(paragraph)
        assert f"{cite} {cited}" in text, lang
        if lang == "en":
            sub = re.fullmatch(r"R\d+\([a-z]\)\([ivx]+\)", paragraph) is not None
            assert (f"subparagraph {cited}" in text) == sub and f"paragraph {paragraph}" not in text
        assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text), (
            lang
        )  # no raw key (computer_services) in a sentence
        if lang == "fr" and position["city"] and not position["street_address"]:
            assert f"à {position['city']}" in text and f"au {position['city']}" not in text
        found = REGULATION.findall(text) if lang == "en" else FRENCH_REGULATION.findall(text)
        assert set(found) == {cited}, (lang, set(found))
        assert not re.search(r"[{\[]'", text), (lang, "a Python value printed as it is")  # {'US': 100.0}
        assert not re.search(r"[^.]\.\.(?!\.)", text), (lang, re.findall(r".{30}[^.]\.\.(?!\.)", text))
        if lang == "en":
            assert not re.search(r"\d %", text), "a percent written the French way in English"
        # with the offer complete, no part of it is left for the employer to fill in
        gaps = [g for g in re.findall(r"\[(?:to complete|à compléter)[^\]]*\]", text) if OFFER_GAP.search(g)]
        assert gaps == [], (lang, gaps)
        if lang == "fr":  # nothing agrees with a gender the portal does not know
            assert not [form for form in MASCULINE_ONLY if form in flat(text)], code
        if lang == "fr" and position["noc_code"]:  # the CNP 2021 title, not the NOC 2021 one
            french, english = noc_title(position["noc_code"], "fr"), noc_title(position["noc_code"], "en")
            assert french != english and nospace(french) in nospace(text), french
            assert not re.search(rf"\b{re.escape(english)}\b", text), english


def test_enclosed_documents_in_annex_order_then_what_is_still_to_enclose():
    """The checklist's order has the letter's own item among the others: the letter lists the annexes
    B, C ... in order, then the documents still to enclose; it never lists itself (the packet annexes it
    as Annex A)."""
    items = [
        {"text": "Passport", "status": "missing"},
        {"text": "Payslips", "status": "attached", "annexes": ["C"]},
        {"text": "Letter of the employer", "status": "letter"},
        {"text": "Offer filed", "status": "after_filing"},
        {"text": "Share register", "status": "attached", "annexes": ["B"]},
    ]
    letter = {"lang": "en", "evidence": items, "worker": {"given_names": "Ada", "family_name": "Invented"}}
    lines = [x for x in common.evidence(letter)["text"].splitlines() if x.startswith("- ")]
    assert [x.split(":")[0] for x in lines] == ["- Annex B", "- Annex C", "- [to complete"]
    assert "enclose “Passport”" in lines[2] and not any("Offer filed" in x for x in lines)
    assert not any("Letter of the employer" in x or "this letter" in x for x in lines), lines


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_letter_first_page_starts_with_its_letterhead_and_hides_no_text(app, client, owner, lang):
    """The running header ("employer · Support letter · worker · code") is on the pages after the first,
    from an attribute of the body: the first page holds no hidden copy of it, which a screen reader, a
    copy and paste or a text search would read before the letterhead."""
    case_id = create_case(app, client)
    document_id = document_id_of(request_document(client, case_id, "support_letter", lang))
    data = download(client, document_id)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    title = "Support letter" if lang == "en" else "Lettre d'appui"
    header = f"{EMPLOYER_NAME} · {title}"
    assert len(pages) >= 2
    assert pages[0].splitlines()[0].startswith(EMPLOYER_NAME)  # the letterhead first
    assert header not in pages[0] and "·" not in pages[0].splitlines()[0]
    assert all(page.splitlines()[0].startswith(header) for page in pages[1:]), [p[:80] for p in pages]


def test_a_word_longer_than_the_line_breaks_instead_of_running_off_the_page(app, client, owner):
    """Browser tour of 2026-12-06: a 120-letter family name ran past the right margin and was cut off,
    in the letter and in its running header."""
    family = "Inventedname" * 10  # 120 letters, no space
    case_id = create_case(app, client, person={"family_name": family})
    document_id = document_id_of(request_document(client, case_id, "support_letter", "en"))
    data = download(client, document_id)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            overflow = [c["text"] for c in page.chars if c["x1"] > page.width - 10]
            assert not overflow, (page.page_number, "".join(overflow)[:80])
        assert family[:40] in re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pdf.pages))


@pytest.mark.parametrize(
    ("lang", "share"),
    [
        ("en", "Rocky Invented Inc. holds 100% of the capital and votes of Maple Invented Analytics Ltd."),
        (
            "fr",
            "Rocky Invented Inc. détient 100 % du capital et des droits de vote de Maple Invented Analytics Ltd.",
        ),
    ],
)
def test_the_group_companys_share_is_stated_in_the_letter_instead_of_left_to_complete(
    app, client, owner, lang, share
):
    """Browser tour of 2026-12-06: no form asked for the share of capital and votes, so every
    intra-company letter read "[to complete: share of the capital and votes held]"."""
    case_id = create_case(app, client, enterprise={"ownership_pct": "100"})
    text, letter = render(client, case_id, lang)
    assert nospace(share) in nospace(text), flat(text)[:1500]
    assert "capital and votes held" not in text and "droits de vote détenue" not in text
    assert "Ltd.." not in text  # the name ends the sentence with its own full stop


def test_a_branch_states_no_share_and_an_unknown_share_stays_to_complete(
    app, client, owner, make_employer, login
):
    case_id = create_case(app, client, enterprise={"relationship": "branch"})
    text, _letter = render(client, case_id, "en")
    assert "branches of the same legal entity" in flat(text) and "capital and votes" not in text
    other = app.test_client()
    login(other, make_employer(legal_name="Other Invented Ltd.", business_number="555000111"))
    text, _letter = render(other, create_case(app, other), "en")  # a parent company, no share given
    assert "[to complete: share of the capital and votes held" in flat(text)


def test_a_hire_is_temporary_employment_and_a_transfer_an_assignment(app, client, login, owner):
    """Browser tour of 2026-12-06: a CUSMA professional's and a Francophone hire's letters said "a temporary
    assignment" and "At the end of the assignment ... will leave Canada", the wording of an intra-company
    transfer, and promised the departure rather than stating the intention (R183(1)(a)); the English
    letters cited "paragraph R204(a)", the short form, where legal style writes "paragraph 204(a)"."""
    text, letter, _code = worked_letter(app, client, login, "case01-us-civil-engineer")
    stay = {s["key"]: s["text"] for s in letter["sections"]}["temporary_stay"]
    assert "assignment" not in stay and "temporary employment" in stay, stay
    assert "will leave Canada" not in flat(text)
    assert "paragraph 204(a)" in flat(text) and "R204(a)" not in flat(text)
    # "holds (or can obtain)" the province's licence, as asked: the letter claims no more than the answer
    assert "holds, or will obtain before starting, the licence that the practice of" in flat(text)
    case_id = create_case(app, client)  # a transfer (T37)
    _text, letter = render(client, case_id)
    stay = {s["key"]: s["text"] for s in letter["sections"]}["temporary_stay"]
    assert "a temporary assignment" in stay and "at the end of the assignment" in stay, stay
    _text, letter = render(client, case_id, "fr")
    stay = {s["key"]: s["text"] for s in letter["sections"]}["temporary_stay"]
    assert "une affectation temporaire" in stay and "à la fin de l'affectation" in stay, stay


def test_a_degree_needs_no_count_of_years_and_an_alternative_credential_does():
    """Browser tour of 2026-12-06: a CUSMA engineer with a bachelor's degree was asked "[to complete: years
    of experience ... in the profession]": experience stands in for a degree (an alternative credential),
    it is not asked beside one."""
    from portal.documents.letters import professionals  # noqa: PLC0415

    def letter(education):
        return {
            "lang": "en",
            "code": "T36",
            "worker": {"given_names": "Avery", "family_name": "Inventedname", "education_level": education},
            "position": {"title": "Engineer", "province": "ON"},
            "facts": {"worker.profession": "Engineer", "position.licence_required": False},
        }

    assert "years of experience" not in professionals.profession(letter("bachelor"))["text"]
    assert (
        "[to complete: years of experience" in professionals.profession(letter("post_secondary_2y"))["text"]
    )


def test_the_closing_and_the_signature_are_never_alone_on_a_page(app, client, owner):
    """Browser tour of 2026-12-06: the T36 letter ended page 2 with "Sincerely," and put the signature
    alone on page 3. Whatever the length of the letter (duties of 1 to 24 lines push its end down), the
    closing, the signature and the end of the last section share a page."""
    for lines in range(1, 25):
        duties = "\n".join(f"Directs operations area {i} and reports on its results" for i in range(lines))
        case_id = create_case(app, client, role={"duties": duties})
        document_id = document_id_of(request_document(client, case_id, "support_letter", "en"))
        letter = get_document(app, document_id).snapshot["letter"]
        with pdfplumber.open(io.BytesIO(download(client, document_id))) as pdf:
            pages = [flat(page.extract_text() or "") for page in pdf.pages]
        [last] = [p for p in pages if "Sincerely," in p]
        assert letter["signatory"]["name"] in last, lines
        assert "at 613-555-0100" in last or "can answer any question" in last, (lines, last[:200])


def test_french_and_english_wording_a_consultant_would_not_return(app, client, owner):
    """Browser tour of 2026-12-06, read by a consultant: "d'Ottawa, Ontario" (French puts the province in
    parentheses), "The position in Canada keeps it." (what it keeps was unclear), and the French inspection
    duty "... fournir les documents exigés, y assister ..." (attend nothing named)."""
    case_id = create_case(app, client)
    _text_fr, letter_fr = render(client, case_id, "fr")
    intro = {s["key"]: s["text"] for s in letter_fr["sections"]}["introduction"]
    city, province = (
        letter_fr["employer"]["city"],
        common.province(letter_fr, letter_fr["employer"]["province"]),
    )
    assert f"{city} ({province}), dont le numéro d'entreprise est" in intro, intro[:160]
    abroad = {
        "with_group": True,
        "start_date": "2020-01-01",
        "job_title": "VP",
        "employer": "Rocky Invented Inc.",
    }
    capacity = ict._capacity_duties(
        {"lang": "en", "worker": {"employment": [{**abroad, "duties": "Directs the plant"}]}},
        "executive",
        "Avery",
    )
    assert "keeps it" not in capacity and "The position in Canada calls for the same capacity." in capacity
    from rules.params import OBLIGATIONS  # noqa: PLC0415

    cooperation = next(o for o in OBLIGATIONS if o["id"] == "inspection_cooperation")
    assert (
        "y assister" not in cooperation["text_fr"]
        and "se présenter à l'endroit indiqué" in cooperation["text_fr"]
    )


def test_one_french_level_for_both_skills_is_said_as_at_least():
    """Browser tour: "speaks ... at NCLC level 10 and understands it at NCLC level 10" came from the one
    level the worker's page keeps (the lower of the two); the letter now says "at least" that level."""
    from portal.documents.letters import francophone  # noqa: PLC0415

    letter = {
        "lang": "en",
        "code": "C16",
        "date": "2026-12-06",
        "worker": {
            "given_names": "Camille",
            "family_name": "Inventée",
            "french_nclc": 7,
            "language_proof": "TEF Canada",
        },
        "position": {"title": "Cook", "province": "NB"},
        "facts": {},
    }
    text = francophone.french(letter)["text"]
    assert (
        "speaks and understands French at NCLC level 7 at least" in text and "understands it at" not in text
    )
    letter["facts"] = {"worker": {"french_nclc_speaking": 8, "french_nclc_listening": 7}}
    assert (
        "speaks French at NCLC level 8 and understands it at NCLC level 7"
        in francophone.french(letter)["text"]
    )


def test_without_a_logo_the_operating_name_heads_the_letterhead_once(app, client, owner):
    """Browser tour of 2026-12-06: without a logo, "Maplewood Robotics" headed the left column and was
    printed again under the legal name on the right."""
    from portal.models import Organization  # noqa: PLC0415

    case_id = create_case(app, client)
    with app.app_context():
        org = db.session.get(Organization, db.session.get(Case, case_id).organization_id)
        org.operating_name = "Maple Invented Trading"
        db.session.commit()
    text, _letter = render(client, case_id)
    head = flat(text)[:400]
    assert head.count("Maple Invented Trading") == 1, head


def test_french_elision_joins_the_sentence_to_a_value_but_never_changes_what_was_typed():
    """ "le poste de {title}" elides before a title that starts with a vowel, but a job title, a company
    name or a duty typed in Spanish or Portuguese keeps its own "de": "Gerente de ingeniería" written
    "Gerente d'ingeniería" is no longer the title the worker held."""
    fr = {"lang": "fr"}
    assert (
        common.t(fr, "", "le poste de {title}", title="Engineering manager")
        == "le poste d'Engineering manager"
    )
    assert (
        common.t(
            fr,
            "",
            "à titre de {title} chez {enterprise}",
            title="Gerente de ingeniería",
            enterprise="Banco de Occidente",
        )
        == "à titre de Gerente de ingeniería chez Banco de Occidente"
    )
    assert common.t(fr, "", "la demande de {name} : {duty}", name="Avery", duty="Jefe de operaciones") == (
        "la demande d'Avery\u00a0: Jefe de operaciones"
    )
    assert common.t(fr, "", "la profession de ingénieur") == "la profession d'ingénieur"


def test_a_workplace_without_a_street_is_in_its_city_and_the_legal_name_heads_the_letterhead_once(
    app, client, login
):
    """Consultant's review of 2026-12-06: a position without a street address was "at Calgary, Alberta",
    and an employer without a logo or an operating name had its legal name printed twice at the top of
    the letter (the left column and the address block)."""
    case_id, account, _code = enter_worked_case(app, "case01-us-civil-engineer")
    client = app.test_client()
    login(client, account)
    text, letter = render(client, case_id)
    assert not letter["position"].get("street_address")
    words = flat(text)
    assert "TEER 1) in Calgary, Alberta." in words, words
    assert "at Calgary" not in words
    head = words.split("Canada Border Services Agency")[0]  # a US professional applies at the border
    assert head.count("CanBuild Infrastructure Inc.") == 1, head
    assert "1 Invented Street" in head  # the address block is still there
    french, _letter = render(client, case_id, "fr")
    assert "FEER 1) à Calgary (Alberta)." in flat(french)


def test_a_listed_profession_is_named_as_a_profession_in_english_as_in_french(app, client, login):
    """Consultant's review of 2026-12-06: the T36 letter read "the credential the agreement requires for
    engineer" and "the licence that the practice of engineer requires in Alberta", where the French letter
    says "pour la profession de ..." and "l'exercice de la profession de ..."."""
    text, _letter, code = worked_letter(app, client, login, "case01-us-civil-engineer")
    words = flat(text)
    assert code == "T36"
    # the years follow in the same sentence (test_letters_reread_2.py)
    assert "the credential the agreement requires for the profession of engineer, and has" in words, words
    assert "the licence that the practice of the profession of engineer requires in Alberta." in words, words
    assert "requires for engineer" not in words and "practice of engineer" not in words


def test_the_subject_line_names_the_code_without_nested_parentheses(app, client, login):
    """Consultant's review of 2026-12-06: the C10 letter's subject and first sentence read "code C10
    (Significant benefit (general, discretionary))"; the label's own aside is left out there (the code
    says which)."""
    case_id, account, code = enter_worked_case(app, "case17-renowned-expert-c10")
    login(client, account)
    assert code == "C10"
    for lang, subject in (
        ("en", "work permit under LMIA exemption code C10 (Significant benefit)"),
        ("fr", "code de dispense d'EIMT C10 (Avantage important)"),
    ):
        text, letter = render(client, case_id, lang)
        assert "(" in letter["code_label"]
        assert subject in flat(text), flat(text)[:600]
        assert "))" not in flat(text), [w for w in flat(text).split(". ") if "))" in w]


@pytest.mark.parametrize(
    ("case", "code"),
    [("case11-italian-css", "T47"), ("case12-french-independent-professional", "T43")],
)
def test_a_service_suppliers_letter_engages_services_under_the_contract_rather_than_offering_a_position(
    app, client, login, case, code
):
    """Consultant's review of 2026-12-06: the CETA independent professional's letter (and the contractual
    service supplier's, the employee of a foreign firm) said the business "offers ... the position",
    "will pay" its wage and hires for "temporary employment", for someone it also called self-employed
    under a service contract. The letter now engages the services under the contract, says the contract
    pays, and the stay ends with the contract, in both languages."""
    case_id, account, found = enter_worked_case(app, case)
    login(client, account)
    assert found == code
    english, _letter = render(client, case_id, "en")
    words = flat(english)
    assert "engages" in words and "under a service contract as" in words, words[:800]
    assert "offers" not in words and "the position of" not in words and " will pay " not in words
    assert "will be paid" in words and "under the contract" in words
    assert "a temporary service contract that ends at that term" in words
    assert "temporary employment" not in words and "The work in Canada" in words
    french, _letter = render(client, case_id, "fr")
    mots = flat(french)
    assert "retient les services d" in mots and "en vertu d'un contrat de services" in mots, mots[:800]
    assert "offre à" not in mots and " versera à " not in mots and "recevra en vertu du contrat" in mots
    assert (
        "un contrat de services temporaire qui prend fin à ce terme" in mots
        and "emploi temporaire" not in mots
    )
    assert "quitter le Canada à la fin du contrat" in mots and "de le " not in mots


# Consultant's review of 2026-12-06: each worked case's citizenship as the letter now says it, in English and
# French (the French article of each country: "des États-Unis", "de la France", "de l'Italie", "du Maroc",
# "des Pays-Bas"), where it read "(citizenship: Italy)", "(citoyenneté : France)", a form's field in a sentence.
CITIZENS = [
    ("case01-us-civil-engineer", "a citizen of the United States", "qui a la citoyenneté des États-Unis"),
    ("case12-french-independent-professional", "a citizen of France", "qui a la citoyenneté de la France"),
    ("case11-italian-css", "a citizen of Italy", "qui a la citoyenneté de l'Italie"),
    ("case22-francophone-cook", "a citizen of Morocco", "qui a la citoyenneté du Maroc"),
    ("case13-dutch-investor", "a citizen of the Netherlands", "qui a la citoyenneté des Pays-Bas"),
]
# what a form says, or a French article left uncontracted ("de le Maroc", "à les États-Unis")
ASIDES = re.compile(r"\((?:citizenship|country|citoyenneté|pays)\s?:|\b(?:de|à) (?:le|les) [A-ZÀ-Ý]")


@pytest.mark.parametrize(("case", "english", "french"), CITIZENS, ids=[c[0][:6] for c in CITIZENS])
def test_the_citizenship_is_said_in_a_sentence_with_the_countrys_own_article(
    app, client, login, case, english, french
):
    case_id, account, _code = enter_worked_case(app, case)
    login(client, account)
    for lang, expected in (("en", english), ("fr", french)):
        text = flat(render(client, case_id, lang, keep=f"citizen-{case[:6]}-{lang}")[0])
        assert expected in text, (lang, expected, text[:1200])
        assert not ASIDES.search(text), (lang, ASIDES.findall(text))
        if lang == "fr":
            assert not [form for form in MASCULINE_ONLY if form in text]


def test_the_country_to_return_to_and_the_groups_countries_are_in_the_sentence(app, client, owner):
    """ "keeps a position to return to ... (country: United States)" and "operates in these countries:
    United States, United Kingdom": the countries now take their place in the sentence."""
    case_id = create_case(
        app,
        client,
        enterprise={"countries_of_operation": ["US", "MX", "NL"]},
        person={"residence_country": "US"},
    )
    english, french = (flat(render(client, case_id, lang)[0]) for lang in ("en", "fr"))
    assert "keeps a position to return to in the United States at the end of the assignment" in english
    assert "operates in the United States, Mexico and the Netherlands." in english
    assert "conserve un poste auquel revenir aux États-Unis à la fin de l'affectation" in french
    assert "exerce ses activités aux États-Unis, au Mexique et aux Pays-Bas." in french
    for text in (english, french):
        assert not ASIDES.search(text) and "these countries" not in text and "ces pays" not in text


@pytest.mark.parametrize(
    ("code", "the", "of", "in_"),
    [
        ("FR", "la France", "de la France", "en France"),
        ("MX", "le Mexique", "du Mexique", "au Mexique"),
        ("US", "les États-Unis", "des États-Unis", "aux États-Unis"),
        ("IT", "l'Italie", "de l'Italie", "en Italie"),
        ("IL", "Israël", "d'Israël", "en Israël"),
        ("CU", "Cuba", "de Cuba", "à Cuba"),
        ("KR", "la Corée du Sud", "de la Corée du Sud", "en Corée du Sud"),
        ("GB", "le Royaume-Uni", "du Royaume-Uni", "au Royaume-Uni"),
        ("RU", "la Russie", "de la Russie", "en Russie"),  # the list's "Russie, Fédération de", put right
        ("KH", "le Cambodge", "du Cambodge", "au Cambodge"),
        ("IR", "l'Iran", "de l'Iran", "en Iran"),
    ],
)
def test_every_french_country_name_takes_its_article_in_a_sentence(code, the, of, in_):
    from portal.documents.letters import countries  # noqa: PLC0415

    fr = {"lang": "fr"}
    assert (countries.the(fr, code), countries.of(fr, code), countries.in_(fr, code)) == (the, of, in_)


def test_every_country_of_the_list_reads_as_a_sentence_in_both_languages():
    """Every name of the project's country list, in a letter's sentence: no inverted name ("Russie,
    Fédération de", "Congo, The Democratic Republic of the"), no uncontracted article."""
    from portal.documents.letters import countries  # noqa: PLC0415
    from rules.kinds import country_names  # noqa: PLC0415

    for code in country_names("en"):
        for lang in ("en", "fr"):
            letter = {"lang": lang}
            for phrase in (countries.citizen_of(letter, [code]), countries.in_(letter, code)):
                assert ", " not in phrase or code in ("BQ", "SH"), (code, lang, phrase)
                assert not re.search(r"\b(?:de|à) (?:le|les)\b|\bde [AEIOUÉÈ]|\bla [AEIOUÉ]", phrase), phrase
    assert countries.citizen_of({"lang": "en"}, ["US", "IE"]) == "a citizen of the United States and Ireland"
    assert (
        countries.citizen_of({"lang": "fr"}, ["États-Unis", "Irlande"])  # an old snapshot keeps the names
        == "qui a la citoyenneté des États-Unis et de l'Irlande"
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_letter_does_not_enclose_itself_in_the_letter_nor_in_the_packet(app, client, owner, lang):
    """Consultant's review of 2026-12-06: the letter's "Enclosed documents" began with "Annex A: this
    letter (Letter of introduction ...)": a letter does not enclose itself. The packet annexes it (Annex A
    of its contents page) and the letter inside the packet lists only the other annexes."""
    case_id = create_case(app, client)
    proof = next(
        k for k in evidence_keys(app, case_id) if k.startswith("Proof of the corporate relationship")
    )
    assert upload(client, case_id, proof, pdf_bytes(1), "shares.pdf").status_code == 302
    text, letter = render(client, case_id, lang)
    enclosed = {s["key"]: s["text"] for s in letter["sections"]}["evidence"]
    assert "Annex A" not in enclosed and "Annexe A" not in enclosed, enclosed
    assert "this letter (" not in flat(text) and "la présente lettre (" not in flat(text)
    assert re.search(r"Annexe? B\s?:", enclosed), enclosed  # the uploaded file keeps its packet annex
    packet = laid_out_text(
        download(client, document_id_of(request_document(client, case_id, "packet", lang)))
    )
    words = flat(packet)
    assert "this letter (" not in words and "la présente lettre (" not in words
    annex_a = "Annex A — Support letter" if lang == "en" else "Annexe A — Lettre d'appui"
    assert words.count(annex_a) == 1, [w for w in re.findall(r"Annexe? A\b.{30}", words)]


@pytest.mark.parametrize(
    ("case", "code"),
    [("case11-italian-css", "T47"), ("case12-french-independent-professional", "T43")],
)
def test_a_service_suppliers_undertakings_engage_the_services_under_the_offer(app, client, login, case, code):
    """Consultant's review of 2026-12-06: the service supplier's letter engaged the services "under a
    service contract", then undertook that the business "will employ" the worker and keep "the records of
    this employment". Section 209.2 binds the employer named on the offer all the same: the undertakings
    now say so, with the contract's words, in both languages."""
    case_id, account, found = enter_worked_case(app, case)
    login(client, account)
    assert found == code
    for lang, wanted, wrong in (
        ("en", "will engage the services of", ("will employ", "this employment")),
        ("fr", "retiendra les services d", ("emploiera", "cet emploi")),
    ):
        text, letter = render(client, case_id, lang, keep=f"undertakings-{code}-{lang}")
        undertaken = flat({s["key"]: s["text"] for s in letter["sections"]}["undertakings"])
        assert wanted in undertaken and "209.2" in undertaken, undertaken
        assert not [w for w in wrong if w in undertaken], undertaken
        assert wanted in flat(text)  # as the PDF reads it
        # one French name for the prevailing wage: "salaire en vigueur", where a missing one was "médian"
        assert "salaire médian" not in flat(text)
        assert "Employer Portal" in undertaken or "Portail des employeurs" in undertaken
    # an employee's letter keeps the employment's words
    text, _letter = render(client, create_case(app, client), "en")
    assert "will employ" in flat(text)


def test_one_french_level_for_both_skills_is_said_once(app, client, login):
    """The C16 letter read "parle le français au niveau 6 et le comprend au niveau 6 des NCLC" (and in
    English "speaks French at NCLC level 6 and understands it at NCLC level 6"): the same level is said
    once."""
    case_id, account, code = enter_worked_case(app, "case22-francophone-cook")
    login(client, account)
    assert code == "C16"
    english, french = (flat(render(client, case_id, lang)[0]) for lang in ("en", "fr"))
    assert "speaks and understands French at NCLC level" in english and "understands it at" not in english
    assert "parle et comprend le français au niveau" in french and "le comprend au niveau" not in french


def test_a_document_still_to_enclose_is_named_by_its_quoted_title_in_both_languages():
    """ "[to complete: enclose Signed employment agreement]" capitalized a word in the middle of the
    sentence, and "[à compléter : joindre Contrat de travail signé]" read as French without its article:
    the checklist's title is quoted (no-break spaces inside the French guillemets)."""
    items = [{"text": "Signed employment agreement", "status": "missing"}]
    worker = {"given_names": "Ada", "family_name": "Invented"}
    english = common.evidence({"lang": "en", "evidence": items, "worker": worker})["text"]
    assert "[to complete: enclose “Signed employment agreement”]" in english, english
    items = [{"text": "Contrat de travail signé", "status": "missing"}]
    french = common.evidence({"lang": "fr", "evidence": items, "worker": worker})["text"]
    assert "[à compléter\u00a0: joindre «\u00a0Contrat de travail signé\u00a0»]" in french, french


def test_the_french_trainee_letter_states_the_agreements_purpose_in_idiomatic_french(app, client, login):
    """The CETA graduate trainee's French letter read "... : c'est la fin pour laquelle l'Accord ... admet
    les stagiaires diplômés" ("la fin" for "the purpose"): "c'est à cette fin que l'Accord ... admet"."""
    case_id, account, code = enter_worked_case(app, "case10-german-graduate-trainee")
    login(client, account)
    assert code == "T42"
    french = flat(render(client, case_id, "fr", keep="T42-purpose-fr")[0])
    assert "c'est à cette fin que l'Accord économique et commercial global" in french, french[:2000]
    assert "la fin pour laquelle" not in french


@pytest.mark.parametrize(
    ("lang", "asked", "not_asked"),
    [
        (
            "en",
            (
                "Proof that the Canadian entity is incorporated",
                "Proof that the foreign enterprise is doing business",
            ),
            ("T2", "payroll account", "Proof that both enterprises"),
        ),
        (
            "fr",
            (
                "Preuve de la constitution ou de l'enregistrement de l'entité canadienne",
                "Preuve que l'entreprise étrangère exerce ses activités",
            ),
            ("T2", "retenues sur la paie", "Preuve que les deux entreprises"),
        ),
    ],
)
def test_a_new_offices_letter_encloses_its_incorporation_not_t2_returns_or_a_payroll_account(
    app, client, login, lang, asked, not_asked
):
    """C61 (worked case 15, a subsidiary being set up): the enclosed documents asked for "T2 returns, CRA
    payroll account", which a company created to open the Canadian office cannot have yet, and proof that
    "both" enterprises are doing business, which the letter itself says the new one is not yet."""
    case_id, account, code = enter_worked_case(app, "case15-ict-new-subsidiary")
    assert code == "C61"
    login(client, account)
    text, _letter = render(client, case_id, lang)
    enclosed = flat(text).split("Enclosed documents" if lang == "en" else "Pièces jointes")[1]
    assert all(nospace(item) in nospace(enclosed) for item in asked), enclosed
    assert not [item for item in not_asked if nospace(item) in nospace(enclosed)], enclosed
    premises = "Lease or proof of secured premises" if lang == "en" else "Bail ou preuve des locaux"
    assert nospace(premises) in nospace(enclosed)


@pytest.mark.parametrize("province", ["ON", "QC"])
def test_a_provincial_business_candidates_letter_states_dual_intent_not_an_intention_to_leave(
    app, client, login, province
):
    """C60 (worked case 16's owner as a provincial nominee business candidate, or a Quebec self-employed
    worker with a CSQ) read "... intends to leave Canada at the end of the employment: [to complete: the
    worker's ties and plans abroad]" and "the offer is for temporary employment that ends at that term": the
    code is for candidates for permanent residence. The letter says what subsection 22(2) of the Act asks:
    the intention to stay does not bar a temporary stay, and the worker will leave should permanent
    residence not be granted."""
    place = {"province": province, "city": "Montréal" if province == "QC" else "Ottawa"}
    case_id, account, code = enter_worked_case(
        app,
        "case16-single-country-owner",
        facts={
            "worker": {"provincial_business_candidate": True},
            "position": place,
            "employer": {"province": province},
        },
    )
    assert code == "C60"
    complete_offer(app, case_id)
    login(client, account)
    english, _letter = render(client, case_id, "en", keep=f"C60-{province}-en")
    french, _letter = render(client, case_id, "fr", keep=f"C60-{province}-fr")
    stay_en = flat(english).split("A temporary stay")[1].split("Legal basis")[0]
    stay_fr = flat(french).split("Un séjour temporaire")[1].split("Fondement juridique")[0]
    for stay, wrong in (
        (stay_en, ("intends to leave", "ties and plans", "temporary employment that ends")),
        (stay_fr, ("entend quitter", "attaches et projets", "un emploi temporaire qui prend fin")),
    ):
        assert not [w for w in wrong if w in stay], stay
    assert "subsection 22(2) of the Immigration and Refugee Protection Act" in stay_en
    assert "should permanent residence not be granted" in stay_en
    assert "paragraphe 22(2) de la Loi sur l'immigration et la protection des réfugiés" in stay_fr
    assert "si la résidence permanente n'est pas accordée" in stay_fr
    if province == "QC":
        assert "holds a Québec Selection Certificate (CSQ) as a self-employed worker" in stay_en
        assert (
            "certificat de sélection du Québec (CSQ) dans la catégorie des travailleurs autonomes" in stay_fr
        )
    else:
        assert "as a business candidate of the Provincial Nominee Program in Ontario" in stay_en
        assert "volet des gens d'affaires du Programme des candidats des provinces en Ontario" in stay_fr
    assert not [form for form in MASCULINE_ONLY if form in flat(french)]


@pytest.mark.parametrize(
    ("street", "french", "english"),
    [
        (
            "1 Example Square",
            "au 1, Example Square, Toronto (Ontario)",
            "at 1 Example Square, Toronto, Ontario",
        ),
        (
            "Suite 400, 1 Example Square",
            "à l'adresse suivante : Suite 400, 1 Example Square, Toronto (Ontario)",
            "at Suite 400, 1 Example Square, Toronto, Ontario",
        ),
    ],
)
def test_the_workplace_address_reads_as_french_writes_an_address(app, client, owner, street, french, english):
    """The French letter read "occupera le poste de VP Operations (...) au 1 Example Square, Toronto (Ontario)":
    French puts a comma after the civic number ("au 1, Example Square"), and an address that does not start
    with its number cannot follow "au" ("au Suite 400"): it follows "à l'adresse suivante :"."""
    case_id = create_case(app, client, role={"street_address": street})
    french_text, _letter = render(client, case_id, "fr", keep=f"address-{street[:4]}-fr")
    english_text, _letter = render(client, case_id, "en", keep=f"address-{street[:4]}-en")
    assert nospace(french) in nospace(french_text), flat(french_text)
    assert "au 1 Example" not in flat(french_text) and "au Suite" not in flat(french_text)
    assert nospace(english) in nospace(english_text), flat(english_text)


def test_a_french_street_address_takes_a_comma_after_its_civic_number_only():
    assert common.french_street("1 Example Square") == "1, Example Square"
    assert common.french_street("12, rue Main") == "12, rue Main"  # typed the French way: kept
    assert common.french_street("350-A rue Main") == "350-A, rue Main"
    assert common.french_street("12-14 King Street West") == "12-14, King Street West"
    assert common.french_street("Suite 400, 1 Example Square") == "Suite 400, 1 Example Square"
    fr, en = {"lang": "fr"}, {"lang": "en"}
    assert common.at_address(fr, "1 Example Square") == "au" and common.at_address(fr, None) == "à"
    assert common.at_address(fr, "Suite 400, 1 Example Square") == "à l'adresse suivante\u00a0:"
    assert common.at_address(en, "Suite 400") == "at" and common.at_address(en, "") == "in"


def test_an_ict_managers_letter_argues_that_the_canadian_operation_needs_the_role(app, client, login):
    """C62 (worked case 08, an engineering manager): the letter showed the capacity but never that the
    Canadian operation is big enough to need a manager of its own (the R205(a) ICT guidelines). It says so
    from the employer's staff in Canada and the duties in Canada that show the role, in both languages."""
    case_id, account, code = enter_worked_case(app, "case08-us-green-card-manager")
    assert code == "C62"
    complete_offer(app, case_id)  # "Leads the Engineering Manager work of the Canadian team", "Reports ..."
    login(client, account)
    english, letter = render(client, case_id, "en", keep="need-C62-en")
    french, _letter = render(client, case_id, "fr", keep="need-C62-fr")
    employer = letter["employer"]["legal_name"]
    assert letter["employer"]["employees"] == 45
    for expected in (
        "Why the Canadian operation needs the position",
        f"With 45 employees in Canada, {employer} is large enough to need a manager of its own.",
        "The position of Engineering Manager is that role in Canada: “Leads the Engineering Manager work of the "
        "Canadian team”; “Reports monthly to the board”.",
    ):
        assert nospace(expected) in nospace(english), expected
    for expected in (
        "Pourquoi l'entreprise canadienne a besoin du poste",
        f"Avec 45 personnes à son service au Canada, {employer} a la taille voulue pour avoir besoin de son "
        "propre poste de gestion.",
        "Le poste d'Engineering Manager remplit ce rôle au Canada : « Leads the Engineering Manager work of the "
        "Canadian team » ; « Reports monthly to the board ».",
    ):
        assert nospace(expected) in nospace(french), expected
    # the duty is quoted once, where the need is argued, not also under the capacity
    assert flat(english).count("“Leads the Engineering Manager work") == 1


def test_an_ict_specialists_letter_argues_that_the_canadian_operation_needs_the_knowledge(app, client, login):
    """C63 (worked case 05, paid the prevailing wage): the letter named the knowledge but not why the work in
    Canada calls for it; it quotes the duties in Canada that do."""
    case_id, account, code = enter_worked_case(
        app, "case05-ict-below-prevailing-wage", facts={"position": {"wage_hourly_cad": 55}}
    )
    assert code == "C63"
    complete_offer(app, case_id)
    with app.app_context():
        db.session.get(Case, case_id).position.duties = (
            "Develops the data pipeline of the proprietary platform\nTrains the Canadian team on internal tools\n"
            "Attends client meetings"
        )
        db.session.commit()
    login(client, account)
    english, letter = render(client, case_id, "en", keep="need-C63-en")
    french, _letter = render(client, case_id, "fr", keep="need-C63-fr")
    for expected in (
        "Why the Canadian operation needs this knowledge",
        "Veda Systems Canada Ltd. needs this knowledge in Canada, where the position of Software engineer "
        "(proprietary platform) applies it in these duties: “Develops the data pipeline of the proprietary "
        "platform”; “Trains the Canadian team on internal tools”.",
    ):
        assert nospace(expected) in nospace(english), expected
    for expected in (
        "Pourquoi l'entreprise canadienne a besoin de ces connaissances",
        "Veda Systems Canada Ltd. a besoin de ces connaissances au Canada, où le poste de Software engineer "
        "(proprietary platform) les met en œuvre dans ces fonctions : « Develops the data pipeline of the "
        "proprietary platform » ; « Trains the Canadian team on internal tools ».",
    ):
        assert nospace(expected) in nospace(french), expected
    assert "Attends client meetings”" not in english  # a duty that does not call for the knowledge
    need = next(s["text"] for s in letter["sections"] if s["key"] == "canadian_need")
    assert need.count(":") == 1, need  # the quoted duties follow the only colon


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_without_the_facts_the_canadian_need_is_asked_for_and_an_fta_transfer_argues_none(lang):
    """No staff count and no duty in Canada that shows the role (C62), no duty that calls for the
    knowledge (C63): the letter asks for them, visibly; T37 (an agreement's transferee) and C61 (a new
    office, argued by its staffing plan) have no such section."""
    base = {
        "lang": lang,
        "date": "2026-12-07",
        "code": "C62",
        "current_code": "C62",
        "employer": {"legal_name": "Maple Invented Analytics Ltd.", "employees": None},
        "enterprise": {"name": "Rocky Invented Inc.", "relationship": "parent"},
        "position": {"title": "Operations Manager", "capacity": "manager", "duties": "Attends trade fairs"},
        "worker": {"given_names": "Avery", "family_name": "Inventedname", "employment": []},
    }
    need = ict.canadian_need(base)["text"]
    gap = "to complete" if lang == "en" else "à compléter"
    assert need.count(f"[{gap}") == 2, need
    assert ("number of employees" if lang == "en" else "nombre de personnes") in need
    sk = ict.canadian_need({**base, "position": {**base["position"], "capacity": "specialized_knowledge"}})
    assert f"[{gap}" in sk["text"] and "Attends" not in sk["text"], sk
    argued = {
        code: ict.argues_need({**base, "code": code, "current_code": code}) for code in ("C62", "T37", "C61")
    }
    assert argued == {"C62": True, "T37": False, "C61": False}
    assert ict.argues_need({**base, "position": {**base["position"], "capacity": "specialized_knowledge"}})


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_small_canadian_operation_is_not_said_to_be_large_enough_its_author_is_asked_why(lang):
    """C62 with 2 employees in Canada: "With 2 employees in Canada, ... is large enough to need a manager of its
    own" is the sentence a consultant returns. The letter states the staff and asks its author, visibly, why
    an operation of that size needs the role; from SMALL_OPERATION employees it says so itself."""
    base = {
        "lang": lang,
        "date": "2026-12-07",
        "code": "C62",
        "current_code": "C62",
        "employer": {"legal_name": "Maple Invented Analytics Ltd.", "employees": 2},
        "enterprise": {"name": "Rocky Invented Inc.", "relationship": "parent"},
        "position": {
            "title": "Operations Manager",
            "capacity": "manager",
            "duties": "Manages the Canadian team",
        },
        "worker": {"given_names": "Avery", "family_name": "Inventedname", "employment": []},
    }
    gap = "[to complete" if lang == "en" else "[à compléter"
    small = ict.canadian_need(base)["text"]
    assert ("large enough" if lang == "en" else "la taille voulue") not in small, small
    assert (
        "has 2 employees in Canada" if lang == "en" else "compte 2 personnes à son service au Canada"
    ) in small
    assert (
        small.count(gap) == 1 and ("why an operation" if lang == "en" else "pourquoi une entreprise") in small
    )
    one = ict.canadian_need({**base, "employer": {**base["employer"], "employees": 1}})["text"]
    assert ("has 1 employee in" if lang == "en" else "compte 1 personne à son") in one, one
    big = {**base, "employer": {**base["employer"], "employees": ict.SMALL_OPERATION}}
    text = ict.canadian_need(big)["text"]
    assert gap not in text and ("large enough" if lang == "en" else "la taille voulue") in text, text


@pytest.mark.parametrize(
    ("lang", "gap", "titled"),
    [
        ("en", "[to complete: title of the signatory]", "Dana Invented, Director of Operations, for"),
        ("fr", "[à compléter\u00a0: titre du signataire]", "Dana Invented, Director of Operations, pour"),
    ],
)
def test_the_letter_is_signed_with_the_signatorys_title_or_asks_for_it(app, client, owner, lang, gap, titled):
    """RCIC review of 2026-12-07: a letter signed "Case Tester / Maple Invented Analytics Ltd." says nothing
    of who signs for the employer and with what authority; with no title given, the signature block and the
    contact sentence ask for it, visibly, and the documents page records it as a gap to complete."""
    case_id = create_case(app, client)
    untitled = document_id_of(request_document(client, case_id, "support_letter", lang))
    text = flat(laid_out_text(download(client, untitled)))
    assert text.count(flat(gap)) == 2, text[-600:]  # the contact sentence and the signature block
    assert gap.removesuffix("]").split(": ")[-1] in (get_document(app, untitled).letter_gaps or [])
    titled_id = document_id_of(
        request_document(
            client,
            case_id,
            "support_letter",
            lang,
            signatory_name="Dana Invented",
            signatory_title="Director of Operations",
        )
    )
    signed = flat(laid_out_text(download(client, titled_id)))
    assert titled in signed and "Dana Invented Director of Operations Maple Invented Analytics Ltd." in signed
    assert flat(gap) not in signed


def test_a_cusma_professionals_letter_cites_the_appendix_that_lists_the_profession(app, client, login):
    """RCIC review of 2026-12-07: the T36 letter said CUSMA "lists" the profession without saying where; an
    officer checks the profession against Appendix 2 (Professionals) to Annex 16-A (NAFTA's former Appendix
    1603.D.1), which the letter now names, in both languages."""
    case_id, account, code = enter_worked_case(app, "case01-us-civil-engineer")
    assert code == "T36"
    login(client, account)
    english, _letter = render(client, case_id, "en", keep="appendix-T36-en")
    french, _letter = render(client, case_id, "fr", keep="appendix-T36-fr")
    assert nospace(
        "is in the profession of engineer, listed in Appendix 2 (Professionals) to Annex 16-A of the "
        "Canada–United States–Mexico Agreement (CUSMA), and it is offered at the professional level."
    ) in nospace(english), flat(english)
    assert nospace(
        "relève de la profession d'ingénieur, inscrite à l'appendice 2 (Professionnels) de l'annexe 16-A de "
        "l'Accord Canada–États-Unis–Mexique (ACEUM), et il est offert au niveau professionnel."
    ) in nospace(french), flat(french)


def test_a_c20_letter_asks_for_the_reciprocal_arrangement_it_is_made_under(app, client, login):
    """RCIC review of 2026-12-07: the C20 letter said the worker comes "under a reciprocal exchange" without
    naming it; the officer asks which agreement gives Canadians comparable positions abroad. No fact records it:
    the letter asks its author for the agreement, its parties and date and the partner abroad, visibly (C20's
    branches, C22 to C26, argue their own arrangement)."""
    case_id, account, code = enter_worked_case(app, "case26-employee-exchange")
    assert code == "C20"
    login(client, account)
    english, _letter = render(client, case_id, "en", keep="arrangement-C20-en")
    french, _letter = render(client, case_id, "fr", keep="arrangement-C20-fr")
    assert nospace(
        "These numbers are of a similar magnitude. This exchange is made under [to complete: the reciprocal "
        "agreement or arrangement (its parties and date) and the partner organization abroad that employs "
        "Canadians in return]."
    ) in nospace(english), flat(english)
    assert nospace(
        "Cet échange se fait en vertu de [à compléter : l'entente ou l'arrangement de réciprocité (ses parties "
        "et sa date) et l'organisation partenaire à l'étranger qui emploie des Canadiens en retour]."
    ) in nospace(french), flat(french)


def test_a_ceta_independent_professionals_letter_shows_the_degree_and_years_the_agreement_requires(
    app, client, login
):
    """RCIC review of 2026-12-07: the T43 letter gave the worker's degree and 7 years of experience but not
    that CETA asks an independent professional for a university degree and at least 6 years in a sector of
    Annex 10-E, so the officer had to know the threshold to see it met; it says both, in both languages."""
    case_id, account, code = enter_worked_case(app, "case12-french-independent-professional")
    assert code == "T43"
    login(client, account)
    english, _letter = render(client, case_id, "en", keep="annex-T43-en")
    french, _letter = render(client, case_id, "fr", keep="annex-T43-fr")
    assert nospace(
        "has 7 years of professional experience in the sector. The agreement requires of an independent "
        "professional a university degree and at least 6 years of professional experience in a sector listed "
        "in Annex 10-E of CETA: Invented case12-french-independent-professional meets both."
    ) in nospace(english), flat(english)
    assert nospace(
        "L'accord exige d'un professionnel indépendant un diplôme universitaire et au moins 6 années "
        "d'expérience professionnelle dans un secteur inscrit à l'annexe 10-E de l'AECG : Invented "
        "case12-french-independent-professional remplit ces deux conditions."
    ) in nospace(french), flat(french)


def test_the_letter_identifies_the_worker_by_birth_citizenship_and_passport_and_leaves_out_what_is_not_held(
    app, client, login
):
    """Lead's review of 2026-12-07: the letters named the worker but gave none of the facts an officer
    matches the application with (the date of birth, the citizenship, the passport), although the portal
    holds them. They are under the subject line, in both languages; a fact the portal does not hold is left
    out rather than printed blank."""
    case_id, account, code = enter_worked_case(app, "case15-ict-new-subsidiary")
    assert code == "C61"
    with app.app_context():
        worker = db.session.get(Case, case_id).transferee
        worker.date_of_birth, worker.passport_number = date(1988, 3, 14), "ZX4471093"
        worker.passport_country = worker.citizenships[0]
        db.session.commit()
        country = {lang: labels.country_name(worker.citizenships[0], lang) for lang in ("en", "fr")}
    login(client, account)
    english, _letter = render(client, case_id, "en")
    french, _letter = render(client, case_id, "fr")
    for text, lines in (
        (
            english,
            (
                "Date of birth: March 14, 1988",
                f"Citizenship: {country['en']}",
                f"Passport number: ZX4471093 ({country['en']})",
            ),
        ),
        (
            french,
            (
                "Date de naissance : 14 mars 1988",
                f"Citoyenneté : {country['fr']}",
                f"Numéro de passeport : ZX4471093 ({country['fr']})",
            ),
        ),
    ):
        head = flat(text).split("Dear Officer," if text is english else "Madame, Monsieur,")[0]
        for line in lines:
            assert line in head, (line, head)

    # a worker whose birth date and passport the portal does not hold: no line for either, none blank
    case_id, account, code = enter_worked_case(app, "case12-french-independent-professional")
    client = app.test_client()
    login(client, account)
    english, letter = render(client, case_id, "en")
    assert not letter["worker"]["date_of_birth"] and not letter["worker"]["passport_number"]
    assert "Citizenship: France" in flat(english)
    assert "Date of birth" not in english and "Passport number" not in english


def test_a_letter_for_an_application_at_the_border_is_addressed_to_the_cbsa_officer_there(app, client, login):
    """Lead's review of 2026-12-07: the letter of a CUSMA professional who applies at the port of entry (the
    assessment's place of application, R198) was addressed to IRCC, whereas a border services officer of the
    Canada Border Services Agency decides the application there. A worker who applies online (here one who
    needs a visa) still writes to IRCC."""
    case_id, account, code = enter_worked_case(app, "case01-us-civil-engineer")
    assert code == "T36"
    login(client, account)
    for lang, cbsa, ircc in (
        (
            "en",
            "Canada Border Services Agency To the border services officer at the port of entry",
            "Immigration, Refugees and Citizenship Canada",
        ),
        (
            "fr",
            "Agence des services frontaliers du Canada À l'agent des services frontaliers au point d'entrée",
            "Immigration, Réfugiés et Citoyenneté Canada",
        ),
    ):
        text, letter = render(client, case_id, lang)
        assert letter["applies_at"] == "POE"
        assert cbsa in flat(text) and ircc not in text, flat(text)[:500]

    case_id, account, code = enter_worked_case(app, "case15-ict-new-subsidiary")
    client = app.test_client()
    login(client, account)
    text, letter = render(client, case_id, "en")
    assert letter["applies_at"] == "online-outside"
    assert (
        "Immigration, Refugees and Citizenship Canada To the officer responsible for the work permit application"
        in flat(text)
    )
    assert "Border Services" not in text


def test_an_independent_professionals_letter_encloses_the_contract_for_services_not_an_employment_agreement(
    app, client, login
):
    """Lead's review of 2026-12-07 (rules/README.md item 65): the T43 letter asked to enclose an "Employment
    agreement signed by the Canadian client", whereas the self-employed professional has no employer: the
    client engages them by a contract for services, which the letter now asks for, in both languages."""
    case_id, account, code = enter_worked_case(app, "case12-french-independent-professional")
    assert code == "T43"
    login(client, account)
    english, _letter = render(client, case_id, "en")
    french, _letter = render(client, case_id, "fr")
    assert nospace(
        "Signed service contract between the self-employed worker and the Canadian client"
    ) in nospace(english), flat(english)
    assert nospace(
        "Contrat de services signé entre le travailleur autonome et le client canadien"
    ) in nospace(french), flat(french)
    for text in (english, french):
        for agreement in (
            "Employment agreement",
            "employment agreement",
            "Contrat de travail",
            "foreign enterprise",
        ):
            assert agreement not in flat(text), agreement


@pytest.mark.parametrize(("countries", "code"), [(None, "T47"), ({"IT": "GB"}, "F66")])
def test_a_contractual_service_suppliers_letter_shows_the_degree_months_and_years_the_agreement_requires(
    app, client, login, countries, code
):
    """Lead's review of 2026-12-07: the T43 letter states CETA's thresholds for an independent professional,
    but the T47 (and CUKTCA F66) letter gave the supplier's degree, employment and experience without what the
    agreement asks of a contractual service supplier (a university degree, 12 months as the supplier's
    employee, 3 years in a sector of Annex 10-E); it says them where met, in both languages, and claims
    nothing where the experience falls short."""
    case_id, account, recommended = enter_worked_case(app, "case11-italian-css", countries)
    assert recommended == code
    login(client, account)
    english, letter = render(client, case_id, "en")
    french, _letter = render(client, case_id, "fr")
    assert nospace(
        "has 5 years of professional experience in the sector. The agreement requires of a contractual service "
        "supplier a university degree, at least 12 months as an employee of the enterprise that supplies the "
        "service and at least 3 years of professional experience in a sector listed in Annex 10-E of CETA: "
        "Invented case11-italian-css meets all three."
    ) in nospace(english), flat(english)
    assert nospace(
        "L'accord exige d'un fournisseur de services contractuels un diplôme universitaire, au moins 12 mois "
        "d'emploi au sein de l'entreprise qui fournit les services et au moins 3 années d'expérience "
        "professionnelle dans un secteur inscrit à l'annexe 10-E de l'AECG : Invented case11-italian-css remplit "
        "ces trois conditions."
    ) in nospace(french), flat(french)

    # two years in the sector, or months with the supplier the assessment did not count: nothing is claimed
    for change in ("years", "months"):
        changed = copy.deepcopy(letter)
        changed.pop("sections", None)
        if change == "years":
            changed["facts"]["worker"]["experience_years"] = 2
        else:
            changed["criteria"] = [c for c in changed["criteria"] if c["id"] != "css.employee_1y"]
        text = "\n".join(s["text"] for s in letters.argue(changed))
        assert "The agreement requires of a contractual service supplier" not in text, change
    assert "The agreement requires of a contractual service supplier" in "\n".join(
        s["text"] for s in letters.argue({k: v for k, v in letter.items() if k != "sections"})
    )


@pytest.mark.parametrize(
    ("case", "code", "held"),
    [
        ("case22-francophone-cook", "C16", False),
        ("case25-iec-young-professional", "C21", False),
        ("case10-german-graduate-trainee", "T42", True),
    ],
)
def test_a_code_without_a_prevailing_wage_test_leaves_no_prevailing_wage_gap_in_its_letter(
    app, client, login, case, code, held
):
    """Lead's review of 2026-12-07: the C16 and C21 letters asked for the Job Bank prevailing wage, and called
    a wage below it a gap to fix, though IRCC holds neither to one (C16's instructions set no wage test; an
    IEC Young Professional's job need only meet the province's labour laws and minimum wage). T42, a CETA
    graduate trainee, keeps it (its wage should not be below the prevailing wage, imp-rules.md §3.2)."""
    case_id, account, recommended = enter_worked_case(app, case)
    assert recommended == code
    login(client, account)
    for lang, gap in (
        ("en", "[to complete: Job Bank prevailing wage per hour]"),
        ("fr", "[à compléter : salaire horaire en vigueur selon le Guichet-Emplois]"),
    ):
        text, letter = render(client, case_id, lang)
        assert not letter["position"]["prevailing_wage_hourly"]
        assert (nospace(gap) in nospace(text)) == held, (lang, flat(text))
    # a prevailing wage above the worker's, entered all the same: a gap only where the code is held to it
    with app.app_context():
        db.session.get(Case, case_id).position.prevailing_wage_hourly = Decimal("99.00")
        db.session.commit()
    for lang, gap, below in (
        ("en", "[to complete: explain or raise the wage]", "is below the prevailing wage"),
        ("fr", "[à compléter : expliquer ou relever le salaire]", "inférieur au salaire en vigueur"),
    ):
        text, _letter = render(client, case_id, lang)
        assert (nospace(gap) in nospace(text)) == held and (below in flat(text)) == held, (lang, flat(text))
