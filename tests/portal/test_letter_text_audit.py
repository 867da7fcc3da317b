"""An audit of the support letters' text (portal/documents/letters/) and of the packet's data sheet: every
worked case of tests/rules/cases the portal can enter, in English and in French, argued as it is and
with each fact the letters read set otherwise (each yes or no to yes and to no, each choice to each of
its values), and under every other code of the rules' table; the text must never show a Python value
("True", "None", "[]"), a raw date or choice key, a French word left unelided, an English word of the
code's own in a French letter, or a doubled space or stray punctuation.

``letters.argue`` on snapshot dicts (no PDF): a case is entered once through the services, its letter
snapshot made by ``content.letter_snapshot`` in each language, then varied in memory. The focused tests
after the sweep pin each bug the audit found."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask_babel import force_locale

from portal.documents import content, letters
from portal.documents.letters import common, professionals
from portal.extensions import db
from portal.models import Case, Organization
from rules.fields import FIELDS
from rules.params import CODES
from tests.portal.document_helpers import WORKED_CASES, enter_worked_case

CASES = sorted(p.stem for p in Path(WORKED_CASES).glob("*.yaml"))
ON = date(2026, 12, 1)

# The facts the letters read (``fact(letter, "...")`` in portal/documents/letters/): the yes or no ones
# are set to yes and to no, the choices to each of their values, the numbers to a whole and a fractional one.
BOOLS = (
    "worker.retains_position_abroad",
    "worker.business_funds",
    "worker.support_funds",
    "worker.investment_substantial",
    "worker.canadian_licence",
    "worker.iec_invited",
    "position.licence_required",
    "position.fta_listed_occupation",
    "foreign_enterprise.doing_business",
    "employer.actively_engaged",
)
CHOICES = (
    "position.arts_discipline",
    "position.service_sector",
    "worker.iec_category",
    "worker.french_proof",
)
NUMBERS = {
    "worker.experience_years": (0, 7, 12.5),
    "worker.ownership_pct": (51, 100, 33.5),
    "worker.french_nclc_speaking": (5, 7),
    "worker.french_nclc_listening": (5, 9),
    "employer.canadians_sent_abroad": (0, 4, 1200),
    "employer.foreign_workers_received": (1, 3, 1500),
    "employer.trade_share_with_treaty_country_pct": (51, 75.5),
}
# the snapshot's own values (not facts) that choose a wording
SNAPSHOT_CHOICES = {
    ("position", "paid"): (True, False, None),
    ("position", "capacity"): next(f for f in FIELDS if f.path == "position.capacity").values + (None,),
    ("worker", "education_level"): next(f for f in FIELDS if f.path == "worker.education_level").values
    + (None,),
}


def choices(path: str) -> tuple[Any, ...]:
    return tuple(next(f for f in FIELDS if f.path == path).values)


# Every choice key of the facts (``specialized_knowledge``, ``bachelor``, ``orchestral_music``): none is
# ever prose.
CHOICE_KEYS = frozenset(c for f in FIELDS if f.values for c in f.values if isinstance(c, str))
SNAKE_KEYS = frozenset(k for k in CHOICE_KEYS if "_" in k)
# English choice keys that are no French word: in a French letter they are a leak of the key
ENGLISH_KEYS = frozenset(
    k
    for k in CHOICE_KEYS
    if "_" not in k
    and k
    not in {
        "architecture",  # French as well
        "none",
        "other",
        "regular",
        "religious",
        "production",
        "franchise",
    }
)


def with_fact(letter: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    section, _, name = path.partition(".")
    facts = letter.get("facts") or {}
    return {**letter, "facts": {**facts, section: {**(facts.get(section) or {}), name: value}}}


def with_value(letter: dict[str, Any], key: tuple[str, str], value: Any) -> dict[str, Any]:
    part, name = key
    return {**letter, part: {**(letter.get(part) or {}), name: value}}


def variants(letter: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The letter as it is, with each fact it reads set otherwise, and under each code of the table."""
    yield "as entered", letter
    for path in BOOLS:
        for value in (True, False, None):
            yield f"{path}={value}", with_fact(letter, path, value)
    for path in CHOICES:
        for value in (*choices(path), None):
            yield f"{path}={value}", with_fact(letter, path, value)
    for path, values in NUMBERS.items():
        for value in values:
            yield f"{path}={value}", with_fact(letter, path, value)
    for key, values in SNAPSHOT_CHOICES.items():
        for value in values:
            yield f"{'.'.join(key)}={value}", with_value(letter, key, value)
    for code, info in CODES.items():
        yield (
            f"code {code}",
            {**letter, "code": code, "current_code": code, "kind": info.kind, "citation": None},
        )


