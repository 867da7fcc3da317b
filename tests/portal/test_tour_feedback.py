"""What a person is told after an action, and how a page reads, found on a tour of the portal in a
browser as a new employer (tests/browser/test_page_widths.py has the tour's layout findings)."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.models import EvidenceFile
from tests.portal.document_helpers import (
    create_case,
    evidence_keys,
    max_id,
    pdf_bytes,
    request_document,
    upload,
)
from tests.portal.test_cases import PERSON
from tests.portal.test_consult import accept, engage, packet
from tests.portal.test_dashboard import _engage_and_accept


def test_making_a_document_says_which_version_was_requested(app, client, owner, new_version_each_request):
    """Tour: "Make the document" reloaded the page with no word said; with several versions listed,
    nothing told which one was new or that it was on its way."""
    case_id = create_case(app, client)
    response = request_document(client, case_id, "support_letter")
    page = client.get(response.location).get_data(as_text=True)
    assert "Requested: Support letter (EN), version 1." in page
    response = request_document(client, case_id, "packet")
    page = client.get(response.location).get_data(as_text=True)
    assert "Requested: Offer-submission packet (EN), version 1." in page
    response = request_document(client, case_id, "support_letter")
    page = client.get(response.location).get_data(as_text=True)
    assert "Requested: Support letter (EN), version 2." in page
    client.post_form("/language", {"lang": "fr"})
    response = request_document(client, case_id, "support_letter")
    page = client.get(response.location).get_data(as_text=True)
    assert "Demande enregistrée\u00a0: Lettre d&#39;appui (EN), version 3." in page


def test_french_messages_put_a_no_break_space_before_question_and_exclamation_marks_and_semicolons():
    """Tour: "Consultant en immigration?" under the registration's title, "Bienvenue!", "Rémunéré?",
    "Mot de passe oublié?": French writes a no-break space before ? ! and ; (a ";" between two codes,
    "IN;US", is a separator)."""
    po = Path(__file__).resolve().parents[2] / "portal/translations/fr/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    wrong = []
    for message in catalog:
        if not message.id:
            continue  # the catalog's header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            for mark in re.finditer(r"[?!;]", text or ""):
                before, after = text[: mark.start()], text[mark.end() :]
                if mark.group() == ";" and after[:1] not in ("", " ", "\u00a0"):
                    continue  # a separator: "IN;US"
                if "http" in before.rsplit(" ", 1)[-1]:
                    continue  # in an address
                if not before.endswith(("\u00a0", "\u202f")):
                    wrong.append(text[max(0, mark.start() - 25) : mark.end() + 5])
    assert wrong == []


def test_the_persons_page_separates_the_values_it_puts_side_by_side(app, client, owner):
    """Tour: the person's page read "Germany C01X00T47", "Master's degree Computer science" and, under
    a job's employer, "Lead Software Engineer Germany": two values run together as one."""
    person = {**PERSON, "education_field": "Computer science"}
    response = client.post_form("/transferees/new", person)
    assert response.status_code == 302
    tid = int(response.location.rstrip("/").split("/")[-1])
    job = {"employer_name": "Invented Parent Co", "country": "US", "job_title": "VP Operations"}
    job |= {"capacity": "executive", "start_date": "2022-01-10", "full_time": "y"}
    assert client.post_form(f"/transferees/{tid}/employment", job).status_code == 302
    page = client.get(f"/transferees/{tid}").get_data(as_text=True)
    assert "United States · X1234567" in page
    assert "Master&#39;s degree · Computer science" in page
    assert "VP Operations · United States" in page


def test_removing_a_job_asks_first(app, client, owner):
    """Tour: a job's "Remove" on the person's page deleted it at once, with its duties, and the case
    was re-assessed without it (an intra-company transfer can lose its code that way)."""
    response = client.post_form("/transferees/new", PERSON)
    tid = int(response.location.rstrip("/").split("/")[-1])
    job = {"employer_name": "Invented Parent Co", "country": "US", "job_title": "VP Operations"}
    job |= {"capacity": "executive", "start_date": "2022-01-10", "full_time": "y"}
    assert client.post_form(f"/transferees/{tid}/employment", job).status_code == 302
    page = client.get(f"/transferees/{tid}").get_data(as_text=True)
    question = "Remove the job VP Operations at Invented Parent Co from the employment history of Avery Inventedname?"
    assert f'data-confirm="{question}' in page  # the dialog's question (static/js/ask-first.js)
    record_id = int(re.search(rf"/transferees/{tid}/employment/(\d+)/remove", page).group(1))
    url = f"/transferees/{tid}/employment/{record_id}/remove"
    response = client.post_form(url, {})  # without JavaScript: a page asks
    assert response.status_code == 200 and question in response.get_data(as_text=True)
    assert "VP Operations" in client.get(f"/transferees/{tid}").get_data(as_text=True)
    assert client.post_form(url, {"confirmed": "1"}).status_code == 302
    page = client.get(f"/transferees/{tid}").get_data(as_text=True)
    assert "The job is removed from the employment history." in page and "VP Operations ·" not in page


