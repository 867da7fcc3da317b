"""What goes into a support letter and a packet: the frozen snapshot, and the template context
built from it (pure functions of the snapshot — the worker never reads the live case)."""

from __future__ import annotations

import base64
import io
import logging
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale
from pikepdf import Pdf

import rules
from portal import labels
from portal.cases.facts import enterprise_for
from portal.compliance.labels import CALENDAR_ITEMS
from portal.compliance.services import first_day_of
from portal.documents import letters, lookups, markup, store
from portal.documents.letters import common
from portal.documents.letters.common import Letter
from portal.documents.letters.ict import duty_lines
from portal.documents.lookups import evidence_of, logo_data_uri
from portal.i18n import day, money, number
from portal.i18n import gettext as _
from portal.models import Case, Document, EvidenceFile, Organization
from portal.models.case import criterion_url

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

# Employer Portal text boxes: IRCC does not publish the limits; beyond this, text risks being cut.
LONG_TEXT = 1000
SEE_ATTACHED = ("see attached", "voir ci-joint", "voir pièce jointe", "see attachment", "voir annexe")
# Evidence items (their English key) that the support letter itself answers: the packet annexes the letter.
LETTER_ITEMS = (
    "Letter of introduction: current and Canadian positions, duties, duration, corporate relationship",
    "Employer letter: title, duties, term, pay arrangement, required education",
)
# The packet's annexes after the support letter (Annex A): one per evidence file, in checklist order
# (lookups.evidence_of).
ANNEX_LETTERS = "BCDEFGHIJKLMNOPQRSTUVWXYZ"


def annex_letter(index: int) -> str:
    """The annex of the ``index``-th evidence file (0 → B): a letter, then numbers past Z."""
    return ANNEX_LETTERS[index] if index < len(ANNEX_LETTERS) else str(index + 2)


def annex_anchor(letter: str) -> str:
    """The name the packet's contents page links an annex by (``annex-a``, ``annex-b``, ``annex-27``);
    ``pdf.merge`` writes the annex's first page number there and points the link at that page."""
    return f"annex-{letter.lower()}"


# Obtained by filing the offer: never missing before it.
AFTER_FILING_ITEMS = ("Offer of employment number (A#######) from the Employer Portal",)


def evidence_status(key: str, *, attached: bool, filed: bool = False) -> str:
    """Where an evidence item stands: attached (a file is uploaded), letter (the support letter is it),
    after_filing (it comes from filing the offer), filed (it came: the offer is recorded as filed) or
    missing."""
    if attached:
        return "attached"
    if key in LETTER_ITEMS:
        return "letter"
    if key in AFTER_FILING_ITEMS:
        return "filed" if filed else "after_filing"
    return "missing"


def _country(code: str | None, lang: str) -> str:
    return labels.country_name(code, lang)


