"""The case page of an invited IEC Working Holiday participant: the worker applies for the open permit (with its
fees), and does not already hold one (helper S's note, 2026-12-07: the page said "The worker already holds an
open work permit" for a participant who has still to apply)."""

from __future__ import annotations

import html
import re

from tests.portal.test_cases import PERSON, _create_case

YOUNG_FRENCH = {
    "date_of_birth": "2001-05-05",
    "citizenships": ["FR"],
    "residence_country": "FR",
    "passport_country": "FR",
}
WORKING_HOLIDAY = {"worker.iec_category": "working_holiday", "worker.iec_invited": "yes"}


def _headline_block(page: str) -> str:
    """The headline and the paragraph under it."""
    block = (
        page.split('id="recommended-code">', 1)[1].split('id="open-permit-why">', 1)[1].split("</p>", 1)[0]
    )
    return re.sub(r"\s+", " ", html.unescape(block))


def test_an_invited_working_holiday_participant_applies_for_the_open_permit(client, owner, monkeypatch):
    for key, value in YOUNG_FRENCH.items():
        monkeypatch.setitem(PERSON, key, value)
    case_id = _create_case(client)
    assert client.post_form(f"/cases/{case_id}/answers", WORKING_HOLIDAY).status_code == 302
    said = {}
    for lang in ("en", "fr"):
        client.post_form("/language", {"lang": lang})
        said[lang] = _headline_block(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Working Holiday" in said["en"] and "applies for" in said["en"], said["en"]
    assert "already holds" not in said["en"]
    assert "Programme vacances-travail" in said["fr"] and "déjà titulaire" not in said["fr"], said["fr"]