def typed(letter: dict[str, Any]) -> list[str]:
    """What the user typed (names, titles, duties ...): masked before the checks, which judge the code's
    own words only."""
    w, p, e = letter["worker"], letter["position"], letter.get("enterprise") or {}
    values = [
        letter["employer"]["legal_name"],
        letter["signatory"]["name"],
        letter["signatory"]["title"],
        w["given_names"],
        w["family_name"],
        w.get("profession"),
        w.get("education_field"),
        w.get("language_proof"),
        p.get("title"),
        p.get("duties"),
        p.get("noc_title"),
        p.get("street_address"),
        p.get("city"),
        e.get("name"),
        letter.get("code_label"),
        *(item["text"] for item in letter.get("evidence") or []),
        *(c["text"] for c in letter.get("criteria") or []),
    ]
    for job in w.get("employment") or []:
        values += [job.get("employer"), job.get("job_title"), job.get("duties")]
    lines = [line.strip(" -•\t") for v in values if v for line in str(v).splitlines()]
    # the rules' criteria are also quoted without their full stop (a list made running prose)
    return sorted({v for line in lines for v in (line, line.rstrip(".;")) if v}, key=len, reverse=True)


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PY_VALUES = re.compile(r"\b(?:True|False|None)\b|\[\]|\{|\}|\(\s*\)|\bnan\b|\bDecimal\(")
DOUBLED = re.compile(r"[^\S\n]{2,}|[^\S\n][.,]|,,|\.\.(?!\.)|,\.|\.,|;;|:[^\S\n]*[.;:]|[;,]$", re.M)
# French: "de" before a vowel of the code's own words ("de engineer", "d'négociant")
UNELIDED = re.compile(r"\b(?:de|que|le|la) (?=[aeiouéèêàâîôœ])", re.I)
WRONG_ELISION = re.compile(r"\b[dlq]u?'(?=[^aeiouyéèêàâîôœh\s◆])", re.I)
# French typography: a narrow or no-break space (or a plain one) before ":" and ";"
TIGHT = re.compile(r"(?<=[^\s\u00a0\u202f])[;:](?!//)")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def masked(text: str, letter: dict[str, Any]) -> str:
    for value in typed(letter):
        text = text.replace(value, "◆")
    return text


def around(text: str, m: re.Match[str]) -> str:
    return "…" + text[max(0, m.start() - 40) : m.end() + 25].replace("\n", "⏎") + "…"


def problems(text: str, letter: dict[str, Any]) -> list[str]:
    """What the audit finds in ``text`` of ``letter`` (its language), the user's words masked."""
    shown = masked(text, letter)
    checks = [("python value", PY_VALUES), ("ISO date", ISO_DATE), ("doubled space or punctuation", DOUBLED)]
    if letter["lang"] == "fr":
        checks += [
            ("unelided", UNELIDED),
            ("elided before a consonant", WRONG_ELISION),
            ("no space before ; or :", TIGHT),
        ]
    found = [
        f"{name}: {m.group()!r} in {around(shown, m)}"
        for name, pattern in checks
        for m in pattern.finditer(shown)
    ]
    found += [
        f"choice key {m.group()!r} in {around(shown, m)}"
        for m in SNAKE.finditer(shown)
        if m.group() in SNAKE_KEYS
    ]
    if letter["lang"] == "fr":
        found += [
            f"English word {m.group()!r} in French: {around(shown, m)}"
            for m in re.finditer(r"[a-z]+", shown)
            if m.group() in ENGLISH_KEYS or m.group() == "opera"
        ]
    return found