def letter_snapshot(
    case: Case,
    org: Organization,
    *,
    lang: str,
    on: date,
    signatory_name: str,
    signatory_title: str,
    evidence: list[EvidenceFile] | None = None,
) -> dict[str, Any]:
    """The letter's frozen input. ``evidence``: the case's evidence files when the caller has read them
    already (a packet request reads them once for the letter and the packet)."""
    lookups.load_for_letter(case)
    a = case.assessment_in(lang)
    code = case.chosen_code or a.get("recommended")
    candidate = next((c for c in a.get("candidates", []) if c["code"] == code), None)
    p, t = case.position, case.transferee
    enterprise = enterprise_for(case)
    return {
        "lang": lang,
        "date": on.isoformat(),
        "route": a["route"],
        "code": code,
        "current_code": candidate["current_code"] if candidate else code,
        "code_label": candidate["label"] if candidate else "",
        "program": candidate["program"] if candidate else None,
        # What the letter argues (ict, professional, trader_investor, francophone, other): the rules engine knows.
        "kind": rules.code_kind(candidate["current_code"]) if candidate else "other",
        "citation": candidate["citation"] if candidate else None,
        "criteria": [
            {
                "id": c["id"],
                "text": c["text"],
                "regulation": c["citation"]["regulation"],
                "url": criterion_url(c, candidate or {}),
            }
            for c in (candidate or {}).get("criteria", [])
            if c["status"] == "met"
        ],
        # what the rules found for a criterion, met or not (e.g. the months with the group an ICT counts)
        "details": {c["id"]: c["detail"] for c in (candidate or {}).get("criteria", []) if c.get("detail")},
        "legacy_code": candidate.get("legacy_code") if candidate else None,
        "employer": {
            "legal_name": org.legal_name,
            "operating_name": org.operating_name,
            "business_number": org.business_number,
            "street_address": org.street_address,
            "city": org.city,
            "province": org.province,
            "postal_code": org.postal_code,
            "telephone": org.telephone,
            "employees": org.employees,
            "gross_annual_revenue": org.gross_annual_revenue,
            "logo": logo_data_uri(org),
            "logo_sha256": org.logo_sha256,
        },
        "signatory": {"name": signatory_name, "title": signatory_title},
        "enterprise": {
            "name": enterprise.name,
            "country": _country(enterprise.country, lang),
            "relationship": enterprise.relationship,
            "ownership_pct": str(enterprise.ownership_pct) if enterprise.ownership_pct is not None else None,
            "countries_of_operation": [_country(c, lang) for c in enterprise.countries_of_operation or []],
        }
        if enterprise
        else None,
        "position": {
            "title": p.title_in(lang),  # the French title in a French document, when the role gives one
            "noc_code": p.noc_code,
            # the CNP 2021 title in a French document, the NOC 2021 title in an English one
            "noc_title": rules.noc_title(p.noc_code, lang),
            "teer": p.noc_code[1] if p.noc_code else "",
            "duties": p.duties_in(lang) or "",
            "capacity": p.capacity,
            "wage_hourly": f"{p.wage_hourly:.2f}" if p.wage_hourly is not None else None,
            "wage_amount": f"{p.wage_amount:.2f}" if p.wage_amount is not None else None,
            "wage_unit": p.wage_unit,
            "hours_per_week": f"{float(p.hours_per_week):g}" if p.hours_per_week is not None else None,
            "prevailing_wage_hourly": f"{p.prevailing_wage_hourly:.2f}"
            if p.prevailing_wage_hourly is not None
            else None,
            "street_address": p.street_address or "",
            "city": p.city or "",
            "province": p.province or "",
            "start_date": p.start_date.isoformat() if p.start_date else None,
            "duration_months": p.duration_months,
            "paid": p.paid,
        },
        "worker": {
            "given_names": t.given_names,
            "family_name": t.family_name,
            # only when given: a letter frozen before the field existed, or without it, keeps its snapshot
            # (and its hash: an unchanged case is not a new version)
            **({"form_of_address": t.form_of_address} if t.form_of_address else {}),
            "date_of_birth": t.date_of_birth.isoformat() if t.date_of_birth else None,
            "citizenships": [_country(c, lang) for c in t.citizenships or []],
            "citizenship_codes": list(t.citizenships or []),
            "residence_country": _country(t.residence_country, lang),
            "passport_number": t.passport_number or "",
            "passport_country": _country(t.passport_country, lang),
            "passport_country_code": t.passport_country,
            "passport_expiry": t.passport_expiry.isoformat() if t.passport_expiry else None,
            "education_level": t.education_level,
            "education_field": t.education_field or "",
            "profession": t.profession or "",
            "french_nclc": t.french_nclc,
            "english_clb": t.english_clb,
            "language_proof": t.language_proof or "",
            "employment": [
                {
                    "employer": r.foreign_enterprise.name
                    if r.foreign_enterprise
                    else (r.employer_name or ""),
                    "country": _country(r.country, lang),
                    "job_title": r.job_title or "",
                    "capacity": r.capacity,
                    "start_date": r.start_date.isoformat(),
                    "end_date": r.end_date.isoformat() if r.end_date else None,
                    "full_time": r.full_time_on(case.assessed_as_of or on),  # as the assessment judged it
                    "hours_per_week": f"{float(r.hours_per_week):g}"
                    if r.hours_per_week is not None
                    else None,
                    # the French duties in a French document, when the job gives them (as the role's)
                    "duties": r.duties_in(lang) or "",
                    "with_group": r.foreign_enterprise_id is not None,
                }
                for r in t.employment
            ],
        },
        "passport_to_use": a.get("where", {}).get("passport"),
        # where the assessment has the worker apply ("POE", "online-outside", "in-Canada", None): the letter is
        # addressed to the officer who decides there (CBSA's at a port of entry, IRCC's otherwise)
        "applies_at": a.get("where", {}).get("place"),
        # the assessed facts (answers included): what the letter's argument may cite
        "facts": case.facts_snapshot or {},
        "evidence": annexes(case, lang, assessment=a, files=evidence),
    }


