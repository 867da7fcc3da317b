"""The case list is paginated (50 a page), its filters apply before the page is cut, and a page
costs the same queries whatever the number of cases, with or without the stage filter (PostgreSQL)."""

from __future__ import annotations

import re

from tests.portal.test_dashboard import _add_cases, _count_queries, _open_case

ROW = re.compile(r'<tr>\s*<td><a href="/cases/(\d+)">')


def _rows(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return ROW.findall(response.get_data(as_text=True))


def test_the_case_list_is_cut_into_pages_that_keep_the_filters(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    first = _open_case(app, client, "Pagina", setup=True)
    _add_cases(app, first, 119)  # 120 cases; every fifth (i % 5 == 0) has open questions: 24

    page1, page2, page3 = (_rows(client, f"/cases/?page={n}") for n in (1, 2, 3))
    assert (len(page1), len(page2), len(page3)) == (50, 50, 20)
    assert len(set(page1 + page2 + page3)) == 120  # no case twice, none missing
    text = client.get("/cases/?page=2").get_data(as_text=True)
    assert "Cases 51 to 100 of 120" in text
    assert 'href="/cases/?page=1"' in text and 'href="/cases/?page=3"' in text

    # A filter applies to the whole list before it is cut; the page links keep it.
    with_questions = _rows(client, "/cases/?questions=yes")
    assert len(with_questions) == 24
    text = client.get("/cases/?questions=no").get_data(as_text=True)
    assert (
        "Cases 1 to 50 of 96" in text and "questions=no" in re.search(r'rel="next" href="([^"]+)"', text)[1]
    )
    assert len(_rows(client, "/cases/?questions=no&page=2")) == 46

    # The stage filter (derived, not stored) applies to the whole list too.
    ended = _rows(client, "/cases/?stage=active") + _rows(client, "/cases/?stage=ended")
    assert len(ended) == 24  # i % 5 == 1: a permit issued 700 days ago, expiring within 90 days
    assert not set(ended) & set(with_questions)

    # Out of range: the last page is empty, a page number beyond any column is the first page.
    assert _rows(client, "/cases/?page=4") == []
    # ... and says so, with the way back, rather than "No case yet" (there are cases)
    text = client.get("/cases/?page=4").get_data(as_text=True)
    assert "Page 4 is past the end of the list: the last page is page 3." in text
    assert 'href="/cases/?page=3">Go to the last page' in text and "No case yet" not in text
    text = client.get("/cases/?questions=yes&page=2").get_data(as_text=True)
    last = re.search(r'href="(/cases/\?[^"]*)">Go to the last page', text)[1]
    assert "page=1" in last and "questions=yes" in last  # the filter kept
    assert len(_rows(client, "/cases/?page=99999999999999999999")) == 50
    assert len(_rows(client, "/cases/?page=-3")) == 50


def test_a_page_of_the_list_costs_the_same_queries_at_60_and_300_cases(app, client, make_employer, login):
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    first = _open_case(app, client, "Countia", setup=True)
    _add_cases(app, first, 59)
    urls = ("/cases/", "/cases/?page=2", "/cases/?stage=needs_answers", "/cases/?questions=no")
    for url in urls:
        client.get(url)
    with_60 = {url: _count_queries(app, client, url) for url in urls}
    _add_cases(app, first, 240)
    with_300 = {url: _count_queries(app, client, url) for url in urls}
    assert with_300 == with_60, (with_60, with_300)


def test_the_lists_role_column_is_named_as_the_case_form_names_it(app, client, make_employer, login):
    """Tour of 2026-12-07: the column read "Position" where every other English page says role; in French
    it stays "Poste", not "Rôle" (a member's role in the organization)."""
    login(client, make_employer(legal_name="Maple Invented Analytics Ltd."))
    _open_case(app, client, "Colonne", setup=True)
    english = client.get("/cases/").get_data(as_text=True)
    assert "<th>Role in Canada</th>" in english and "<th>Position</th>" not in english
    client.post_form("/language", {"lang": "fr"})
    assert "<th>Poste au Canada</th>" in client.get("/cases/").get_data(as_text=True)
