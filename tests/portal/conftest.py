"""Fixtures of the portal's tests beside those of tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.portal.document_helpers import EMPLOYER_NAME


@pytest.fixture
def owner(make_employer, client, login):
    """An employer (EMPLOYER_NAME) registered and signed in on ``client``; a module may define its own."""
    account = make_employer(legal_name=EMPLOYER_NAME)
    login(client, account)
    return account
