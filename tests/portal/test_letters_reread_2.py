"""The letters re-read once more, one worked case per code family in English and in French, now that they name
the worker in full once and then "Ms. Inventado" / "Mme Inventado" (transferees.form_of_address), as a
consultant reads them before IRCC does: each test pins one sentence the re-reading of 2026-12-07 (evening)
changed, on the PDF's text or on the letter's text function."""

from __future__ import annotations

from typing import Any

from portal.documents import letters
from portal.documents.letters import common
from portal.extensions import db
from portal.models import Case
from tests.portal.document_helpers import (
    document_id_of,
    download,
    enter_worked_case,
    laid_out_text,
    request_document,
)
from tests.portal.test_letter_text_audit import letters_of, with_fact, with_value
from tests.portal.test_letters import complete_offer, flat, nospace, render

NBSP = "\u00a0"


def titled(letter: dict[str, Any], form: str = "ms") -> dict[str, Any]:
    """The snapshot of a person the employer said to call "Ms." (or ``form``), with an invented name."""
    worker = {
        **letter["worker"],
        "given_names": "Lucía Maren",
        "family_name": "Inventado",
        "form_of_address": form,
    }
    return {**letter, "worker": worker, "sections": None}


def argued(letter: dict[str, Any]) -> str:
    """The letter's argued text, its spaces (the no-break ones too) flattened."""
    return flat(" ".join(s["text"] for s in letters.argue(letter)))


# ----------------------------------------------------------------------------- intra-company transferees


def test_an_ict_letter_names_the_worker_once_in_its_legal_basis_and_its_data_sheet_starts_in_full(
    app, client, login
):
    """C62 (worked case 08, a Ms.): the legal basis read "We ask that the work permit of Ms. X be issued ...,
    because the temporary transfer of Ms. X within the multinational ... group brings ..." (the name twice in
    one sentence); the French capacity "ces fonctions sont des fonctions de gestion"; and the packet's data
    sheet began its "How the job meets the exemption" with the transfer of "Ms. X", a person it had not
    named."""
    case_id, account, code = enter_worked_case(app, "case08-us-green-card-manager")
    complete_offer(app, case_id)
    with app.app_context():
        person = db.session.get(Case, case_id).transferee
        person.given_names, person.family_name, person.form_of_address = "Lucía Maren", "Inventado", "ms"
        db.session.commit()
    login(client, account)
    assert code == "C62"
    english, _letter = render(client, case_id, "en", keep="C62-reread-2-en")
    assert (
        "We ask that the work permit of Ms. Inventado be issued under paragraph 205(a) of the Immigration and "
        "Refugee Protection Regulations (code C62), because this temporary transfer within the multinational "
        "Lakeside Robotics Inc. group brings" in flat(english)
    )
    assert "transfer of Ms. Inventado within" not in flat(english)
    french, _letter = render(client, case_id, "fr", keep="C62-reread-2-fr")
    assert "parce que cette mutation temporaire au sein du groupe multinational" in flat(french)
    assert "mutation temporaire de Mme" not in flat(french)
    assert "il s'agit de fonctions de gestion." in flat(french) and "sont des fonctions" not in french
    # the data sheet's row (the letter annexed to the packet says "Ms. Inventado" there, as it should)
    for lang, opening in (
        ("en", "Lakeside Robotics Inc. transfers Lucía Maren Inventado to"),
        ("fr", "Lakeside Robotics Inc. mute Lucía Maren Inventado chez"),
    ):
        packet = laid_out_text(
            download(client, document_id_of(request_document(client, case_id, "packet", lang)))
        )
        assert nospace(opening) in nospace(packet), (lang, flat(packet)[:3000])


def test_a_capacity_quotes_a_duty_of_the_position_in_a_sentence():
    """T37 read "... these are the duties of an executive. Among the duties of the Vice-President: “Leads
    ...”." (a label, not a sentence); the French "Parmi les fonctions du poste de ... : « ... »."."""
    from portal.documents.letters import ict  # noqa: PLC0415

    for lang, expected in (
        ("en", "The duties of the Vice-President include “Sets the Canadian budget”."),
        (
            "fr",
            f"Les fonctions du poste de Vice-President comprennent «{NBSP}Sets the Canadian budget{NBSP}».",
        ),
    ):
        letter = {
            "lang": lang,
            "code": "T37",
            "date": "2026-12-07",
            "worker": {
                "given_names": "Lucía",
                "family_name": "Inventado",
                "form_of_address": "ms",
                "employment": [],
            },
            "employer": {"legal_name": "Maple Invented Ltd."},
            "enterprise": {"name": "Rocky Invented Inc."},
            "position": {
                "title": "Vice-President",
                "capacity": "executive",
                "duties": "Sets the Canadian budget",
            },
        }
        text = ict.capacity(letter)["text"]
        assert expected in text, text
        assert "Among the duties" not in text and "Parmi les fonctions" not in text


# ----------------------------------------------------------------------------- professionals, suppliers, investors


