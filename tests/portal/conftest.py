"""Fixtures of the portal's tests beside those of tests/conftest.py."""

from __future__ import annotations

import functools

import pytest

from portal.documents import pdf, requests
from tests.portal.document_helpers import EMPLOYER_NAME


@pytest.fixture
def owner(make_employer, client, login):
    """An employer (EMPLOYER_NAME) registered and signed in on ``client``; a module may define its own."""
    account = make_employer(legal_name=EMPLOYER_NAME)
    login(client, account)
    return account


@pytest.fixture
def renders(monkeypatch):
    """The WeasyPrint renders made during the test (the real renderer, counted): the HTML of each."""
    made: list[str] = []
    original = pdf.Renderer.render_anchored

    def counting(self, html):
        made.append(html)
        return original(self, html)

    monkeypatch.setattr(pdf.Renderer, "render_anchored", counting)
    return made


@pytest.fixture
def new_version_each_request(monkeypatch):
    """The documents page makes a new version at every request, as it did before it gave the latest version
    back when nothing changed (tests/portal/test_document_asked_twice.py): for the tests of what a second
    version of the same snapshot does (the kept parts, the cached sections, the stages), which the benches
    make the same way (``requests.request_document``)."""
    monkeypatch.setattr(
        requests, "ask_for_document", functools.partial(requests.ask_for_document, reuse_unchanged=False)
    )