# French names the province in parentheses after the city ("Calgary (Alberta)"), never after a comma
PROVINCE_AFTER_COMMA = re.compile(
    r", (?:en |au |à l'|à |dans les )?(?:"
    + "|".join(re.escape(fr) for _en, fr in common.PROVINCES.values())
    + r")\b"
)
# a count of a thousand or more written without the locale's grouping ("1500 Canadiens")
UNGROUPED = re.compile(r"\b\d{4,} (?:Canadians|Canadiens|foreign workers|travailleurs)\b")


def known_answer_problems(text: str, variant: dict[str, Any]) -> list[str]:
    """What a known answer must never leave in the letter: a request for what it answers, a gendered
    word for the worker, the French province after a comma, an unformatted count."""
    found = []
    if variant["worker"].get("education_level") == "none" and (
        "highest degree" in text or "diplôme le plus élevé" in text
    ):
        found.append("a degree asked for of a worker known to hold none")
    if (
        variant["position"].get("capacity") == "trainee"
        and common.regulation(variant).startswith("R204")
        and ("executive, managerial or specialized" in text or "de direction, de gestion ou" in text)
    ):
        found.append("a trainee asked to be executive, managerial or specialized knowledge")
    if common.fact(variant, "worker.french_proof") in ("tef_canada", "tcf_canada", "french_diploma") and (
        "TEF or TCF" in text or "au TEF ou au TCF" in text
    ):
        found.append("a known proof of French asked for")
    found += [f"ungrouped count: {m.group()!r}" for m in UNGROUPED.finditer(text)]
    if variant["lang"] == "fr":
        shown = masked(text, variant)
        found += [
            f"province after a comma in {around(shown, m)}" for m in PROVINCE_AFTER_COMMA.finditer(shown)
        ]
        if re.search(r"\bsa propriétaire\b", shown):
            found.append("gendered French: 'sa propriétaire'")
    return found


def audit(letter: dict[str, Any]) -> list[str]:
    out = []
    for name, variant in variants(letter):
        try:
            sections = letters.argue(variant)
            demonstration = letters.demonstration({**variant, "sections": sections})
        except Exception as exc:  # noqa: BLE001 (reason: a crash of one variant is a finding of the audit)
            out.append(f"[{letter['lang']}] {name}: {type(exc).__name__}: {exc}")
            continue
        for s in sections:
            for where, text in (("heading", s["heading"]), ("text", s["text"])):
                out += [
                    f"[{letter['lang']}] {name} / {s['key']} {where}: {p}" for p in problems(text, variant)
                ]
        out += [f"[{letter['lang']}] {name} / demonstration: {p}" for p in problems(demonstration, variant)]
        for s in sections:
            out += [
                f"[{letter['lang']}] {name} / {s['key']}: {p}"
                for p in known_answer_problems(s["text"], variant)
            ]
    return sorted(set(out))


def snapshots(app, case: str) -> list[dict[str, Any]]:
    """The worked case entered, its letter snapshot in English and in French (none when the case gets no
    LMIA exemption code)."""
    case_id, _account, _code = enter_worked_case(app, case)
    with app.test_request_context():
        record = db.session.get(Case, case_id)
        org = db.session.get(Organization, record.organization_id)
        out = []
        for lang in ("en", "fr"):
            letter = content.letter_snapshot(
                record, org, lang=lang, on=ON, signatory_name="Sam Signatory", signatory_title="Director"
            )
            if letter["route"] == "IMP" and letter["code"]:
                out.append(letter)
        return out


@pytest.mark.parametrize("case", CASES)
def test_no_python_value_or_key_leaks_into_the_letter(app, case):
    found = [p for letter in snapshots(app, case) for p in audit(letter)]
    if os.environ.get("AUDIT_OUT"):  # every finding, appended to that file (the message shows 80)
        with open(os.environ["AUDIT_OUT"], "a", encoding="utf-8") as out:
            out.writelines(f"{case} {p}\n" for p in found)
    assert not found, "\n".join(found[:80]) + f"\n({len(found)} in all)"


@pytest.mark.parametrize("case", CASES)
def test_no_python_value_leaks_into_the_data_sheet(app, case):
    found = []
    for letter in snapshots(app, case):
        with app.test_request_context(), force_locale(letter["lang"]):
            for _title, rows in content.data_sheet(letter):
                for label, value in rows:
                    for p in problems(str(value), letter):
                        found.append(f"[{letter['lang']}] {label}: {p}")
    assert not found, "\n".join(found[:80])