def annexes(
    case: Case,
    lang: str,
    *,
    assessment: dict[str, Any] | None = None,
    files: list[EvidenceFile] | None = None,
) -> list[dict[str, Any]]:
    """The evidence checklist in order, each item with the annex letters of its uploaded files, as the
    packet appends them (the support letter is Annex A, then one annex per file, B, C, ..., in the order
    of ``evidence_of``), and its status as ``evidence_checklist`` gives it. ``assessment``: the case's
    assessment in ``lang`` when the caller has it; ``files``: its evidence files, likewise."""
    shown = assessment if assessment is not None else case.assessment_in(lang)
    keys = (shown if lang == "en" else case.assessment_in("en")).get("evidence") or []
    texts = shown.get("evidence") or keys
    letters_of: dict[str, list[str]] = {}
    for index, e in enumerate(evidence_of(case) if files is None else files):
        letters_of.setdefault(rules.evidence_item_of(e.item, keys) or e.item, []).append(annex_letter(index))
    out = []
    for key, text in zip(keys, texts, strict=False):
        status = evidence_status(key, attached=key in letters_of)
        out.append({"key": key, "text": text, "annexes": letters_of.pop(key, []), "status": status})
    # files of an item no longer listed (the case was re-assessed since): annexed all the same, so named
    on = date.fromisoformat(shown["as_of"]) if shown.get("as_of") else None
    for key, annexed in letters_of.items():
        text = rules.evidence_in(key, lang, on) if on else key
        out.append({"key": key, "text": text, "annexes": annexed, "status": "attached"})
    return out


def packet_snapshot(
    case: Case, org: Organization, *, lang: str, on: date, evidence: list[EvidenceFile] | None = None
) -> dict[str, Any]:
    """The packet's frozen input besides its letter (``evidence``: the case's files, as in
    ``letter_snapshot``)."""
    a = case.assessment_in(lang)
    files = evidence_of(case) if evidence is None else evidence
    return {
        "assessment": {
            k: a.get(k)
            for k in (
                "ruleset_version",
                "as_of",
                "route",
                "recommended",
                "codes_fit",
                "questions",
                "employer_step",
                "where",
                "durations",
                "evidence",
                "obligations",
                "warnings",
            )
        },
        "evidence_keys": (a if lang == "en" else case.assessment_in("en")).get("evidence") or [],
        "evidence_files": [
            {
                "id": e.id,
                "item": e.item,
                "filename": e.filename,
                "content_type": e.content_type,
                "sha256": e.sha256,
                "storage_path": e.storage_path,
            }
            for e in files
        ],
        "case_id": case.id,
        # the day the compliance page counts from once the permit is issued (compliance.first_day_of: the
        # first day recorded, else the later of the permit's issue and the planned start), so the packet's
        # calendar and the page agree; before the permit, the role's planned start (``calendar``)
        "first_day_on": first_day.isoformat() if (first_day := first_day_of(case)) else None,
        "first_day_recorded": case.first_day_on is not None,
    }


# --------------------------------------------------------------------------- contexts
def letter_context(letter: Letter) -> dict[str, Any]:
    return {
        "l": letter,
        "kind": letter["kind"],
        "sections": letter.get("sections") or letters.argue(letter),
        "markup": markup.to_html,
        "letter_date": common.day(letter, letter["date"]),
        "code_title": common.code_title(letter),
        "signatory_title": common.signatory_title(letter),
        "identity": common.identity(letter),
        "labels": labels,
        "capacity_label": lambda v: labels.label(labels.CAPACITY, v),
        "education_label": lambda v: labels.label(labels.EDUCATION, v),
    }


def prechecks(letter: Letter, packet: dict[str, Any]) -> list[dict[str, Any]]:
    """What IRCC refuses or users get wrong in the Employer Portal offer, flagged before filing, what
    the support letter (Annex A) still leaves to complete, then each evidence item still missing (a
    warning each)."""
    return (
        _offer_checks(letter, packet)
        + _letter_gaps(letter)
        + [
            {
                "level": "warning",
                "field": _("Evidence"),
                # not "Missing: ..." after the field's "Evidence:" (two colons in a row, tour)
                "message": _(
                    "%(item)s is missing from the checklist. Upload it before filing.", item=item["item"]
                ),
            }
            for item in evidence_checklist(packet)
            if item["status"] == "missing"
        ]
        + _unlisted_files(letter, packet)
    )


