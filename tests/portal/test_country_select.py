"""Every list of several countries is one searchable widget (the countries_select macro, enhanced by
vendored Tom Select) that keeps a plain <select multiple> as the form's value: without JavaScript a
plain form post saves the countries (PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path

from portal.extensions import db
from portal.models import ForeignEnterprise, Transferee
from tests.portal.test_cases import ENTERPRISE, PERSON, _create_case

STATIC = Path(__file__).resolve().parents[2] / "portal" / "static"
SELECT = re.compile(r"<select[^>]*\bname=\"(?P<name>[^\"]+)\"[^>]*>", re.S)


def _country_selects(html: str) -> dict[str, str]:
    """name -> opening tag of every <select> marked as a country list."""
    return {m["name"]: m[0] for m in SELECT.finditer(html) if "data-country-select" in m[0]}


def _options(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_the_widget_is_vendored_with_its_licence_and_served_from_our_origin(client, owner):
    vendor = STATIC / "vendor" / "tom-select"
    for name in ("tom-select.popular.min.js", "tom-select.bootstrap5.min.css", "LICENSE", "README.md"):
        assert (vendor / name).is_file(), name
    assert "Apache License" in (vendor / "LICENSE").read_text()
    assert "Tom Select v2.6.2" in (vendor / "tom-select.popular.min.js").read_text()[:200]
    page = client.get("/transferees/new").get_data(as_text=True)
    for src in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page):
        assert src.startswith("/static/"), f"{src} is not served by the portal"
        response = client.get(src)
        response.close()  # a static file is streamed: close it
        assert response.status_code == 200, src
    assert "/static/vendor/tom-select/tom-select.popular.min.js" in page
    assert "/static/js/country-select.js" in page


def test_every_country_list_is_the_searchable_widget(client, owner):
    transferee = client.get("/transferees/new").get_data(as_text=True)
    assert set(_country_selects(transferee)) == {"citizenships", "permanent_residences"}
    tag = _country_selects(transferee)["citizenships"]
    assert "multiple" in tag and 'aria-describedby="citizenships-help"' in tag
    assert 'data-placeholder="Type a country’s name"' in tag
    # The no-JS hint is the page's; the script swaps in the typing hint.
    assert 'id="citizenships-help">Hold Ctrl (or ⌘) to choose several.<' in transferee
    assert '<option value="IN">India</option>' in _options(transferee, "citizenships")
    group = client.get("/group/new").get_data(as_text=True)
    assert set(_country_selects(group)) == {"countries_of_operation"}
    assert "NONE" not in _options(group, "countries_of_operation")  # no "None" where empty means none


def test_the_case_page_country_question_keeps_its_explicit_none(app, client, owner, monkeypatch):
    monkeypatch.setitem(PERSON, "citizenships", ["IN"])
    monkeypatch.setitem(PERSON, "passport_country", "IN")
    case_id = _create_case(client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    selects = _country_selects(page)
    assert "worker.permanent_residences" in selects
    options = _options(page, "worker.permanent_residences")
    assert '<option value="FR">France</option>' in options  # every country after "None"
    assert re.search(r'^[^<]*<option value="NONE">None</option>', options[options.index(">") + 1 :].lstrip())
    # A plain post of "None" is stored as the explicit empty answer: the question goes away, and the
    # answers given show it as "None", to be changed there.
    response = client.post_form(f"/cases/{case_id}/answers", {"worker.permanent_residences": ["NONE"]})
    assert response.status_code == 302
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    questions = page[page.index('id="answers-form"') :]
    questions = questions[: questions.index("</form>")]
    assert "worker.permanent_residences" not in _country_selects(questions)
    given = _country_selects(page)["worker.permanent_residences"]
    assert 'id="given-worker-permanent_residences"' in given
    assert re.search(
        r'<option value="NONE" selected>None</option>', _options(page, "worker.permanent_residences")
    )


def test_without_javascript_a_plain_post_saves_several_countries(app, client, owner):
    response = client.post_form(
        "/transferees/new",
        {
            **PERSON,
            "citizenships": ["IN", "FR", ""],
            "passport_country": "IN",
            "permanent_residences": ["US"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with app.app_context():
        person = db.session.query(Transferee).one()
        assert sorted(person.citizenships) == ["FR", "IN"]
        assert person.permanent_residences == ["US"]
    shown = client.get(response.location).get_data(as_text=True)
    assert "France" in shown and "India" in shown
    # The edit form shows them chosen in the same widget.
    edit = client.get(f"/transferees/{person.id}/edit").get_data(as_text=True)
    assert '<option value="FR" selected>France</option>' in _options(edit, "citizenships")
    assert '<option value="IN" selected>India</option>' in _options(edit, "citizenships")

    assert (
        client.post_form("/group/new", {**ENTERPRISE, "countries_of_operation": ["MX", "DE"]}).status_code
        == 302
    )
    with app.app_context():
        assert sorted(db.session.query(ForeignEnterprise).one().countries_of_operation) == ["DE", "MX"]


def test_an_unknown_country_is_refused_beside_the_widget(app, client, owner):
    response = client.post_form("/transferees/new", {**PERSON, "citizenships": ["IN", "XX"]})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="form-select is-invalid"' in _country_selects(page)["citizenships"]
    with app.app_context():
        assert db.session.query(Transferee).count() == 0


def test_the_widget_speaks_french(client, owner):
    client.post_form("/language", {"lang": "fr"})
    page = client.get("/transferees/new").get_data(as_text=True)
    tag = _country_selects(page)["citizenships"]
    assert 'data-placeholder="Tapez le nom d’un pays"' in tag
    assert 'data-js-help="Tapez quelques lettres du nom' in tag
    assert '<option value="IN">Inde</option>' in _options(page, "citizenships")


def test_french_countries_are_in_the_order_a_reader_expects(client, owner):
    client.post_form("/language", {"lang": "fr"})
    options = _options(client.get("/transferees/new").get_data(as_text=True), "citizenships")
    names = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', options)
    assert names.index("Danemark") < names.index("Égypte") < names.index("Fidji")  # not after Zimbabwe
    assert names.index("Émirats arabes unis") < names.index("Espagne")


def test_a_group_company_has_no_country_nor_relationship_until_one_is_chosen(app, client, owner):
    """Browser tour of 2026-12-06: the group company form preselected Afghanistan and "Parent company",
    so a company saved without a choice became an Afghan parent, facts the intra-company codes read."""
    page = client.get("/group/new").get_data(as_text=True)
    for name in ("country", "relationship"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, name
        first = re.search(r"<option([^>]*)>", select.group(1))
        assert first and 'value=""' in first.group(1), (name, first)
        assert "selected" not in select.group(1), name
    response = client.post_form("/group/new", {**ENTERPRISE, "country": "", "relationship": ""})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Choose the company" in text and "Choose how the company is related" in text
    with app.app_context():
        assert db.session.query(ForeignEnterprise).count() == 0


def test_a_single_country_is_a_drop_down_list_not_a_text_box(client, owner):
    """A CountryField (one country) is a plain <select>: Bootstrap's form-select draws its arrow, where
    form-control made it look like an empty text box one cannot type in."""
    pages = {"/group/new": ["country"], "/transferees/new": ["passport_country", "residence_country"]}
    for url, names in pages.items():
        tags = {m["name"]: m[0] for m in SELECT.finditer(client.get(url).get_data(as_text=True))}
        for name in names:
            assert 'class="form-select"' in tags[name], (url, tags[name])