def letters_of(app, case: str) -> dict[str, dict[str, Any]]:
    return {letter["lang"]: letter for letter in snapshots(app, case)}


def text_of(sections: list[dict[str, str]], key: str) -> str:
    return next(s["text"] for s in sections if s["key"] == key)


def test_the_performing_arts_discipline_is_named_in_the_letters_language(app):
    """C23 wrote the fact's choice key: "dans les arts de la scène (opera)", "(orchestral_music)"."""
    snapshots_ = letters_of(app, "case28-opera-soprano")
    named = {
        "opera": ("opera", "opéra"),
        "orchestral_music": ("orchestral music", "musique orchestrale"),
        "live_theatre": ("live theatre", "théâtre"),
        "dance": ("dance", "danse"),
    }
    for key, (en, fr) in named.items():
        for lang, expected in (("en", f"({en})"), ("fr", f"({fr})")):
            text = text_of(
                letters.argue(with_fact(snapshots_[lang], "position.arts_discipline", key)), "reciprocity"
            )
            assert expected in text, text
    other = with_fact(snapshots_["en"], "position.arts_discipline", "other")
    assert "(other)" not in text_of(letters.argue(other), "reciprocity")


# French puts a no-break space before ";" (``common.t`` turns " ;" into one): "filiale de X (États-Unis);"
# "organisme religieux;" "(date de naissance\u00a0: 1er mai 1999; citoyenneté", and the data sheet's lists.
FRENCH_SEMICOLON = re.compile(r"(?<![\s\u00a0]);")


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("case02-us-executive", {}),  # the relationship and its share
        ("case02-us-executive", {"position.capacity": "executive"}),  # the duties abroad quoted
        ("case16-single-country-owner", {}),  # the owner's share and funds
        ("case25-iec-young-professional", {}),  # the birth date and the invitation
        ("case25-iec-young-professional", {"worker.iec_invited": False}),
        ("case29-unpaid-religious-worker", {}),  # the organization and the pay
        ("case30-paid-charitable-care-worker", {}),
        ("case19-out-of-warranty-repair", {}),  # the demonstration's list of the criteria met
    ],
)
def test_a_french_semicolon_has_its_space(app, case, change):
    letter = letters_of(app, case)["fr"]
    for path, value in change.items():
        if path == "position.capacity":
            letter = with_value(letter, ("position", "capacity"), value)
            job = {
                "with_group": True,
                "duties": "Dirige les trois usines\nFixe le budget annuel",
                "job_title": "VP",
            }
            letter = {
                **letter,
                "worker": {**letter["worker"], "employment": [{**letter["worker"]["employment"][0], **job}]},
            }
        else:
            letter = with_fact(letter, path, value)
    sections = letters.argue(letter)
    texts = [s["text"] for s in sections if s["key"] != "evidence"]  # the checklist's titles are the rules'
    texts.append(letters.demonstration({**letter, "sections": sections}))
    tight = [t for t in texts if FRENCH_SEMICOLON.search(masked(t, letter))]
    assert not tight, tight


def test_the_data_sheets_duties_are_separated_in_the_sheets_language(app):
    duties = "Conçoit les cellules\nMène les analyses."
    snapshots_ = letters_of(app, "case01-us-civil-engineer")
    for lang, expected in (
        ("en", "Conçoit les cellules; Mène les analyses."),
        ("fr", "Conçoit les cellules\u00a0; Mène les analyses."),
    ):
        letter = with_value(snapshots_[lang], ("position", "duties"), duties)
        with app.test_request_context(), force_locale(lang):
            rows = dict(row for _title, rows in content.data_sheet(letter) for row in rows)
        assert expected in rows.values(), rows