def recorded_prechecks(snapshot: dict[str, Any], lang: str) -> list[dict[str, str]] | None:
    """A packet's ``prechecks`` as its PDF says them (in ``lang``), to keep on its row when it is requested
    (``Document.prechecks``); None for a support letter."""
    if "packet" not in snapshot:
        return None
    with force_locale(lang):
        return [
            {"level": str(c["level"]), "field": str(c["field"]), "message": str(c["message"])}
            for c in prechecks(snapshot["letter"], snapshot["packet"])
        ]


def offer_problems(document: Document) -> list[dict[str, Any]]:
    """The problems the packet's pre-checks flag in the Employer Portal offer itself (a required field
    left empty, "see attached" in a field), from its snapshot: the review page says them beside the
    packet, where they were read only on its "Pre-checks before filing" page. None for a support letter."""
    snapshot = document.snapshot or {}
    if document.kind != "packet" or "letter" not in snapshot or "packet" not in snapshot:
        return []
    return [c for c in _offer_checks(snapshot["letter"], snapshot["packet"]) if c["level"] == "error"]


def _unlisted_files(letter: Letter, packet: dict[str, Any]) -> list[dict[str, Any]]:
    """A file uploaded for an item the checklist no longer lists (the case was re-assessed to another
    code since): still annexed, so the consultant checks it belongs to this application."""
    keys, as_of = packet["evidence_keys"], packet["assessment"].get("as_of")
    return [
        {
            "level": "warning",
            "field": _("Evidence"),
            "message": _(
                "%(file)s was uploaded for “%(item)s”, which the checklist no longer lists: it is annexed; "
                "remove it from the case's documents page if it does not belong to this application.",
                file=f["filename"],
                item=annex_item(f["item"], {}, lang=letter["lang"], as_of=as_of),
            ),
        }
        for f in packet["evidence_files"]
        if rules.evidence_item_of(f["item"], keys) is None
    ]


# A placeholder the letter leaves for its author (letters.common.missing); "enclose ..." ones name evidence
# still to upload, which the evidence warnings already list.
LETTER_GAP = re.compile(r"\[(?:to complete|à compléter)\s*:\s*([^\]]+)\]")
ENCLOSURE_GAPS = ("enclose ", "joindre ")


def letter_gaps(letter: Letter) -> list[str]:
    """What the letter's text still leaves to complete, each once, in reading order: the inside of its
    "[to complete: ...]" placeholders, enclosures included (recorded on a document when it is requested,
    ``Document.letter_gaps``)."""
    gaps: list[str] = []
    for section in letter.get("sections") or letters.argue(letter):
        for found in LETTER_GAP.finditer(section["text"]):
            # one space for each run of white space, its no-break spaces kept ("100\u00a0%", "p.\u00a0ex.")
            what = re.sub(r"[^\S\u00a0]+", " ", found.group(1)).strip()
            if what not in gaps:
                gaps.append(what)
    # the signature block's title is no section an edit could complete: asked for whatever the sections say
    title = LETTER_GAP.search(common.signatory_title(letter))
    if title and title.group(1) not in gaps:
        gaps.append(title.group(1))
    return gaps


def gap_marker(lang: str) -> str:
    """How a letter in ``lang`` marks what is left to complete (the gaps are listed in its language)."""
    return "[à compléter : …]" if lang == "fr" else "[to complete: …]"


def gaps_to_show(gaps: list[str]) -> tuple[list[str], int]:
    """A document's recorded gaps as the documents page says them: what to write in the letter, and how
    many documents it still asks to enclose (the evidence checklist names them)."""
    to_write = [what for what in gaps if not what.startswith(ENCLOSURE_GAPS)]
    return to_write, len(gaps) - len(to_write)


def _letter_gaps(letter: Letter) -> list[dict[str, Any]]:
    """Each thing the support letter still leaves to complete (once): a problem to fix, as a consultant
    would send the packet back for it (the pre-checks said "0 problems" over a letter with gaps)."""
    gaps = [what for what in letter_gaps(letter) if not what.startswith(ENCLOSURE_GAPS)]
    # the signature block's title is given when the packet is made, not in the case's data nor in a section
    untitled = LETTER_GAP.search(common.signatory_title({**letter, "signatory": {}}))
    return [
        {
            "level": "error",
            "field": _("Support letter"),
            "message": _(
                "The letter is signed without the signatory's title: give it in “Signatory's title” when you make the packet, or as the organization's default on the letterhead page, then make the packet again."
            )
            if untitled and what == untitled.group(1)
            else _(
                "Still to complete in the letter: %(what)s. Add it to the case's data, or write it in the letter, then make the packet again.",
                what=what,
            ),
        }
        for what in gaps
    ]


