"""The offer-submission packet and the letter as a reader gets them: money, dates and plurals in the
reader's language (read back from the PDF with pdfplumber), page numbers over the whole file, rows
never split across pages, the data sheet's fields, pre-checks that agree with the evidence checklist."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from tests.portal.test_documents import (
    EMPLOYER_NAME,
    create_case,
    document_id_of,
    download,
    evidence_keys,
    get_document,
    pdf_bytes,
    request_document,
    upload,
)

# Worked case 02 paid by the year: $165,000.00 a year at 40 hours a week is $79.33 an hour.
YEARLY = {"wage_amount": "165000", "wage_unit": "year", "prevailing_wage_hourly": "70"}


@pytest.fixture
def owner(make_employer, client, login):
    account = make_employer(legal_name=EMPLOYER_NAME)
    login(client, account)
    return account


def pages_of(data: bytes) -> list[str]:
    """The text of each page, with Babel's no-break spaces read as plain spaces."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            (page.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ") for page in pdf.pages
        ]


def one_line(text: str) -> str:
    return " ".join(text.split())


EXPECTED = {
    "en": {
        "hourly": "$79.33 per hour",
        "yearly": "$165,000.00 per year",
        "start": "January 4, 2027",
        "born": "May 5, 1980",
        "annex_one_page": "(1 page)",
        "one_problem": "1 problem to fix",
        "wrong_money": ("79.33 $", "165000"),
    },
    "fr": {
        "hourly": "79,33 $ par heure",
        "yearly": "165 000,00 $ par année",
        "start": "4 janvier 2027",
        "born": "5 mai 1980",
        "annex_one_page": "(1 page)",
        "one_problem": "1 problème à corriger",
        "wrong_money": ("79.33", "$165"),
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_money_dates_and_plurals_are_in_the_reader_language(app, client, owner, lang):
    # "See attached" in the duties is the one error the pre-checks find.
    case_id = create_case(app, client, role={**YEARLY, "duties": "See attached job description."})
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[1], pdf_bytes(1, "Share register"), "register.pdf").status_code == 302
    letter_id = document_id_of(request_document(client, case_id, "support_letter", lang))
    packet_id = document_id_of(request_document(client, case_id, "packet", lang))
    letter, packet = get_document(app, letter_id), get_document(app, packet_id)
    assert (letter.status, packet.status) == ("ready", "ready"), (letter.error, packet.error)
    want = EXPECTED[lang]

    letter_text = one_line(" ".join(pages_of(download(client, letter_id))))
    assert want["hourly"] in letter_text and want["yearly"] in letter_text, letter_text
    assert want["start"] in letter_text

    packet_text = one_line(" ".join(pages_of(download(client, packet_id))))
    for key in ("hourly", "yearly", "start", "born", "annex_one_page", "one_problem"):
        assert want[key] in packet_text, (key, want[key])
    for wrong in want["wrong_money"]:
        assert wrong not in packet_text, wrong
    assert "problems to fix" not in packet_text and "(1 pages)" not in packet_text