def test_french_elides_de_and_que_before_a_vowel_and_only_there(app):
    """Treaty traders read "à titre d'négociant"; "la même partie que Invented ..." and "la profession de
    engineer" kept their "de" and "que" before a vowel."""
    investor = letters_of(app, "case14-us-investor")["fr"]
    trader = {**investor, "code": "T34", "current_code": "T34", "citation": None}
    intro = text_of(letters.argue(trader), "introduction")
    # the agreement's category, plural, agrees with no "Mme" (test_letters_reread_2.py)
    assert "dans la catégorie des négociants visés par l'accord" in intro and "d'négociant" not in intro, (
        intro
    )
    sections = letters.argue(investor)
    assert "dans la catégorie des investisseurs visés par l'accord" in text_of(sections, "introduction")
    owners = text_of(sections, "trade_investment")
    assert f"de la même partie qu'{common.worker_name(investor)}" in owners, owners
    engineer = letters_of(app, "case01-us-civil-engineer")["fr"]
    for typed_as, elided in (
        ("engineer", "d'engineer"),
        ("ingénieur", "d'ingénieur"),
        ("comptable", "de comptable"),
    ):
        # a profession the rules did not match to CUSMA's list (no detail naming it) is quoted as typed
        profession = professionals.profession(
            {**engineer, "details": {}, "worker": {**engineer["worker"], "profession": typed_as}}
        )
        assert f"relève de la profession {elided}," in profession["text"], profession["text"]


def test_a_known_start_or_duration_is_stated_when_the_other_is_missing(app):
    """Worked case 10 knows the 12 months of the trainee's stay but not its start: the letter asked for
    both ("will work in Canada from [to complete: start date and duration in months]")."""
    snapshots_ = letters_of(app, "case10-german-graduate-trainee")
    en, fr = snapshots_["en"], snapshots_["fr"]
    assert en["position"]["duration_months"] == 12 and not en["position"]["start_date"]
    stay = text_of(letters.argue(en), "temporary_stay")
    assert (
        "will start on [to complete: start date] for 12 months; the offer is for a temporary assignment"
        in stay
    )
    stay = text_of(letters.argue(fr), "temporary_stay")
    assert (
        "commencera le [à compléter\u00a0: date de début] pour 12 mois\u00a0; l'offre porte sur une affectation"
        in stay
    )
    started = with_value(en, ("position", "start_date"), "2027-03-01")
    started = with_value(started, ("position", "duration_months"), None)
    stay = text_of(letters.argue(started), "temporary_stay")
    assert "will start on March 1, 2027 for [to complete: duration] months" in stay, stay


def test_an_intra_company_transfer_without_its_group_company_asks_for_it(app):
    """A C61 to C63 letter with no group company read "the transfer of X within the  group"."""
    letter = {**letters_of(app, "case08-us-green-card-manager")["en"], "enterprise": None}
    basis = text_of(letters.argue(letter), "legal_basis")
    assert "within the multinational [to complete: foreign company] group brings" in basis, basis


def test_an_unknown_degree_is_asked_for_without_an_elision_before_it(app):
    """ "est titulaire d'[à compléter : diplôme le plus élevé et domaine]": the "d'" was written into the
    sentence; the elision is now the one of "de" before the degree named ("titulaire d'une maîtrise")."""
    for case, key in (("case01-us-civil-engineer", "profession"), ("case11-italian-css", "service_contract")):
        letter = letters_of(app, case)["fr"]
        unknown = with_value(letter, ("worker", "education_level"), None)
        text = text_of(letters.argue(unknown), key)
        assert "est titulaire de [à compléter\u00a0: diplôme le plus élevé et domaine]" in text, text
        master = with_value(letter, ("worker", "education_level"), "master")
        assert "est titulaire d'une maîtrise" in text_of(letters.argue(master), key)


def test_a_graduate_trainee_is_argued_as_a_trainee_and_its_degree_never_invented(app):
    """Worked case 10 (T42): the capacity section asked "why the position ... is executive, managerial or
    specialized knowledge" of a position known to be a trainee's (imp-rules.md §3.2, T42 item 4)."""
    snapshots_ = letters_of(app, "case10-german-graduate-trainee")
    en, fr = snapshots_["en"], snapshots_["fr"]
    assert en["position"]["capacity"] == "trainee" and en["code"] == "T42"
    text = text_of(letters.argue(en), "capacity")
    assert "executive, managerial or specialized" not in text, text
    assert "for career development and for training in the business techniques and methods of" in text
    assert "admits graduate trainees" in text, text
    assert "holds a master's degree in mechanical engineering, the university degree" in text, text
    text = text_of(letters.argue(fr), "capacity")
    assert "de direction, de gestion" not in text and "admet les stagiaires diplômés" in text, text
    assert "est titulaire d'une maîtrise en mechanical engineering" in text, text
    for level in ("none", "secondary", None):
        unknown = text_of(letters.argue(with_value(en, ("worker", "education_level"), level)), "capacity")
        assert "[to complete: the university degree of" in unknown and " holds " not in unknown, unknown
    licensed = with_fact(
        with_value(en, ("worker", "education_level"), "none"), "worker.professional_licence", True
    )
    assert "holds a professional-level licence" in text_of(letters.argue(licensed), "capacity")
    # the management trainees of the other agreements (CPTPP T54)
    cptpp = {**en, "code": "T54", "current_code": "T54", "citation": None}
    assert "admits management trainees" in text_of(letters.argue(cptpp), "capacity")