def _offer_checks(letter: Letter, packet: dict[str, Any]) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = []
    w, p = letter["worker"], letter["position"]

    def flag(level: str, field: str, message: str) -> None:
        issues.append({"level": level, "field": field, "message": message})

    required = {
        _("Worker's given names"): w["given_names"],
        _("Worker's family name"): w["family_name"],
        _("Date of birth"): w["date_of_birth"],
        _("Passport number"): w["passport_number"],
        _("Citizenship"): w["citizenships"],
        _("Job title"): p["title"],
        _("NOC 2021 code"): p["noc_code"],
        _("Main duties"): p["duties"],
        _("Wage (hourly)"): p["wage_hourly"],
        _("Hours per week"): p["hours_per_week"],
        _("Start date"): p["start_date"],
        _("Duration"): p["duration_months"],
    }
    for name, value in required.items():
        if value in (None, "", []):
            flag("error", name, _("Required in the Employer Portal and empty here."))
    if not p["street_address"]:  # the data sheet shows the city and province: only the street is missing
        flag(
            "error",
            _("Work address"),
            _(
                "The street address is missing: the Employer Portal asks for the full address of the workplace."
            ),
        )
    texts = {_("Main duties"): p["duties"], _("Job title"): p["title"]}
    for name, value in texts.items():
        lowered = (value or "").lower()
        if any(marker in lowered for marker in SEE_ATTACHED):
            flag(
                "error",
                name,
                _("Never write “see attached” in a field: IRCC may refuse the offer. Type the text."),
            )
        if len(value or "") > LONG_TEXT:
            flag(
                "warning",
                name,
                _(
                    "Longer than %(n)d characters: shorten it so the Employer Portal keeps all of it.",
                    n=LONG_TEXT,
                ),
            )
    eligible = [c for c in w["citizenship_codes"]]
    passport_to_use = letter.get("passport_to_use")
    issues.extend(_passport_checks(letter, packet))
    if w["passport_country_code"] and passport_to_use and w["passport_country_code"] != passport_to_use:
        flag(
            "error",
            _("Passport"),
            _(
                "The passport entered is from %(entered)s, but the citizenship that gives eligibility is %(needed)s: enter that passport, or the offer will not match the application.",
                entered=w["passport_country"],
                needed=_country(passport_to_use, letter["lang"]),
            ),
        )
    elif w["passport_country_code"] and eligible and w["passport_country_code"] not in eligible:
        flag("error", _("Passport"), _("The passport country is not one of the worker's citizenships."))
    if letter["code"] in ("C63", "C14") or letter["code"] in ("C61", "C62", "T41", "T42", "T44"):
        wage, prevailing = p["wage_hourly"], p["prevailing_wage_hourly"]
        if wage and prevailing and float(wage) < float(prevailing):
            level = "error" if letter["code"] in ("C63", "C14") else "warning"
            flag(
                level,
                _("Wage (hourly)"),
                _(
                    "The wage (%(wage)s) is below the prevailing wage (%(prevailing)s) for this code.",
                    wage=money(wage, "hour"),
                    prevailing=money(prevailing, "hour"),
                ),
            )
        elif wage and not prevailing:
            flag(
                "warning",
                _("Wage (hourly)"),
                _("Enter the prevailing wage for the NOC and region to check the wage requirement."),
            )
    for question in packet["assessment"].get("questions") or []:
        if letter["code"] in question.get("codes", []):
            flag("warning", question["fact"], _("Open question for this code: %(q)s", q=question["question"]))
    return issues