def test_a_professionals_degree_and_years_are_one_sentence_and_the_french_names_the_category(app):
    """T36 (worked case 01, a Ms.): three sentences in a row began with "Ms. Inventado" (the degree, the years,
    the licence); the French purpose said "à titre de professionnel" of a "Mme"."""
    snapshots = letters_of(app, "case01-us-civil-engineer")
    english, french = argued(titled(snapshots["en"])), argued(titled(snapshots["fr"]))
    assert (
        "Ms. Inventado holds a bachelor's degree in civil engineering, the credential the agreement requires "
        "for the profession of engineer, and has 6 years of experience in the profession. Ms. Inventado "
        "holds, or will obtain before starting, the licence" in english
    ), english
    assert (
        "le titre de compétence exigé par l'accord pour la profession d'ingénieur, et compte 6 années "
        "d'expérience dans la profession." in french
    ), french
    assert (
        "dans le cadre d'un emploi préalablement convenu, au titre de la catégorie des professionnels."
        in french
    )
    assert "à titre de professionnel" not in french


def test_a_service_suppliers_employment_is_dated_in_the_sentence_that_names_the_supplier(app):
    """T47 (worked case 11, a Mr.): "Mr. X is an employee of Alfa ..., the enterprise that holds the contract
    ...: [term]. Mr. X has worked for Alfa Software S.r.l. since ..." (the name and the enterprise twice); the
    French said "à titre de fournisseur de services contractuels"; T43's "à titre de professionnel
    indépendant" of a "Mme"."""
    snapshots = letters_of(app, "case11-italian-css")
    english = argued(titled(snapshots["en"], "mr"))
    assert (
        "Mr. Inventado has been an employee of Alfa Software S.r.l. (Italy) since October 2, 2023; that "
        "enterprise holds the contract to supply services to Prairie Credit Union in the sector of computer "
        "and related services: [to complete: the contract's date and term]." in english
    ), english
    assert "has worked for Alfa" not in english
    french = argued(titled(snapshots["fr"], "mr"))
    assert (
        "M. Inventado fait partie du personnel d'Alfa Software S.r.l. (Italie) depuis le 2 octobre 2023 ; "
        "cette entreprise est titulaire du contrat de services conclu avec Prairie Credit Union" in french
    ), french
    assert "au Canada dans la catégorie des fournisseurs de services contractuels." in french
    independent = argued(titled(letters_of(app, "case12-french-independent-professional")["fr"]))
    assert "au Canada dans la catégorie des professionnels indépendants." in independent
    assert "à titre de professionnel" not in independent


def test_an_investors_capital_is_substantial_once_and_the_french_names_the_category(app):
    """T46 (worked case 13): "a substantial amount of capital in X: the investment is substantial in relation
    to the total cost of the business"; the French "à titre d'investisseur visé par l'accord"."""
    snapshots = letters_of(app, "case13-dutch-investor")
    english = argued(titled(snapshots["en"], "mr"))
    assert (
        "Mr. Inventado has invested, or is actively investing, in Atlantic Greens Processing Ltd. capital that "
        "is substantial in relation to the total cost of the business." in english
    ), english
    assert english.count("substantial") == 1
    french = argued(titled(snapshots["fr"], "mr"))
    assert (
        "a investi, ou investit activement, dans Atlantic Greens Processing Ltd. un capital important par "
        "rapport au coût total de l'entreprise." in french
    ), french
    assert "dans la catégorie des investisseurs visés par l'accord." in french
    # without the answer, the amount is still asked for
    unknown = argued(with_fact(titled(snapshots["en"], "mr"), "worker.investment_substantial", None))
    assert (
        "a substantial amount of capital in Atlantic Greens Processing Ltd.: [to complete: amount" in unknown
    )


# ----------------------------------------------------------------------------- the other families


def test_the_french_level_is_not_said_of_the_worker_again(app):
    """C16 (worked case 22): "... speaks and understands French at NCLC level 6 ... ; the level of Ms. X is at
    least the NCLC 5 it requires" (the name again for the level the sentence before states)."""
    snapshots = letters_of(app, "case22-francophone-cook")
    english, french = argued(titled(snapshots["en"])), argued(titled(snapshots["fr"]))
    assert "Francophone Mobility accepts; that level is at least the NCLC 5 it requires." in english, english
    assert "Mobilité francophone ; ce niveau atteint au moins le NCLC 5 exigé." in french, french
    assert "level of Ms" not in english and "niveau de Mme" not in french
    two = with_fact(
        with_fact(titled(snapshots["en"]), "worker.french_nclc_speaking", 7),
        "worker.french_nclc_listening",
        6,
    )
    assert "both levels are at least the NCLC 5" in argued(two)