def test_the_known_proof_of_french_is_named_and_only_its_detail_asked_for(app):
    """Worked case 22 answers worker.french_proof = tcf_canada; the letter asked for "the TEF or TCF
    result or French-language diploma"."""
    snapshots_ = letters_of(app, "case22-francophone-cook")
    en, fr = snapshots_["en"], snapshots_["fr"]
    assert common.fact(en, "worker.french_proof") == "tcf_canada" and not en["worker"]["language_proof"]
    text = text_of(letters.argue(en), "french")
    assert "as shown by a TCF Canada result ([to complete: scores and date of the test])" in text, text
    assert "TEF or TCF" not in text
    text = text_of(letters.argue(fr), "french")
    assert (
        "comme le démontre un résultat au TCF Canada ([à compléter\u00a0: résultats et date du test])" in text
    ), text
    given = with_value(en, ("worker", "language_proof"), "oral 12/20, 2026-03-12")
    assert "a TCF Canada result (oral 12/20, 2026-03-12)" in text_of(letters.argue(given), "french")
    diploma = with_fact(en, "worker.french_proof", "french_diploma")
    assert "a diploma or transcript of studies in French ([to complete: institution" in text_of(
        letters.argue(diploma), "french"
    )
    for none in ("none", None):
        text = text_of(letters.argue(with_fact(en, "worker.french_proof", none)), "french")
        assert "[to complete: the TEF Canada or TCF Canada result or the diploma" in text, text


def test_a_worker_known_to_hold_no_degree_is_never_given_one(app):
    """Education "none" is an answer: the professional and service-supplier letters showed the "highest
    degree" placeholder, as if a degree were to be named."""
    engineer = letters_of(app, "case01-us-civil-engineer")
    for lang, expected in (
        (
            "en",
            "holds no degree and meets instead the alternative credential the agreement lists for "
            "engineer: 6 years of experience in the profession.",
        ),
        (
            "fr",
            "n'est titulaire d'aucun diplôme et remplit plutôt le titre de remplacement que l'accord "
            "prévoit pour la profession d'ingénieur\u00a0: 6 années d'expérience dans la profession.",
        ),
    ):
        letter = with_value(engineer[lang], ("worker", "education_level"), "none")
        assert letter["code"] == "T36"
        text = text_of(letters.argue(letter), "profession")
        assert expected in text and "highest degree" not in text and "le plus élevé" not in text, text
        assert text.count("années d'expérience" if lang == "fr" else "years of experience") == 1, text
    # an agreement whose professionals need a degree: none is said, and its education is to confirm
    degree_only = {
        **with_value(engineer["en"], ("worker", "education_level"), "none"),
        "code": "T52",
        "current_code": "T52",
        "citation": None,
    }
    text = text_of(letters.argue(degree_only), "profession")
    assert "holds no degree: [to complete: the agreement requires a degree for engineer" in text, text
    suppliers = letters_of(app, "case11-italian-css")
    for lang in ("en", "fr"):
        supplier = with_value(suppliers[lang], ("worker", "education_level"), "none")
        text = text_of(letters.argue(supplier), "service_contract")
        assert (
            "holds no degree: [to complete:"
            if lang == "en"
            else "n'est titulaire d'aucun diplôme\u00a0: [à compléter"
        ) in text, text
        assert "highest degree" not in text and "titulaire de [" not in text, text