def _passport_checks(letter: Letter, packet: dict[str, Any]) -> list[dict[str, Any]]:
    """The passport entered: expired (no permit is issued on it), expiring before the job starts (the
    offer must give the renewed one), or ending the permit early (the rules engine's ``passport_cap``)."""
    issues: list[dict[str, Any]] = []
    p = letter["position"]

    def flag(level: str, field: str, message: str) -> None:
        issues.append({"level": level, "field": field, "message": message})

    expiry = letter["worker"].get("passport_expiry")  # not in the snapshots of before 2026-12-06
    if expiry and expiry < letter["date"] and "US" in (letter["worker"].get("citizenship_codes") or []):
        # a US citizen needs no passport to enter (R52(2)) and gets a permit whatever its expiry (imp-rules
        # §1.5), but the offer is matched to the application by the passport's number
        flag(
            "error",
            _("Passport"),
            _(
                "The passport entered expired on %(date)s: the offer is matched to the work permit application by the passport's number, so enter the passport the worker will apply with.",
                date=day(expiry),
            ),
        )
    elif expiry and expiry < letter["date"]:  # ISO dates compare as text
        flag(
            "error",
            _("Passport"),
            _(
                "The passport entered expired on %(date)s: no permit is issued on it. Enter the passport the worker will travel on.",
                date=day(expiry),
            ),
        )
    elif expiry and p["start_date"] and expiry < p["start_date"]:
        # tour: a passport expiring 2027-01-15 before a 2027-03-01 start gave "0 problems to fix". The worker
        # applies on a renewed passport, and the offer is matched to the application by its number (a US
        # citizen's too, whom the rules engine does not warn: no passport is needed to enter, R52(2))
        flag(
            "error",
            _("Passport"),
            _(
                "The passport entered expires on %(date)s, before the job starts (%(start)s): the worker applies on a renewed passport, and the offer must give its number (the offer is matched to the application by it). Enter the new passport before filing.",
                date=day(expiry),
                start=day(p["start_date"]),
            ),
        )
    for warned in (packet.get("assessment") or {}).get("warnings") or []:
        if warned.get("id") == "passport_cap":  # the rules engine's limit: the permit ends with the passport
            flag("warning", _("Passport"), warned["text"])
    return issues


def evidence_checklist(packet: dict[str, Any]) -> list[dict[str, Any]]:
    """Each evidence item of the code with its status: ``letter`` (the support letter, Annex A, answers
    it), ``attached`` (a file is uploaded), ``after_filing`` (it comes from filing the offer) or ``missing``.
    The checklist page and the pre-checks both read this, so they cannot disagree."""
    keys = packet["evidence_keys"]
    uploaded = {rules.evidence_item_of(e["item"], keys) for e in packet["evidence_files"]}
    out = []
    for key, text in zip(packet["evidence_keys"], packet["assessment"].get("evidence") or [], strict=False):
        out.append({"key": key, "item": text, "status": evidence_status(key, attached=key in uploaded)})
    return out


class Prose(str):
    """A value of the data sheet that is running text of any length (how the job meets the exemption):
    its row may continue on the next page, as a paragraph does, where every other row is kept whole."""

    __slots__ = ()
    prose = True


def data_sheet(letter: Letter) -> list[tuple[str, list[tuple[str, str]]]]:
    """The Employer Portal offer, field by field, in the order the portal asks for them."""
    e, w, p = letter["employer"], letter["worker"], letter["position"]
    duties = duty_lines(p["duties"])
    address = f"{p['street_address']}, {p['city']} {p['province']}".strip(", ")
    return [
        (
            _("Employer"),
            [
                (_("Legal name"), e["legal_name"]),
                (_("Operating name"), e["operating_name"] or ""),
                (_("CRA business number"), e["business_number"] or ""),
                (_("Address"), f"{e['street_address']}, {e['city']} {e['province']} {e['postal_code']}"),
                (_("Telephone"), e["telephone"]),
                (_("Number of employees"), str(e["employees"])),
                (_("Gross annual revenue"), money(e["gross_annual_revenue"])),
            ],
        ),
        (
            _("Foreign national"),
            [
                (_("Family name"), w["family_name"]),
                (_("Given names"), w["given_names"]),
                (_("Date of birth"), day(w["date_of_birth"])),
                (_("Citizenship"), ", ".join(w["citizenships"])),
                (_("Country of residence"), w["residence_country"]),
                (_("Passport number"), w["passport_number"]),
                (_("Passport issued by"), w["passport_country"]),
            ],
        ),
        (
            _("Exemption"),
            [
                (_("LMIA exemption code"), f"{letter['code']} — {letter['code_label']}"),
                (_("How the job meets the exemption"), Prose(letters.demonstration(letter))),
            ],
        ),
        (
            _("Job"),
            [
                (_("Job title"), p["title"]),
                (_("NOC 2021 code"), f"{p['noc_code']} — {p['noc_title']} ({_('TEER')} {p['teer']})"),
                # one duty a line where typed so: "; " between them, as the portal's one field reads them
                (_("Main duties"), common.t(letter, "; ", " ; ").join(duties) + "." if duties else ""),
                (_("Education and experience required"), job_requirements(p["teer"])),
            ],
        ),
        (
            _("Wages and working conditions"),
            [
                (_("Wage (hourly)"), money(p["wage_hourly"], "hour")),
                # the same figure twice when the wage is offered by the hour (tour): said once
                *(
                    []
                    if p["wage_unit"] == "hour"
                    else [(_("Wage as offered"), money(p["wage_amount"], p["wage_unit"]))]
                ),
                (_("Hours per week"), number(p["hours_per_week"]) if p["hours_per_week"] else ""),
            ],
        ),
        (
            _("Location and dates"),
            [
                (_("Work address"), address),
                (_("Start date"), day(p["start_date"])),
                (_("Duration (months)"), str(p["duration_months"] or "")),
            ],
        ),
        (
            _("Attestations"),
            [
                (
                    _("Employment agreement"),
                    _(
                        "Signed in the worker's chosen official language, with the same occupation, wages and conditions; a copy given to the worker."
                    ),
                ),
                (
                    _("Fees"),
                    _("No compliance fee or recruitment fee charged to or recovered from the worker."),
                ),
                (
                    _("Certifications"),
                    _(
                        "Actively engaged in the business; compliant with employment and recruitment laws; same occupation, wages and conditions; reasonable efforts for an abuse-free workplace."
                    ),
                ),
            ],
        ),
    ]


