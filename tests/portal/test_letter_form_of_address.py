"""How the support letter names the worker after its first mention (transferees.form_of_address): the full
name once (the subject line, the opening), then "Ms. Inventedname" / "Mme Inventedname"; the full name each
time when the employer gave no form of address, and in French for "Mx." (French has no established neutral
title). Read back from the real PDF, as a consultant reads the letter."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Transferee
from tests.portal.document_helpers import create_case
from tests.portal.test_letters import flat, render

FULL = "Avery Inventedname"


def _case(app, client, form_of_address: str) -> int:
    return create_case(app, client, person={"form_of_address": form_of_address})


@pytest.mark.parametrize(
    ("lang", "form", "short", "not_there"),
    [
        ("en", "ms", "Ms. Inventedname", ("Mme", "Mr.")),
        ("en", "mr", "Mr. Inventedname", ("Ms.", "M. Inventedname")),
        ("fr", "ms", "Mme Inventedname", ("Ms.", "M. Inventedname")),
        ("fr", "mr", "M. Inventedname", ("Mr.", "Mme")),
    ],
)
def test_the_letter_names_the_worker_in_full_once_then_by_title_and_family_name(
    app, client, owner, lang, form, short, not_there
):
    text, letter = render(client, _case(app, client, form), lang, keep=f"form-of-address-{form}-{lang}")
    body = flat(text)
    assert letter["worker"]["form_of_address"] == form
    # the subject line and the opening name the person in full ...
    assert f"Re: {FULL}" in body or f"Objet : {FULL}" in body, body[:600]
    opening = flat(next(s["text"] for s in letter["sections"] if s["key"] == "introduction"))
    assert FULL in opening.split(".")[0] + opening.split(".")[1], opening
    # ... and every later sentence by the title and the family name (with a no-break space between them)
    assert body.count(short) >= 5, body
    # in the argued text, the opening's is the only full name (the running header names the person in full)
    assert flat(" ".join(s["text"] for s in letter["sections"])).count(FULL) == 1
    sentences = " ".join(s["text"] for s in letter["sections"] if s["key"] != "introduction")
    assert short.replace(" ", "\u00a0") in sentences and FULL not in sentences
    assert not [word for word in not_there if word in body], not_there
    if lang == "fr":  # "de" is not elided before a title: "la demande de Mme Inventedname"
        assert "d'Mme" not in body and "d'M." not in body and "qu'M" not in body


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_without_a_form_of_address_the_letter_keeps_the_full_name_and_its_snapshot(app, client, owner, lang):
    text, letter = render(client, _case(app, client, ""), lang)
    # a letter of a person without one freezes no such key: its snapshot (and hash) is what it was before
    assert "form_of_address" not in letter["worker"]
    assert flat(text).count(FULL) >= 6
    assert "Ms. Inventedname" not in text and "Mme Inventedname" not in text


def test_mx_is_said_in_english_and_a_french_letter_keeps_the_full_name(app, client, owner):
    case_id = _case(app, client, "mx")
    english, _letter = render(client, case_id, "en")
    assert flat(english).count("Mx. Inventedname") >= 5
    french, _letter = render(client, case_id, "fr")
    assert "Mx" not in french and flat(french).count(FULL) >= 6


def test_the_form_of_address_is_kept_shown_and_checked(app, client, owner):
    case_id = _case(app, client, "ms")
    with app.app_context():
        from portal.models import Case  # noqa: PLC0415

        transferee_id = db.session.get(Case, case_id).transferee_id
        assert db.session.get(Transferee, transferee_id).form_of_address == "ms"
    page = client.get(f"/transferees/{transferee_id}").get_data(as_text=True)
    assert "In letters, after the first mention" in page and "Ms. (French: Mme)" in page
    form = client.get(f"/transferees/{transferee_id}/edit").get_data(as_text=True)
    assert '<option selected value="ms">' in form or '<option value="ms" selected>' in form, form
    # a value that is not one of the choices is refused with a message, and nothing is changed
    from tests.portal.test_cases import PERSON  # noqa: PLC0415

    response = client.post_form(f"/transferees/{transferee_id}/edit", {**PERSON, "form_of_address": "dr"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Transferee, transferee_id).form_of_address == "ms"
    # cleared: the full name each time again
    response = client.post_form(f"/transferees/{transferee_id}/edit", {**PERSON, "form_of_address": ""})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Transferee, transferee_id).form_of_address is None


def test_the_import_reads_the_form_of_address_and_refuses_a_value_that_is_not_one(app, client, owner):
    from tests.portal.test_imports import _token, _transferees, _upload  # noqa: PLC0415

    content = (
        "given_names,family_name,form_of_address,citizenships\r\nRiley,Inventa,mx,US\r\nSam,Fictive,,FR\r\n"
    )
    preview = _upload(client, "transferees", content.encode())
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:3000]
    assert client.post_form(f"/import/transferees/{_token(page, 'transferees')}/confirm").status_code == 302
    people = {t.given_names: t.form_of_address for t in _transferees(app, owner.org_id)}
    assert people == {"Riley": "mx", "Sam": None}
    refused = _upload(
        client, "transferees", b"given_names,family_name,form_of_address,citizenships\r\nA,B,dr,US\r\n"
    )
    assert refused.status_code in (200, 400) and "form_of_address" in refused.get_data(as_text=True)
    assert "Confirm" not in refused.get_data(as_text=True) or "dr" in refused.get_data(as_text=True)