def test_a_case_with_no_question_needed_does_not_ask_for_answers(app, client, owner):
    """Tour: with every needed question answered, the card headed "No answer needed" still said
    "Answer what you know; empty answers stay open", over a folded list and a Save button."""
    case_id = create_case(app, client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    card = page.split('id="questions"', 1)[1].split("</section>", 1)[0]
    assert "No answer needed" in card and 'id="optional-questions"' in card
    assert "Answer what you know" not in card
    assert "The code above needs no more answer. Other codes might also fit" in card


def test_the_codes_considered_tell_a_screen_reader_whether_they_are_open(app, client, owner):
    """Tour: the case page's "Codes considered" are buttons that fold and unfold a code's criteria;
    without aria-expanded and aria-controls a screen reader said neither whether one was open nor what
    it opened."""
    case_id = create_case(app, client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    buttons = re.findall(r'<button class="accordion-button[^>]*>', page)
    assert buttons
    for button in buttons:
        target = re.search(r'data-bs-target="#([^"]+)"', button).group(1)
        assert f'aria-controls="{target}"' in button
        is_open = re.search(rf'id="{target}" class="accordion-collapse collapse show', page) is not None
        assert f'aria-expanded="{"true" if is_open else "false"}"' in button
    assert 'aria-expanded="true"' in page  # the recommended code's criteria are shown open


def test_the_noc_lookup_lists_examples_with_french_typography(client, owner):
    """Tour: in French, the NOC search's line under the code read "Exemples : Chef de projet de
    développement de logiciels; Développeur/développeuse…" (no space before the semicolon). A no-break
    space goes before the colon and before each semicolon."""
    client.post_form("/language", {"lang": "fr"})
    summary = client.get("/roles/noc?q=21232").get_json()["results"][0]["summary"]
    assert summary.startswith("Exemples\u00a0: ") and "\u00a0; " in summary and "s; " not in summary
    client.post_form("/language", {"lang": "en"})
    summary = client.get("/roles/noc?q=21232").get_json()["results"][0]["summary"]
    assert "\u00a0" not in summary


def test_a_title_typed_for_the_noc_code_lists_its_unit_groups_with_french_typography(client, owner):
    client.post_form("/language", {"lang": "fr"})
    response = client.post_form("/roles/new", {"title": "Développeuse", "noc_code": "développeur"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Entrez le code à cinq chiffres" in page and "\u00a0; 2" in page


def test_the_case_page_links_to_the_group_company_its_criteria_read(app, client, owner):
    """Tour: a criterion "Not met" because of the group company (its countries of operation) left no
    way from the case page to where that is changed: it linked the transferee and the role only."""
    case_id = create_case(app, client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    link = re.search(r'<a href="(/group/\d+/edit)" id="enterprise-link">group company</a>', page)
    assert link is not None
    assert client.get(link.group(1)).status_code == 200


def test_the_consultants_case_lists_let_several_cases_be_chosen_one_click_each(app, client, owner):
    """Tour: "Limit to these cases" and an engagement's "Cases" were lists where one click chose one case
    only (and said "Hold Ctrl (or ⌘) to choose several"); their options were cut at the list's edge too. Each
    case is a box to tick now, its name its label, in a group named by what an empty choice means."""
    case_id = create_case(app, client)
    assert client.post_form("/org/consultants", {"email": "rae@consult.example.com"}).status_code == 302
    page = client.get("/org/consultants").get_data(as_text=True)
    assert "<select" not in page and "Hold Ctrl" not in page
    for group in ("case_ids", re.search(r'<fieldset[^>]*id="(scope-\d+)"', page).group(1)):
        box = re.search(
            rf'<input[^>]*type="checkbox" name="case_ids" value="{case_id}" id="{group}-{case_id}"', page
        )
        assert box, group
        assert re.search(
            rf'<label class="form-check-label" for="{group}-{case_id}">[^<]*case {case_id}, opened', page
        )


def test_the_password_change_names_the_new_password(client, owner):
    """Tour: "Change your password" asked for "Current password", then "Password" and "Repeat the
    password": which one was the new one?"""
    page = client.get("/account/password").get_data(as_text=True)
    assert '<label class="form-label" for="password">New password</label>' in page
    assert '<label class="form-label" for="confirm">Repeat the new password</label>' in page
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/account/password").get_data(as_text=True)
    assert '<label class="form-label" for="password">Nouveau mot de passe</label>' in page
    assert '<label class="form-label" for="confirm">Répétez le nouveau mot de passe</label>' in page


@pytest.mark.parametrize("kind", ["roles", "transferees"])
def test_the_import_templates_write_every_date_one_way(client, owner, kind):
    """Tour: the transferees' template wrote its dates 2031-01-31 and 1990-04-15, but the job's start
    01/06/2019: the first of June, or the sixth of January? A person copies the example's form."""
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/import/{kind}/template.csv").get_data(as_text=True)))
    )
    dates = {
        k: v
        for k, v in rows[0].items()
        if (k.endswith(("date", "_start", "_end", "expiry")) or "date" in k) and v
    }
    assert dates
    assert {k: v for k, v in dates.items() if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)} == {}


def test_the_edit_pages_say_they_edit(app, client, owner):
    """Tour: the edit pages of a transferee, a role and a group company were headed by the name alone,
    like the person's own page: reached from the case page's links, nothing said it was a form to
    change them."""
    create_case(app, client)
    for url, heading in (
        ("/transferees/1/edit", "Edit Avery Inventedname"),
        ("/roles/1/edit", "Edit Vice-President, Operations Canada"),
        ("/group/1/edit", "Edit Rocky Invented Inc."),
    ):
        page = client.get(url).get_data(as_text=True)
        assert f'<h1 class="h3 mb-3">{heading}</h1>' in page, url
        assert f"<title>{heading} · IMP Portal</title>" in page, url
    client.post_form("/language", {"lang": "fr"})
    assert "Modifier Avery Inventedname</h1>" in client.get("/transferees/1/edit").get_data(as_text=True)


def test_removing_an_uploaded_file_says_so(app, client, owner):
    """Tour: a file's "Remove" in the evidence checklist reloaded the page with no word said."""
    case_id = create_case(app, client)
    item = evidence_keys(app, case_id)[0]
    assert upload(client, case_id, item, pdf_bytes(1), "share-register.pdf").status_code == 302
    evidence_id = max_id(app, EvidenceFile)
    response = client.post_form(f"/evidence/{evidence_id}/remove")
    page = client.get(response.location).get_data(as_text=True)
    assert "share-register.pdf is removed from the evidence checklist." in page


def test_the_case_forms_roles_name_their_noc_code_in_the_pages_language(app, client, owner):
    """Tour (French): the "Open a case" form listed the role as "Ingénieur logiciel principal — NOC 21231":
    the separator was written in English in the code, where the rest of the French pages say CNP."""
    create_case(app, client)
    page = client.get("/cases/new").get_data(as_text=True)
    assert re.search(r"— NOC \d{5}</option>", page)
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/cases/new").get_data(as_text=True)
    assert re.search(r"— CNP \d{5}</option>", page) and "— NOC" not in page


def test_the_case_form_calls_the_role_a_poste_in_french(app, client, owner):
    """Tour (French): "Open a case" labelled the role "Rôle", the word of a member's role in the
    organization (owner, member), where the menu, the roles' pages and the case page say "Poste"."""
    create_case(app, client)
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/cases/new").get_data(as_text=True)
    label = re.search(r'<label[^>]*for="position_id"[^>]*>([^<]*)</label>', page).group(1)
    assert label.strip() == "Poste au Canada"


def test_with_no_answer_needed_the_save_button_is_in_the_folded_questions(app, client, owner):
    """Tour: under "No answer needed", a Save button sat below the folded "Other codes that might also
    fit"; clicked, it only said "Answer at least one question.". It is shown with the questions it saves,
    once they are unfolded; with questions needed it stays under them."""
    case_id = create_case(app, client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    form = page.split('id="answers-form"', 1)[1].split("</form>", 1)[0]
    folded = form.split('id="optional-questions"', 1)[1].split("</details>", 1)[0]
    assert form.count("Save the answers") == 1 and "Save the answers" in folded
    other = create_case(app, client, answers={})  # the same case before its answers: questions needed
    page = client.get(f"/cases/{other}").get_data(as_text=True)
    form = page.split('id="answers-form"', 1)[1].split("</form>", 1)[0]
    assert "Open questions (" in page and form.count("Save the answers") == 1
    assert "Save the answers" in form.rsplit("</details>", 1)[-1]


def test_a_packets_offer_problems_are_said_on_the_review_page(app, client, owner, make_consultant, login):
    """Tour: a packet made with no passport number said on its "Pre-checks before filing" page "Passport
    number: Required in the Employer Portal and empty here.", while the consultant's review panel only
    said what the letter still leaves to complete and the documents to enclose: read there, the packet
    looked ready but for its annexes. (The documents page reads no snapshot: tests/portal/test_page_queries.py.)"""
    case_id = create_case(app, client, person={"passport_number": ""})
    document_id = packet(client, case_id)
    engage(client)
    consultant = app.test_client()
    login(consultant, make_consultant(email="rae@consult.example.com", licence="R512345"))
    accept(app, consultant)
    page = consultant.get(f"/documents/{document_id}/review").get_data(as_text=True)
    panel = page.split('id="review-form"', 1)[0]
    assert "Pre-checks before filing: 1 problem to fix in the offer." in panel
    assert "Passport number: Required in the Employer Portal and empty here." in panel
    consultant.post_form("/language", {"lang": "fr"})
    page = consultant.get(f"/documents/{document_id}/review").get_data(as_text=True)
    assert "Vérifications avant la présentation\u00a0: 1 problème à corriger dans l'offre." in page
    assert "Numéro de passeport\u00a0: Obligatoire dans le Portail des employeurs et vide ici." in page


def test_a_support_letter_or_a_complete_offer_shows_no_offer_problem(
    app, client, owner, make_consultant, login
):
    case_id = create_case(app, client)
    documents = [packet(client, case_id), _support_letter(client, case_id)]
    engage(client)
    consultant = app.test_client()
    login(consultant, make_consultant(email="rae@consult.example.com", licence="R512345"))
    accept(app, consultant)
    for document_id in documents:
        assert 'id="offer-problems"' not in consultant.get(f"/documents/{document_id}/review").get_data(
            as_text=True
        )


def _support_letter(client, case_id) -> int:
    """A support letter asked for through the documents page: its id."""
    response = request_document(client, case_id, "support_letter")
    return int(response.location.split("#document-")[1])


def test_the_french_messages_name_the_portal_portail_pmi():
    """Tour (the approved French packet's last page): "Ce fichier est signé par le portail PMI", where the
    navigation bar, the mails and every other French text name the product "Portail PMI"."""
    po = Path(__file__).resolve().parents[2] / "portal/translations/fr/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    lower = [
        text
        for message in catalog
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        if re.search(r"\bportail PMI\b", text or "")
    ]
    assert lower == []


def test_a_page_of_another_organization_one_works_for_offers_to_open_it_there(
    app, make_employer, make_consultant, login
):
    """Tour: a consultant working for two employers opened a case of the one not chosen in the menu (from
    a mail's link, or a bookmark) and read only "This page does not exist, or you do not have access to
    it." The 404 page names the organization worked in and offers the others; switching checks the access
    again and opens the page. A page of an organization one does not work for offers nothing."""
    a, b, stranger = app.test_client(), app.test_client(), app.test_client()
    login(a, make_employer(legal_name="Maple Invented Analytics Ltd."))
    login(b, make_employer(legal_name="Birch Invented Robotics Inc."))
    login(stranger, make_employer(legal_name="Cedar Invented Works Inc."))
    case_a, case_b = create_case(app, a), create_case(app, b)
    consultant = app.test_client()
    login(consultant, make_consultant(email="rae@consult.example.com", licence="R512345"))
    _engage_and_accept(app, a, consultant)
    _engage_and_accept(app, b, consultant)  # the last one accepted is the one worked in
    assert consultant.get(f"/cases/{case_b}").status_code == 200
    response = consultant.get(f"/cases/{case_a}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "You are working in Birch Invented Robotics Inc. If this page" in page
    box = page.split('id="other-organizations"', 1)[1].split("</div>", 1)[0]
    offered = re.findall(r'type="submit">([^<]*)</button>', box)
    assert offered == ["Maple Invented Analytics Ltd."]  # not the one worked in, nor a stranger
    action = html.unescape(re.search(r'action="([^"]*)"', box).group(1))
    assert f"/cases/{case_a}" in action
    response = consultant.post_form(action)
    assert response.status_code == 302 and response.location.startswith(f"/cases/{case_a}")
    assert consultant.get(response.location).status_code == 200
    page = stranger.get(f"/cases/{case_a}").get_data(as_text=True)
    assert 'id="other-organizations"' not in page
