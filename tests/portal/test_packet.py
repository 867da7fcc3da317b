"""The offer-submission packet and the letter as a reader gets them: money, dates and plurals in the
reader's language (read back from the PDF with pdfplumber), page numbers over the whole file, rows
never split across pages, the data sheet's fields, pre-checks that agree with the evidence checklist."""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pdfplumber
import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from portal import clock
from portal.compliance.services import case_calendar
from portal.documents import content, editing
from portal.extensions import db
from portal.models import Case, Organization, User
from tests.portal.document_helpers import (
    create_case,
    document_id_of,
    download,
    enter_worked_case,
    evidence_keys,
    evidence_names,
    get_document,
    pdf_bytes,
    pdf_text,
    png_bytes,
    request_document,
    requested,
    squash,
    upload,
)
from tests.typography import french_typography_faults

# Worked case 02 paid by the year: $165,000.00 a year at 40 hours a week is $79.33 an hour.
YEARLY = {"wage_amount": "165000", "wage_unit": "year", "prevailing_wage_hourly": "70"}


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
        "cover": ("Worker: ", "(NOC 00012)", "Employer: "),
        "wrong_money": ("79.33 $", "165000"),
    },
    "fr": {
        "hourly": "79,33 $ par heure",
        "yearly": "165 000,00 $ par année",
        "start": "4 janvier 2027",
        "born": "5 mai 1980",
        "annex_one_page": "(1 page)",
        "one_problem": "1 problème à corriger",
        "cover": ("Travailleur : ", "(CNP 00012)", "Employeur : "),  # a space before the colon (squashed)
        "wrong_money": ("79.33", "$165"),
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_money_dates_and_plurals_are_in_the_reader_language(app, client, owner, lang):
    # "See attached" in the duties is the one error the pre-checks find: the job abroad has its hours and
    # duties, and the letter's gap that no form asks (the share of the capital) is filled in first, as the
    # employer would
    job = {"hours_per_week": "40", "duties": "Directs the operations of the Denver plant."}
    case_id = create_case(app, client, role={**YEARLY, "duties": "See attached job description."}, job=job)
    relationship = "Rocky Invented Inc. holds 100% of the capital and votes of the Canadian employer."
    assert (
        client.post_form(
            f"/cases/{case_id}/letter/{lang}", {"section-relationship": relationship}
        ).status_code
        == 302
    )
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[1], pdf_bytes(1, "Share register"), "register.pdf").status_code == 302
    # signed with the signatory's title, as the request form asks (without it, the letter asks for it)
    signed = {"signatory_title": "Chief Operating Officer"}
    letter_id = document_id_of(request_document(client, case_id, "support_letter", lang, **signed))
    packet_id = document_id_of(request_document(client, case_id, "packet", lang, **signed))
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
    for line in want["cover"]:  # the cover's worker, position and employer lines
        assert line in packet_text, line
    assert "problems to fix" not in packet_text and "(1 pages)" not in packet_text


FOLIO = re.compile(r"(?<!\d)(\d+) / (\d+)(?!\d)")


def test_page_numbers_count_the_whole_file_annexes_included(app, client, owner):
    case_id = create_case(app, client)
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[1], pdf_bytes(2, "Share register"), "register.pdf").status_code == 302
    assert upload(client, case_id, keys[2], png_bytes((300, 200)), "payslip.png").status_code == 302
    letter = requested(app, client, case_id, "support_letter")
    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready" and packet.reused_letter_id == letter.id, packet.error

    letter_pages = pages_of(download(client, letter.id))
    assert [FOLIO.findall(t) for t in letter_pages] == [
        [(str(n), str(len(letter_pages)))] for n in range(1, len(letter_pages) + 1)
    ]
    pages = pages_of(download(client, packet.id))
    total = len(pages)
    assert total == packet.page_count
    # Every page, the letter's and the evidence's included, has one number: its own, of the whole file.
    assert [FOLIO.findall(t) for t in pages] == [[(str(n), str(total))] for n in range(1, total + 1)]
    assert "Share register 1" in pages[-3] and "Share register 2" in pages[-2]


def _sheet_rows(app, document) -> list[tuple[str, str]]:
    with app.test_request_context(), force_locale(document.language):
        return [row for _title, rows in content.data_sheet(document.snapshot["letter"]) for row in rows]