def test_the_business_owners_funds_are_said_without_a_gender(app):
    """C11 in French read "l'entreprise et sa propriétaire": the letters' French never depends on the
    worker's gender."""
    letter = letters_of(app, "case16-single-country-owner")["fr"]
    letter = with_fact(with_fact(letter, "worker.business_funds", True), "worker.support_funds", True)
    text = text_of(letters.argue(letter), "benefit")
    name = common.worker_name(letter)
    assert f"l'entreprise et {name} disposent des fonds" in text and "propriétaire" not in text, text


def test_a_french_letter_puts_the_province_in_parentheses_everywhere(app):
    """The role section wrote "à Calgary, Alberta" and C16 "à Moncton, au Nouveau-Brunswick" while the
    opening writes "Calgary (Alberta)"."""
    engineer = letters_of(app, "case01-us-civil-engineer")
    role = text_of(letters.argue(engineer["fr"]), "canadian_role")
    assert "Calgary (Alberta)" in role and "Calgary, Alberta" not in role, role
    assert "Calgary, Alberta" in text_of(letters.argue(engineer["en"]), "canadian_role")
    cook = letters_of(app, "case22-francophone-cook")["fr"]
    sections = letters.argue(cook)
    assert "Moncton (Nouveau-Brunswick)" in text_of(sections, "canadian_role")
    assert "est situé à Moncton (Nouveau-Brunswick), hors du Québec" in text_of(sections, "french")


def test_the_counts_of_a_reciprocal_exchange_are_in_the_letters_format(app):
    """C20 wrote "1500 Canadiens" and "1200 Canadians"."""
    snapshots_ = letters_of(app, "case26-employee-exchange")
    for lang, sent, received in (
        ("en", "1,200 Canadians", "1,500 foreign"),
        ("fr", "1\u00a0200 Canadiens", "1\u00a0500 travailleurs"),
    ):
        letter = with_fact(snapshots_[lang], "employer.canadians_sent_abroad", 1200)
        letter = with_fact(letter, "employer.foreign_workers_received", 1500)
        text = text_of(letters.argue(letter), "reciprocity")
        assert sent in text and received in text, text


def test_a_cusma_scientific_technician_is_said_to_work_in_direct_support_of_professionals(app):
    """CUSMA Appendix 2 to Annex 16-A, Scientific Technician/Technologist (imp-rules.md §3.1 T36): "must work in
    direct support of" professionals in agricultural sciences, astronomy, biology, chemistry, engineering,
    forestry, geology, geophysics, meteorology or physics. The letter of a scientific technician said nothing of
    it; the rules name the profession in the criterion's detail, and the letter now says the worker will work in
    direct support of the professionals its author must name. An engineer's letter is unchanged."""
    both = letters_of(app, "case01-us-civil-engineer")
    for lang, says, asks in (
        ("en", "will work in direct support of [to complete: the professionals", "as the agreement requires"),
        (
            "fr",
            "travaillera en appui direct à [à compléter\u00a0: les professionnels",
            "comme l'accord l'exige",
        ),
    ):
        letter = both[lang]
        technician = {
            **letter,
            "details": {**letter["details"], "cusma.profession": {"profession": "scientific_technician"}},
        }
        text = text_of(letters.argue(technician), "profession")
        assert says in text and asks in text, text
        assert not problems(text, technician), problems(text, technician)
        engineer = text_of(letters.argue(letter), "profession")
        assert "direct support" not in engineer and "appui direct" not in engineer, engineer


def test_a_business_owners_letter_asks_for_funds_only_where_c11_requires_them(app):
    """IRCC's update of 2025-05-27 made support and business funds a C11 requirement (rules/README.md item 44):
    before it the criterion is met without them and names the day in its detail; the letter then stops asking
    its author for "funds for the business and for the stay". From that day it still asks while the funds are
    not both given."""
    both = letters_of(app, "case16-single-country-owner")
    for lang, asks in (("en", "funds for the business and for the stay"), ("fr", "fonds pour l'entreprise")):
        letter = with_fact(with_fact(both[lang], "worker.business_funds", None), "worker.support_funds", None)
        today = text_of(letters.argue(letter), "benefit")
        assert asks in today, today
        before = {**letter, "details": {**letter["details"], "c11.funds": {"required_from": "2025-05-27"}}}
        text = text_of(letters.argue(before), "benefit")
        assert asks not in text and "[" not in text.split(".")[0], text
        assert not problems(text, before), problems(text, before)
