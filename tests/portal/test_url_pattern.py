"""UrlPattern: a page's per-row links built from one url_for give the addresses url_for gives."""

from __future__ import annotations

import pytest
from flask import url_for

from portal.web import UrlPattern


@pytest.mark.parametrize(
    ("endpoint", "name"),
    [
        ("cases.show", "case_id"),
        ("documents.case_documents", "case_id"),
        ("compliance.case_calendar", "case_id"),
        ("main.dashboard", "case_id"),  # not in the path: in the query string, as url_for puts it
    ],
)
def test_a_pattern_gives_the_address_url_for_gives(app, endpoint, name):
    for script_root in ("", "/portal"):
        with app.test_request_context("/dashboard", base_url=f"http://localhost{script_root}"):
            pattern = UrlPattern(endpoint, name)
            for value in (1, 7, 42, 918273645, 2147483647):
                assert pattern(value) == url_for(endpoint, **{name: value})