def _columns(data: bytes) -> list[tuple[str, str]]:
    """Each page's text in the label column and in the value column of the data sheet (squashed)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out = []
        for page in pdf.pages:
            left = page.crop((0, 0, LABEL_COLUMN_END, page.height)).extract_text() or ""
            right = page.crop((LABEL_COLUMN_END, 0, page.width, page.height)).extract_text() or ""
            out.append((squash(left), squash(right)))
        return out


# documents.css: 20 mm margins on a Letter page, the label column 38 % of the table's width.
LABEL_COLUMN_END = 20 / 25.4 * 72 + 0.38 * (612 - 2 * 20 / 25.4 * 72)


def test_a_label_and_its_value_are_never_split_across_pages(app, client, owner):
    checked = 0
    for sentences in (6, 12, 18, 24, 30):  # the longer the duties, the further down each row falls
        duties = " ".join(
            f"Directs operations area {i} and reports on its results." for i in range(sentences)
        )
        case_id = create_case(app, client, role={"duties": duties})
        packet = requested(app, client, case_id, "packet")
        assert packet.status == "ready", packet.error
        columns = _columns(download(client, packet.id))
        for label, value in _sheet_rows(app, packet):
            if not value:
                continue
            on = [n for n, (left, _right) in enumerate(columns) if squash(label) in left]
            assert on, label
            text, page = squash(value), on[0]
            if isinstance(
                value, content.Prose
            ):  # running text: begins beside its label, may go on over a page
                assert text[:150] in columns[page][1], (sentences, label, page + 1)
                # its last lines (widows: 3) on this page or one of the next two
                assert any(text[-60:] in right for _left, right in columns[page : page + 3]), (
                    sentences,
                    label,
                )
                continue
            # The value is whole on the label's page: not begun at the foot of one page, ended on the next.
            assert text in columns[page][1], (sentences, label, page + 1)
            checked += 1
    assert checked > 50


def test_pre_checks_and_the_evidence_checklist_agree(app, client, owner):
    case_id = create_case(app, client)
    keys = evidence_keys(app, case_id)
    assert keys[0] in content.LETTER_ITEMS  # ICT: the letter of introduction is the support letter
    assert upload(client, case_id, keys[1], pdf_bytes(1, "Share register"), "register.pdf").status_code == 302
    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    text = one_line(" ".join(pages_of(download(client, packet.id))))
    body = text.partition("Dear Officer")[0]  # the packet's own pages, before the letter (Annex A)
    # The sections by their headings (the last occurrence: the first is in the contents).
    checks = body.rpartition("Pre-checks before filing")[2].partition("Evidence checklist")[0]
    checklist = body.rpartition("Evidence checklist")[2].partition("The employer's obligations")[0]
    with app.test_request_context(), force_locale("en"):
        items = content.evidence_checklist(packet.snapshot["packet"])
    missing = [i["item"] for i in items if i["status"] == "missing"]
    assert len(missing) >= 3 and keys[0] not in missing and keys[1] not in missing
    assert "No problem found" not in text
    for item in missing:
        assert f"{item} is missing from the checklist." in checks, item
    # The checklist (items wrap beside their status): as many "missing" as warnings, the letter as Annex A.
    statuses = re.findall(r"\b(Missing|Attached|After filing|Annex A|support letter\))", checklist)
    assert sorted(statuses) == sorted(
        ["Missing"] * len(missing) + ["Attached", "Annex A", "support letter)", "After filing"]
    ), statuses
    assert f"{keys[0]} is missing" not in text
    assert f"{len(missing)} points to check" in checks
    # The data sheet's Job asks what the job requires, not the worker's own education.
    job = body.partition("Job Job title")[2].partition("Wages and working conditions")[0]
    assert "Education and experience required" in job and "Master" not in job


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_contents_page_gives_the_first_page_of_every_annex_and_links_to_it(app, client, owner, lang):
    case_id = create_case(app, client)
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[1], pdf_bytes(2, "Share register"), "register.pdf").status_code == 302
    assert upload(client, case_id, keys[2], png_bytes((300, 200)), "payslip.png").status_code == 302
    letter = requested(app, client, case_id, "support_letter", lang)
    packet = requested(app, client, case_id, "packet", lang)
    assert packet.status == "ready", packet.error
    data = download(client, packet.id)
    if os.environ.get("LETTER_PDFS"):  # to look at it: pdftoppm -r 60 -png
        Path(os.environ["LETTER_PDFS"], f"packet-{lang}.pdf").write_bytes(data)
    pages = pages_of(data)
    total = len(pages)
    toc = next(i for i, t in enumerate(pages) if "Contents" in t or "Table des matières" in t)
    # The annexes' links on the contents page: each opens a page and shows that page's number in its box.
    reader = PdfReader(io.BytesIO(data))
    links = []
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        toc_page = plumber.pages[toc]
        for ref in reader.pages[toc].get("/Annots") or []:
            annot = ref.get_object()
            if not isinstance(annot.get("/Dest"), list):
                continue  # the links to the packet's own parts
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            box = (min(x0, x1), toc_page.height - max(y0, y1), max(x0, x1), toc_page.height - min(y0, y1))
            shown = (toc_page.crop(box).extract_text() or "").strip()
            # drawn in the contents page's own typeface (DejaVu Serif, embedded), not a standard Helvetica
            assert {c["fontname"].partition("+")[2] for c in toc_page.crop(box).chars} == {"DejaVuSerif"}
            links.append((reader.get_page_number(annot["/Dest"][0].get_object()) + 1, shown))
    body = total - letter.page_count - 3  # the register's 2 pages and the payslip's 1
    # The obligations, a cached section of their own after the body's pages (sections.py): linked alike.
    heading = "The employer's obligations" if lang == "en" else "Les obligations de l'employeur"
    obligations = next(i for i, t in enumerate(pages) if t.splitlines()[1:2] == [heading]) + 1  # its h1
    expected = [body + 1, body + letter.page_count + 1, total]  # A: the letter, B: register, C: payslip
    # Each of the packet's own sections is a part rendered apart: its line gives the page it starts on.
    parts, annexes = links[:-3], links[-3:]
    assert annexes == [(n, str(n)) for n in expected]
    assert parts == [(n, str(n)) for n in sorted({n for n, _shown in parts})] and len(parts) >= 4
    assert parts[0][0] == toc + 2 and parts[-1][0] == obligations < expected[0]
    numbers = dict(zip("ABC", expected, strict=True))
    assert ("Dear Officer" if lang == "en" else "Madame, Monsieur") in pages[numbers["A"] - 1]
    assert "Share register 1" in pages[numbers["B"] - 1]
    contents = one_line(pages[toc])
    annex = "Annex" if lang == "en" else "Annexe"
    assert f"{annex} B" in contents and "register.pdf" in contents and "payslip.png" in contents
    assert (
        "register.pdf (2 pages)" in contents and "payslip.png (1 page)" in contents
    )  # ngettext, both languages
    # each annex is named after its evidence item in the packet's language, on the contents page and the checklist
    names = evidence_names(app, case_id, lang)
    # (a line of a long name may end beside the annex's page number: its first words are checked)
    assert one_line(f"{annex} B — {names[1]}")[:45] in contents
    assert one_line(f"{annex} C — {names[2]}")[:45] in contents
    if lang == "fr":
        assert names[1] != keys[1] and keys[1] not in contents and keys[2] not in contents


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_merged_packet_keeps_its_bookmarks_title_and_language(app, client, owner, lang):
    """The packet is merged from several PDFs (its parts, the letter, the evidence): the bookmarks of each
    (WeasyPrint makes one per heading) follow their pages in the merged order, and the file keeps the
    title and the language (/Lang, read by screen readers) of its first part."""
    case_id = create_case(app, client)
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[1], pdf_bytes(2, "Share register"), "register.pdf").status_code == 302
    letter = requested(app, client, case_id, "support_letter", lang)
    packet = requested(app, client, case_id, "packet", lang)
    assert packet.status == "ready" and packet.reused_letter_id == letter.id, packet.error
    data = download(client, packet.id)
    reader = PdfReader(io.BytesIO(data))
    pages = pages_of(data)

    def flat(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from flat(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item)

    marks = list(flat(reader.outline))
    titles = [title for _depth, title, _page in marks]
    for heading in (
        ["Contents", "Employer Portal data sheet", "Pre-checks before filing", "Evidence checklist"]
        if lang == "en"
        else ["Table des matières"]
    ):
        assert heading in titles
    # every bookmark opens the page its heading is on, and they come in the order of the pages
    for _depth, title, page in marks:
        assert one_line(title)[:25] in one_line(pages[page]), (title, page)
    assert [page for _depth, _title, page in marks] == sorted(page for _depth, _title, page in marks)
    assert {depth for depth, _title, _page in marks} == {0, 1}  # the data sheet's subsections are nested
    letter_start = len(pages) - 2 - letter.page_count  # the letter, then the register's 2 pages
    assert letter_start in {page for _depth, _title, page in marks}  # the letter's bookmarks came along
    assert ("Dear Officer" if lang == "en" else "Madame, Monsieur") in pages[letter_start]
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.metadata.title.startswith("Offer-submission packet" if lang == "en" else "Dossier")


@pytest.mark.parametrize(("lang", "hours"), [("en", "37.5"), ("fr", "37,5")])
def test_the_data_sheet_writes_the_hours_in_the_readers_format(app, client, owner, lang, hours):
    """Browser tour of 2026-12-06: the French data sheet read "37.5" beside "37,5" in the letter."""
    case_id = create_case(app, client, role={"hours_per_week": "37.5"})
    packet = requested(app, client, case_id, "packet", lang)
    rows = dict(_sheet_rows(app, packet))
    label = "Hours per week" if lang == "en" else "Heures par semaine"
    assert rows[label] == hours


@pytest.mark.parametrize("citizenship", ["US", "GB"])
def test_an_expired_passport_is_a_problem_to_fix_in_the_pre_checks(app, client, owner, citizenship):
    """Browser tour of 2026-12-06: with the passport expired in 2021, the packet's pre-checks counted no
    problem about it (and blamed the passport's country instead). A US citizen gets a permit whatever the
    passport's expiry (R52(2), imp-rules.md §1.5): what matters then is the number the offer gives."""
    person = {"citizenships": [citizenship], "passport_country": citizenship, "passport_expiry": "2021-01-01"}
    case_id = create_case(app, client, person=person)
    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    with app.test_request_context(), force_locale("en"):
        checks = content.prechecks(packet.snapshot["letter"], packet.snapshot["packet"])
    expired = [c for c in checks if "expired on" in c["message"]]
    assert expired and expired[0]["level"] == "error", checks
    assert "January 1, 2021" in expired[0]["message"]
    said = expired[0]["message"]
    assert ("no permit is issued on it" in said) is (citizenship != "US"), said
    assert ("matched to the work permit application by the passport's number" in said) is (
        citizenship == "US"
    )
    assert "expiredon" in squash(" ".join(pages_of(download(client, packet.id))))


def test_what_the_letter_leaves_to_complete_is_a_problem_to_fix_until_it_is_filled_in(app, client, owner):
    """Browser tour of 2026-12-06: the pre-checks said "0 problems to fix" over a letter (Annex A) that
    still read "[to complete: share of the capital and votes held, e.g. 100%]". Each gap is a problem
    once, the enclosures stay evidence warnings, and filling the gap in the letter clears it."""
    case_id = create_case(app, client)
    packet = requested(app, client, case_id, "packet")
    with app.test_request_context(), force_locale("en"):
        checks = content.prechecks(packet.snapshot["letter"], packet.snapshot["packet"])
    gaps = [c["message"] for c in checks if c["message"].startswith("Still to complete in the letter")]
    assert any("share of the capital" in g for g in gaps), checks
    assert not any("enclose" in g for g in gaps) and len(gaps) == len(set(gaps))
    assert all(c["level"] == "error" for c in checks if c["message"] in gaps)
    sections = {s["key"]: s["text"] for s in packet.snapshot["letter"]["sections"]}
    filled = re.sub(r"\[to complete: share of the capital[^\]]*\]", "100%", sections["relationship"])
    assert (
        client.post_form(f"/cases/{case_id}/letter/en", {"section-relationship": filled}).status_code == 302
    )
    again = requested(app, client, case_id, "packet")
    with app.test_request_context(), force_locale("en"):
        after = content.prechecks(again.snapshot["letter"], again.snapshot["packet"])
    assert not any("share of the capital" in c["message"] for c in after)


CALENDAR_FROM_FIRST_DAY = {
    "en": (
        "First day of work February 15, 2027",
        "End of record keeping February 15, 2033",
        "January 4, 2033",
    ),
    "fr": ("Premier jour de travail 15 février 2027", "15 février 2033", "4 janvier 2033"),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_packet_calendar_counts_from_the_first_day_of_work_once_recorded(app, client, owner, lang):
    """The packet's compliance calendar counted from the role's planned start (January 4, 2027) after
    the job's actual first day was recorded (February 15): the records were kept until 2033-01-04."""
    case_id = create_case(app, client)
    filing = {
        "offer_number": "A1234567",
        "submitted_on": "2026-11-20",
        "fee_paid_on": "2026-11-20",
        "permit_issued_on": "2026-12-01",
        "first_day_on": "2027-02-15",
    }
    assert client.post_form(f"/cases/{case_id}/compliance", filing).status_code == 302
    packet = requested(app, client, case_id, "packet", lang)
    assert packet.status == "ready", packet.error
    text = one_line(" ".join(pages_of(download(client, packet.id))))
    first_day, records, planned = CALENDAR_FROM_FIRST_DAY[lang]
    assert first_day in text and records in text and planned not in text
    assert "(planned)" not in text and "(prévu)" not in text


def test_annexes_follow_the_checklist_not_the_order_of_the_uploads(app, client, owner):
    """Browser tour of 2026-12-06 (README: "B, C, … in checklist order"): the annexes were lettered in
    the order of the uploads. The letter's list of enclosures and the packet's contents agree."""
    case_id = create_case(app, client)
    keys = evidence_keys(app, case_id)
    assert upload(client, case_id, keys[2], pdf_bytes(1, "Third item"), "third.pdf").status_code == 302
    assert upload(client, case_id, keys[0], pdf_bytes(1, "First item"), "first.pdf").status_code == 302
    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    text = squash(" ".join(pages_of(download(client, packet.id))))
    # the contents page (its page numbers sit inside the wrapped lines)
    b, c = text.index(squash(f"Annex B — {keys[0][:30]}")), text.index(squash(f"Annex C — {keys[2][:30]}"))
    assert b < text.index("first.pdf") < c < text.index("third.pdf")
    assert text.index("Firstitem") < text.index("Thirditem")  # the files themselves, appended in that order


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_data_sheet_shows_how_this_case_meets_its_code_not_the_rules_criteria(app, client, owner, lang):
    """Browser tour of 2026-12-06: "How the job meets the exemption" (what the offer must show IRCC,
    R209.11(1)(c)) listed the rule's criteria ("The worker is a citizen of the United States or Mexico
    (CUSMA); permanent residents are not covered ..."), the same for every case. It is now the letter's own
    argument: this worker, this group, these months, this capacity and the legal basis, in running
    prose (a list after the line that announces it, its items separated by semicolons)."""
    case_id = create_case(app, client)
    packet = requested(app, client, case_id, "packet", lang)
    assert packet.status == "ready", packet.error
    letter = packet.snapshot["letter"]
    label = (
        "How the job meets the exemption"
        if lang == "en"
        else "Comment l'emploi satisfait aux critères de la dispense"
    )
    rows = dict(_sheet_rows(app, packet))
    shown = rows[label]
    sections = {s["key"]: s["text"] for s in letter["sections"]}
    for key in ("relationship", "capacity", "temporary_stay", "legal_basis"):
        assert sections[key] in shown, key
    months = sections["employment_abroad"].split("\n\n")[-1]  # the months the assessment counted
    assert months in shown and letter["worker"]["family_name"] in shown
    for criterion in letter["criteria"]:
        assert criterion["text"] not in shown
    # running prose, a paragraph a section: no single line break, no list mark
    assert all("\n" not in para and not para.startswith("- ") for para in shown.split("\n\n"))
    assert sections["canadian_role"] not in shown  # the job's title, NOC and wage have rows of their own
    # the capacity's sentence no longer points at duties "above" or "below": out of the letter, there are none
    assert not re.search(r"\b(above|below)\b|ci-dessus|ci-dessous", shown), shown
    assert one_line(shown)[:60] in one_line(" ".join(pages_of(download(client, packet.id))))


def test_the_data_sheet_follows_the_letters_edits_as_plain_text(app, client, owner):
    """What the employer typed over a section of the letter is what the sheet says (its **bold** marks
    left out: the Employer Portal's field takes plain text), its list inlined."""
    case_id = create_case(app, client)
    typed = "Rocky Invented Inc. owns **all** the shares of the employer. The group's proof:\n- Share register\n- Chart"
    with app.test_request_context():
        case = db.session.get(Case, case_id)
        org = db.session.get(Organization, case.organization_id)
        actor = db.session.get(User, owner.user_id)
        assert editing.save(
            case, org, lang="en", texts={"relationship": typed}, actor=actor, on=clock.today()
        )
        db.session.commit()
    packet = requested(app, client, case_id, "packet")
    shown = dict(_sheet_rows(app, packet))["How the job meets the exemption"]
    assert "owns all the shares of the employer. The group's proof: Share register; Chart." in shown
    assert "**" not in shown


@pytest.mark.parametrize("citizenship", ["US", "GB"])
def test_a_passport_expiring_before_the_job_starts_is_said_on_the_case_page(app, client, owner, citizenship):
    """Tour: a passport expiring 2027-01-15 before a 2027-03-01 start showed nothing on the case page. The
    rules engine warns (passport_expired), except for a US citizen, who needs no passport to enter
    (R52(2)): the page says then that the offer must give the renewed passport's number."""
    person = {"citizenships": [citizenship], "passport_country": citizenship, "passport_expiry": "2027-01-15"}
    case_id = create_case(app, client, person=person, role={"start_date": "2027-03-01"})
    page = unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    said = [
        "The passport expires on January 15, 2027, before the job starts",  # the engine's warning
        "The passport entered expires on January 15, 2027, before the job starts (March 1, 2027)",  # the page's
    ]
    assert sum(text in page for text in said) == 1, page.partition('id="warnings"')[2][:2000]
    assert (said[1] in page) is (citizenship == "US")


def test_a_passport_expiring_before_the_job_starts_is_a_problem_to_fix_in_the_pre_checks(app, client, owner):
    """Tour (the demo: a US citizen starting 2027-03-01): a passport expiring 2027-01-15 gave "0 problems to
    fix". The worker applies on a renewed passport, whose number the offer must give."""
    person = {"passport_expiry": "2027-01-15"}
    case_id = create_case(app, client, person=person, role={"start_date": "2027-03-01"})
    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    with app.test_request_context(), force_locale("en"):
        checks = content.prechecks(packet.snapshot["letter"], packet.snapshot["packet"])
    passport = [c for c in checks if c["field"] == "Passport"]
    assert [c["level"] for c in passport] == ["error"], checks
    assert "expires on January 15, 2027, before the job starts (March 1, 2027)" in passport[0]["message"]


def test_the_permit_ending_with_the_passport_is_a_point_to_check_in_the_pre_checks(app, client, owner):
    """The rules engine's limit (passport_cap: the permit cannot run past the passport) is in the pre-checks
    too, not only in the packet's warnings."""
    person = {"citizenships": ["GB"], "passport_country": "GB", "passport_expiry": "2028-06-30"}
    case_id = create_case(app, client, person=person)
    packet = requested(app, client, case_id, "packet")
    assert packet.status == "ready", packet.error
    assert "passport_cap" in [w["id"] for w in packet.snapshot["packet"]["assessment"]["warnings"]]
    with app.test_request_context(), force_locale("en"):
        checks = content.prechecks(packet.snapshot["letter"], packet.snapshot["packet"])
    passport = [c for c in checks if c["field"] == "Passport"]
    assert passport == [
        {
            "level": "warning",
            "field": "Passport",
            "message": "The permit cannot run past the passport's expiry date (June 30, 2028).",
        }
    ], checks


def test_the_data_sheet_keeps_the_duties_apart(app, client, owner):
    """Browser tour of 2026-12-06: duties typed one a line ran together on the data sheet ("Designs robotic
    assembly cells Runs stress analyses"), the text the employer copies into the Employer Portal."""
    case_id = create_case(
        app, client, role={"duties": "Designs robotic assembly cells\n- Runs stress analyses."}
    )
    packet = requested(app, client, case_id, "packet")
    rows = dict(_sheet_rows(app, packet))
    assert rows["Main duties"] == "Designs robotic assembly cells; Runs stress analyses."


def test_a_wage_by_the_hour_is_one_row_and_a_yearly_one_two(app, client, owner):
    """Browser tour of 2026-12-06: the sheet of a wage offered by the hour showed "$45.00 per hour" twice
    ("Wage (hourly)" and "Wage as offered"); a yearly salary keeps both, the offer as made and its rate."""
    hourly = requested(app, client, create_case(app, client), "packet")
    labels = [label for label, _value in _sheet_rows(app, hourly)]
    assert hourly.snapshot["letter"]["position"]["wage_unit"] == "hour"
    assert "Wage (hourly)" in labels and "Wage as offered" not in labels
    yearly = requested(app, client, create_case(app, client, role=YEARLY), "packet")
    rows = dict(_sheet_rows(app, yearly))
    assert rows["Wage as offered"] == "$165,000.00 per year" and rows["Wage (hourly)"] == "$79.33 per hour"


def test_the_packet_calendar_counts_from_the_day_the_compliance_page_counts_from(app, client, owner):
    """Review finding: with the permit issued after the job's planned start and no first day recorded, the
    packet's calendar counted from the planned start and the compliance page from the permit's issue:
    two "End of record keeping" dates for one case. The packet takes the page's day."""
    case_id = create_case(app, client)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.permit_issued_on = case.position.start_date + timedelta(days=28)
        db.session.commit()
        on_page = {i["kind"]: i["date"] for i in case_calendar(case)}
    packet = requested(app, client, case_id, "packet")
    with app.test_request_context(), force_locale("en"):
        dates = content.calendar(packet.snapshot["letter"], packet.snapshot["packet"])
    assert dates["records_keep_until"] == on_page["records_keep_until"].isoformat()
    assert dates["first_day_recorded"] is False  # the packet still says "(planned)"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_workplace_without_a_street_is_said_to_lack_its_street_not_its_address(app, lang):
    """Consultant's review of 2026-12-06: worked case 17's data sheet gave the work address as "Regina SK"
    while its pre-checks said "Work address: Required in the Employer Portal and empty here."."""
    case_id, account, _code = enter_worked_case(app, "case17-renowned-expert-c10")
    client = app.test_client()
    client.post_form("/login", {"email": account.email, "password": account.password})
    packet = requested(app, client, case_id, "packet", lang)
    assert packet.status == "ready", packet.error
    text = squash(pdf_text(download(client, packet.id)))
    if lang == "en":
        assert squash("Work address Regina SK") in text
        assert squash("Work address: The street address is missing: the Employer Portal asks for") in text
        assert squash("Work address: Required in the Employer Portal") not in text
    else:
        assert squash("Adresse du lieu de travail Regina SK") in text, text[:3000]
        assert squash("L'adresse municipale manque\u00a0: le Portail des employeurs demande") in text
        assert squash("Adresse du lieu de travail\u00a0: Obligatoire") not in text


def test_the_french_pre_checks_keep_the_no_break_spaces_of_what_the_letter_leaves_to_complete(
    app, client, owner
):
    """RCIC review of 2026-12-07: the French packet's pre-checks quoted the letter's gap as "p. ex. 100 %"
    with a plain space, which can leave "%" alone at the start of a line (the letter itself has the no-break
    space): the gap was re-spaced with str.split, which takes U+00A0 for a space to drop."""
    case_id = create_case(app, client)
    packet = requested(app, client, case_id, "packet", "fr")
    assert any("100\u00a0%" in gap for gap in packet.letter_gaps), packet.letter_gaps
    reader = PdfReader(io.BytesIO(download(client, packet.id)))
    [checks] = [
        p.extract_text() for p in reader.pages if "Reste à compléter dans la lettre" in p.extract_text()
    ]
    assert "100\u00a0%" in checks and not french_typography_faults(checks), french_typography_faults(checks)


def test_the_french_pre_check_of_a_gap_agrees_with_whatever_the_gap_is(app, client, owner):
    """The French pre-check said "Reste à compléter dans la lettre : date de début. Ajoutez-le aux données du
    dossier, ou écrivez-le dans la lettre": "le" agreed with none of "date de début", "les fonctions du poste"
    or "attaches et projets". It now refers to "cette information", whatever the gap."""
    case_id = create_case(app, client)
    packet = requested(app, client, case_id, "packet", "fr")
    text = squash(pdf_text(download(client, packet.id)))
    assert squash("Ajoutez cette information aux données du dossier, ou écrivez-la dans la lettre") in text
    assert "Ajoutez-le" not in text and "écrivez-le" not in text


@pytest.mark.parametrize(
    ("lang", "says", "wrong"),
    [
        (
            "en",
            "The letter is signed without the signatory's title: give it in “Signatory's title”",
            "title of the",
        ),
        (
            "fr",
            "La lettre est signée sans le titre du signataire\u00a0: indiquez-le dans «\u00a0Titre",
            "titre du",
        ),
    ],
)
def test_a_packet_signed_without_a_title_says_where_to_give_it(app, client, owner, lang, says, wrong):
    """The signatory's title is no fact of the case and no section of the letter: the pre-checks said to "add
    it to the case's data, or write it in the letter", which the employer cannot; they name the form's field."""
    packet = requested(app, client, case_id := create_case(app, client), "packet", lang)
    with app.test_request_context(), force_locale(lang):
        checks = [
            c["message"] for c in content.prechecks(packet.snapshot["letter"], packet.snapshot["packet"])
        ]
    assert [m for m in checks if m.startswith(says)], checks
    assert not [m for m in checks if wrong in m and not m.startswith(says)], checks
    titled = requested(app, client, case_id, "packet", lang, signatory_title="Director of Operations")
    with app.test_request_context(), force_locale(lang):
        after = [
            c["message"] for c in content.prechecks(titled.snapshot["letter"], titled.snapshot["packet"])
        ]
    assert not [m for m in after if m.startswith(says)], after


def test_a_packets_prechecks_are_recorded_when_it_is_requested_and_shown_beside_it(app, client, owner):
    """The documents page said nothing of a packet's pre-checks (read only in its PDF): they are kept on its
    row when it is requested, in the packet's language, and listed beside it; a support letter has none."""
    case_id = create_case(app, client)
    letter = requested(app, client, case_id, "support_letter", "en")
    assert letter.prechecks is None
    english = requested(app, client, case_id, "packet", "en")
    with app.test_request_context(), force_locale("en"):
        expected = content.prechecks(english.snapshot["letter"], english.snapshot["packet"])
    assert english.prechecks == [{k: str(c[k]) for k in ("level", "field", "message")} for c in expected]
    untitled = "The letter is signed without the signatory's title"
    assert [c for c in english.prechecks if c["level"] == "error" and c["message"].startswith(untitled)]
    french = requested(app, client, case_id, "packet", "fr")
    assert [c for c in french.prechecks if c["message"].startswith("La lettre est signée sans le titre")]

    page = unescape(client.get(f"/cases/{case_id}/documents").get_data(as_text=True))
    listed = page.split(f'id="prechecks-{english.id}"', 1)[1].split("</details>", 1)[0]
    problems = sum(c["level"] == "error" for c in english.prechecks)
    assert f"Pre-checks before filing: {problems} problem" in listed
    assert untitled in listed
    assert "La lettre est signée sans le titre" in page.split(f'id="prechecks-{french.id}"', 1)[1]
    assert f'id="prechecks-{letter.id}"' not in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_cover_reads_its_code_apart_from_the_codes_title(app, client, owner, lang):
    """Tour: pypdf read the cover's big code and the code's title under it as one word ("T41CETA
    intra-corporate transferees - specialists"): 2 mm under a 40 pt line, the title was read as the
    code's line going on."""
    case_id = create_case(app, client)
    packet_id = document_id_of(request_document(client, case_id, "packet", lang))
    cover = PdfReader(io.BytesIO(download(client, packet_id))).pages[0].extract_text()
    assert re.search(r"^T37\s*$", cover, re.MULTILINE), cover