def test_an_iec_letter_says_why_the_worker_comes_and_whose_citizens_the_arrangement_admits(app):
    """C21 (worked case 25): the purpose repeated the opening's offer ("Lumen Marketing Ltd. offers this
    position to Ms. X as a participant ..."); the legal basis read "the arrangement with Ireland, of which
    Ms. X is a citizen, opens ... to its citizens" (the worker a citizen of the arrangement)."""
    snapshots = letters_of(app, "case25-iec-young-professional")
    english = argued(titled(snapshots["en"]))
    assert "Ms. Inventado comes to Lumen Marketing Ltd. through International Experience Canada." in english
    assert "offers this position" not in english and "of which" not in english
    assert (
        "because Canada's youth mobility arrangement with Ireland opens International Experience Canada to the "
        "citizens of that country, such as Ms. Inventado." in english
    ), english
    assert "is the job offer of that participation." in english
    french = argued(titled(snapshots["fr"]))
    assert (
        "Mme Inventado vient chez Lumen Marketing Ltd. dans le cadre d'Expérience internationale Canada."
        in french
    )
    assert (
        "l'accord de mobilité des jeunes conclu par le Canada avec l'Irlande ouvre Expérience internationale "
        "Canada aux citoyens de ce pays, comme Mme Inventado." in french
    ), french
    assert "dont Mme" not in french and "offre ce poste" not in french


def test_a_religious_organizations_work_serves_its_faith(app):
    """C50 (worked case 29): "... and the work itself serves that faith" when no faith was named."""
    snapshots = letters_of(app, "case29-unpaid-religious-worker")
    assert "and the work itself serves its faith:" in argued(snapshots["en"])
    assert "et ce travail sert lui-même sa foi" in argued(snapshots["fr"])
    assert "that faith" not in argued(snapshots["en"]) and "cette foi" not in argued(snapshots["fr"])


def test_the_data_sheet_names_the_worker_in_full_first_and_keeps_a_list_of_sentences_as_sentences(app):
    """The packet's "How the job meets the exemption" starts after the letter's opening: it read "Ms. Inventado
    comes to Canada ..." (C11), and "La demande de Mme ..." would have become "de Avery"; a generic letter's
    criteria (C14), each a sentence, read "production; The worker is essential ..."."""
    owner = letters_of(app, "case16-single-country-owner")
    english = letters.demonstration(titled(owner["en"]))
    assert english.startswith("Lucía Maren Inventado comes to Canada to direct Northern Trails Tours Ltd."), (
        english
    )
    assert f"Ms.{NBSP}Inventado owns 100%" in english  # the short form after the first mention
    french = titled(owner["fr"])
    french = {**french, "worker": {**french["worker"], "given_names": "Avery"}}
    sections = [
        {
            "key": "introduction",
            "heading": "",
            "text": f"Opening.\n\nLa demande de {common.worker_name(french)}.",
        },
        {"key": "significant_benefit", "heading": "", "text": f"{common.worker_name(french)} dirige."},
    ]
    sheet = letters.demonstration({**french, "sections": sections})
    assert sheet.startswith("La demande d'Avery Inventado."), sheet
    assert f"Mme{NBSP}Inventado dirige." in sheet
    # a person without a form of address is named in full each time, as before
    plain = letters.demonstration({**owner["en"], "sections": None})
    assert plain.startswith(common.worker_full_name(owner["en"])), plain
    generic = letters.demonstration(letters_of(app, "case20-stunt-coordinator")["en"])
    assert "production. The worker is essential to a specific, named production" in generic, generic
    assert "; The" not in generic
    # duties typed without full stops keep their semicolons
    listed = letters.demonstration(
        {
            **owner["en"],
            "sections": [{"key": "own", "heading": "", "text": "In that role:\n- Leads\n- Plans"}],
        }
    )
    assert listed == "In that role: Leads; Plans.", listed


def test_a_workplace_known_only_by_its_province_takes_the_provinces_preposition(app):
    """C14 (worked case 20, a production in British Columbia, no city): the French letter read "occupera le poste
    de Stunt coordinator (CNP 2021 52119, ..., FEER 2) à Colombie-Britannique"; a province takes its own
    preposition, as the wage's sentence already said "en Colombie-Britannique"."""
    snapshots = letters_of(app, "case20-stunt-coordinator")
    assert not snapshots["fr"]["position"].get("city") and snapshots["fr"]["position"]["province"] == "BC"
    french, english = argued(snapshots["fr"]), argued(snapshots["en"])
    assert "FEER 2) en Colombie-Britannique." in french and "à Colombie-Britannique" not in french, french
    assert "TEER 2) in British Columbia." in english, english
    quebec = with_value(snapshots["fr"], ("position", "province"), "QC")
    assert "FEER 2) au Québec." in argued(quebec)
    # a city keeps "à", an unknown place is asked for
    assert "FEER 2) à Vancouver (Colombie-Britannique)." in argued(
        with_value(snapshots["fr"], ("position", "city"), "Vancouver")
    )
    nowhere = with_value(
        with_value(snapshots["en"], ("position", "province"), None), ("position", "city"), None
    )
    assert "TEER 2) in [to complete: address of the workplace]." in argued(nowhere)