def job_requirements(teer: str | None) -> str:
    """What the job asks of whoever holds it (NOC 2021 TEER category), never the worker's own education."""
    return {
        "0": _("Management occupation: completed education and experience in the field usually required."),
        "1": _("A university degree is usually required (TEER 1)."),
        "2": _(
            "A college diploma of two years or more, an apprenticeship of two years or more, or supervisory "
            "duties is usually required (TEER 2)."
        ),
        "3": _(
            "A college diploma of less than two years, an apprenticeship of less than two years, or more "
            "than six months of on-the-job training is usually required (TEER 3)."
        ),
        "4": _("A high school diploma or several weeks of on-the-job training is usually required (TEER 4)."),
        "5": _("Short-term work demonstration and no formal education required (TEER 5)."),
    }.get(teer or "", "")


def calendar(letter: Letter, packet: dict[str, Any]) -> dict[str, Any] | None:
    """The compliance dates from the job's first day as the compliance page counts it once the permit is
    issued, else the role's planned start (``first_day_recorded``: whether the case recorded it)."""
    start = packet.get("first_day_on") or letter["position"]["start_date"]
    if not start or not letter["code"]:
        return None
    try:
        dates = rules.compliance_calendar(
            letter["code"], date.fromisoformat(start), capacity=letter["position"].get("capacity")
        )
    except (ValueError, LookupError, TypeError):  # rules.ParameterError is a LookupError: a start before the
        # rule set's parameters (1970) failed the packet's render in the worker
        log.exception("No compliance calendar for %s", letter["code"])
        return None
    # snapshots of before 2026-12-07 hold only a recorded first day
    return {**dates, "first_day_recorded": packet.get("first_day_recorded", bool(packet.get("first_day_on")))}


def calendar_names(dates: dict[str, Any] | None) -> dict[str, str]:
    """The packet calendar's rows in order, named as the compliance page names them."""
    first = (
        _("First day of work")
        if dates and dates.get("first_day_recorded")
        else _("First day of work (planned)")
    )
    order = (
        "records_keep_until",
        "inspection_window_end",
        "permit_expiry",
        "renewal_offer_due",
        "ict_cap_end",
        "c61_switch_date",
        "service_months_used_up",
        "service_window_end",
    )
    return {"first_day": first, **{key: str(CALENDAR_ITEMS[key]) for key in order}}


def annex_item(item: str, item_text: dict[str, str], *, lang: str, as_of: str | None) -> str:
    """The checklist item an evidence file was uploaded for, in the packet's language (``item_text``: each
    listed item's English key -> its text): the item that replaced it when it was renamed, else the rules'
    text of an item no longer listed."""
    listed = rules.evidence_item_of(item, item_text)
    if listed is not None:
        return item_text[listed]
    return rules.evidence_in(item, lang, date.fromisoformat(as_of)) if as_of else item


