"""Every page's element ids are unique and every label points at one of them: a label that names an id
two elements share focuses the wrong one (the browser tour of 2026-12-05 found the consultants page's
case lists, the organization page's role lists and the import and documents pages' CSRF fields)."""

from __future__ import annotations

import re
from collections import Counter

from tests.portal.test_cases import _create_case
from tests.portal.test_consult import engage


def _problems(page: str) -> list[str]:
    ids = re.findall(r'\bid="([^"]+)"', page)
    twice = [f"id {i} twice" for i, n in Counter(ids).items() if n > 1]
    orphans = [f"label for {f}" for f in re.findall(r'<label[^>]*\bfor="([^"]+)"', page) if f not in ids]
    return twice + orphans


def test_the_main_pages_give_each_id_once_and_every_label_a_target(app, client, owner, add_member):
    case_id = _create_case(client)
    add_member(owner.org_id)  # a second row in the organization's People table
    engage(client, "rae@consult.example.com")
    for url in (
        "/dashboard",
        "/org/",
        "/org/consultants",
        "/import/",
        "/cases/",
        f"/cases/{case_id}",
        f"/cases/{case_id}/documents",
        f"/cases/{case_id}/compliance",
        "/roles/new",
        "/transferees/new",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _problems(response.get_data(as_text=True)) == [], url