def packet_context(
    snapshot: dict[str, Any], *, letter_pages: int, evidence: list[dict[str, Any]]
) -> dict[str, Any]:
    letter, packet = snapshot["letter"], snapshot["packet"]
    checks = prechecks(letter, packet)
    # an evidence file is stored under its item's English key: the contents page names it in the packet's language
    item_text = dict(zip(packet["evidence_keys"], packet["assessment"].get("evidence") or [], strict=False))
    dates = calendar(letter, packet)
    return {
        "l": letter,
        "a": packet["assessment"],
        "checks": checks,
        "checklist": evidence_checklist(packet),
        "sheet": data_sheet(letter),
        "calendar": dates,
        "calendar_names": calendar_names(dates),
        "letter_pages": letter_pages,
        "letter_anchor": annex_anchor("A"),
        "evidence": [
            {
                **{k: v for k, v in e.items() if k not in ("pdf", "html")},
                "item": annex_item(
                    e["item"], item_text, lang=letter["lang"], as_of=packet["assessment"].get("as_of")
                ),
                "letter": annex_letter(i),
                "anchor": annex_anchor(annex_letter(i)),
            }
            for i, e in enumerate(evidence)
        ],
        "labels": labels,
        "errors": [c for c in checks if c["level"] == "error"],
        "part_titles": part_titles(has_calendar=dates is not None),
    }


# The packet's own sections, each a part rendered apart (portal/documents/parts.py), in their order; the
# obligations, last, come from the section cache (portal/documents/sections.py, same anchor).
def packet_parts(context: dict[str, Any]) -> list[str]:
    """The parts of templates/documents/packet.html after its front (cover and contents)."""
    return ["sheet", "checks", *(["calendar"] if context["calendar"] else []), "checklist"]


def part_titles(*, has_calendar: bool) -> list[tuple[str, str]]:
    """The contents page's lines for the packet's own sections: (anchor, title), in the merged order."""
    titles = [
        ("sheet", _("Employer Portal data sheet")),
        ("checks", _("Pre-checks before filing")),
        *([("calendar", _("Compliance calendar"))] if has_calendar else []),
        ("checklist", _("Evidence checklist")),
        ("obligations", _("The employer's obligations")),
    ]
    return [(f"part-{name}", title) for name, title in titles]


def annex_starts(body_pages: int, letter_pages: int, evidence: list[dict[str, Any]]) -> dict[str, int]:
    """The first page (0-based, in the merged packet) of each annex, by its contents-page anchor: the
    support letter right after the packet's own pages, then each evidence file in order."""
    starts = {annex_anchor("A"): body_pages}
    page = body_pages + letter_pages
    for i, e in enumerate(evidence):
        starts[annex_anchor(annex_letter(i))] = page
        page += e["pages"]
    return starts


def evidence_files(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each evidence file, verified against its hash, with its page count: a PDF as it is (``pdf``), an
    image as the HTML of the one page it is placed on (``html``, ``pdf`` None until ``placed_image``:
    rendered with the packet's other parts, in parallel)."""
    out = []
    for f in files:
        data = store.read_verified(f["storage_path"], f["sha256"])  # StoredFileMismatch is a ValueError
        entry: dict[str, Any] = {"item": f["item"], "filename": f["filename"], "pdf": None, "html": None}
        if f["content_type"] == "pdf":
            with Pdf.open(io.BytesIO(data)) as pdf:
                entry.update(pdf=data, pages=len(pdf.pages))
        else:  # documents.css: the image at most 230 mm high, within the page's 235 mm
            uri = f"data:image/{f['content_type']};base64," + base64.b64encode(data).decode()
            page = (
                f'<html><body class="evidence-page"><p class="evidence-caption"></p>'
                f'<img class="evidence-image" src="{uri}" alt=""></body></html>'
            )
            entry.update(html=page, pages=IMAGE_PAGES)
        out.append(entry)
    return out


IMAGE_PAGES = 1  # an image evidence file is placed on one page


def placed_image(entry: dict[str, Any], data: bytes, pages: int) -> None:
    """The rendered page of an image evidence file (``entry`` from ``evidence_files``)."""
    if pages != IMAGE_PAGES:  # the contents page counted one: a layout change must not shift the annexes
        raise ValueError(f"the image {entry['filename']!r} took {pages} pages instead of {IMAGE_PAGES}")
    entry["pdf"] = data
