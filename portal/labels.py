"""Display labels (English/French) for the rules engine's enumerations and for countries."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask import Flask

# WTForms 3.3's SelectChoice: types-WTForms (3.2, the newest) does not declare it yet, so it is Any for
# mypy. The forms import it from here (or forms_common), so this is the one place that says so.
from wtforms.fields.choices import SelectChoice as SelectChoice  # type: ignore[attr-defined]  # see above

import rules
from portal import clock, i18n
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import ngettext
from portal.models.statuses import CaseStatus, DocumentStatus, EngagementStatus, ReviewDecision
from rules import noc
from rules.field_labels import field_label
from rules.fields import (
    BY_PATH,
    CAPACITIES,
    EDUCATION_LEVELS,
    IEC_CATEGORIES,
    PERMIT_TYPES,
    RELATIONSHIPS,
    WORK_TYPES,
)
from rules.kinds import country_names

if TYPE_CHECKING:
    from portal.auditlog.services import ObjectRef

CAPACITY = {
    "executive": _l("Executive"),
    "manager": _l("Senior manager or manager"),
    "specialized_knowledge": _l("Specialized knowledge"),
    "trainee": _l("Trainee"),
    "professional": _l("Professional"),
    "technician": _l("Technician"),
    "other": _l("Other"),
}
WORK_TYPE = {
    "regular": _l("Regular job"),
    "service_contract": _l("Service contract"),
    "repair": _l("Repair of equipment"),
    "film_tv_production": _l("Film or TV production"),
    "performing_arts": _l("Performing arts"),
    "visiting_professor": _l("Visiting professor"),
    "guest_lecturer": _l("Guest lecturer"),
    "exchange_teacher": _l("Exchange teacher"),
    "athlete_or_coach": _l("Athlete or coach"),
    "camp_counsellor": _l("Camp counsellor"),
    "religious": _l("Religious work"),
    "charitable": _l("Charitable work"),
}
RELATIONSHIP = {
    "parent": _l("Parent company"),
    "subsidiary": _l("Subsidiary"),
    "branch": _l("Branch"),
    "affiliate": _l("Affiliate"),
    "service_contract": _l("Service contract only"),
    "supplier_client": _l("Supplier or client"),
    "licensing": _l("Licensing agreement"),
    "franchise": _l("Franchise"),
    "minor_shareholding": _l("Minority shareholding"),
    "shared_board_members": _l("Shared board members"),
    "consortium": _l("Consortium or joint venture"),
    "none": _l("No relationship"),
}
EDUCATION = {
    "none": _l("None"),
    "secondary": _l("Secondary school"),
    "post_secondary_1y": _l("One-year post-secondary"),
    "post_secondary_2y": _l("Two-year post-secondary"),
    "post_secondary_3y": _l("Three-year post-secondary"),
    "bachelor": _l("Bachelor's degree"),
    "master": _l("Master's degree"),
    "doctorate": _l("Doctorate"),
}
# How the support letter names the worker after its first mention (transferees.form_of_address): the English
# title, and the French one ("M.", "Mme"); French has no established neutral title, so a French letter names a
# "Mx." by the full name (portal/documents/letters/common.py worker_name).
FORM_OF_ADDRESS = {
    "mr": _l("Mr. (French: M.)"),
    "ms": _l("Ms. (French: Mme)"),
    "mx": _l("Mx. (French letters: the full name)"),
}

PERMIT = {
    "none": _l("None"),
    "open": _l("Open work permit"),
    "employer_specific": _l("Employer-specific work permit"),
    "study": _l("Study permit"),
    "visitor": _l("Visitor"),
}
IEC = {
    "none": _l("No"),
    "working_holiday": _l("Working Holiday"),
    "young_professionals": _l("Young Professionals"),
    "international_coop": _l("International Co-op"),
}
WAGE_UNIT = {"hour": _l("per hour"), "week": _l("per week"), "month": _l("per month"), "year": _l("per year")}
# One label table per status enum (portal/models/statuses.py); a test checks each covers its enum.
# Every status or badge word is here, in sentence case ("Ready", "Not met", "Failed: send it again"), so
# that the badges read alike from one page to the next (BADGE_TABLES; tests/portal/test_badges.py reads
# them, and the pages' badges, in English and French; the case stages are cases.labels.STAGE_LABELS).
STATUS = {  # of a case
    CaseStatus.DRAFT: _l("Draft"),
    CaseStatus.READY: _l("Ready"),
    CaseStatus.SUBMITTED: _l("Submitted"),
    CaseStatus.APPROVED: _l("Approved"),
    CaseStatus.CLOSED: _l("Closed"),
}
DOCUMENT_STATUS = {
    DocumentStatus.QUEUED: _l("Queued"),
    DocumentStatus.RENDERING: _l("Rendering"),
    DocumentStatus.READY: _l("Ready"),
    DocumentStatus.FAILED: _l("Failed"),
}
DOCUMENT_STATUS_BADGE = {  # Bootstrap classes of the status badge (also given to static/js/documents.js)
    DocumentStatus.QUEUED: "text-bg-secondary",
    DocumentStatus.RENDERING: "text-bg-info",
    DocumentStatus.READY: "text-bg-success",
    DocumentStatus.FAILED: "text-bg-danger",
}
ENGAGEMENT_STATUS = {
    EngagementStatus.INVITED: _l("Invited"),
    EngagementStatus.ACTIVE: _l("Active"),
    EngagementStatus.REVOKED: _l("Revoked"),
}
REVIEW_DECISION = {ReviewDecision.APPROVED: _l("Approved"), ReviewDecision.RETURNED: _l("Returned")}
# The review state of one document version (the consultant's review page): its latest decision, if any.
VERSION_NOT_REVIEWED = "not_reviewed"
VERSION_STATE = {
    VERSION_NOT_REVIEWED: _l("Not reviewed"),
    ReviewDecision.RETURNED: _l("Returned"),
    ReviewDecision.APPROVED: _l("Approved"),
}
VERSION_STATE_BADGE = {
    VERSION_NOT_REVIEWED: "text-bg-secondary",
    ReviewDecision.RETURNED: "text-bg-warning",
    ReviewDecision.APPROVED: "text-bg-success",
}
STATUS_LABELS = (
    (CaseStatus, STATUS),
    (DocumentStatus, DOCUMENT_STATUS),
    (EngagementStatus, ENGAGEMENT_STATUS),
    (ReviewDecision, REVIEW_DECISION),
)
# The parts of an offer-submission packet a consultant's comment can name (as the PDF titles them).
PACKET_PART = {
    "sheet": _l("Employer Portal data sheet"),
    "checks": _l("Pre-checks before filing"),
    "obligations": _l("The employer's obligations and compliance dates"),
    "checklist": _l("Evidence checklist"),
    "annexes": _l("Annexed evidence"),
}


def section_label(section: str, heading: str | None = None) -> str:
    """The name of a reviewed document's section: ``packet:<part>`` -> the part's name in the reader's
    language; ``letter:<key>`` -> 'Support letter: "<heading>"', the heading quoted as the letter has it, in the
    document's language (« Purpose of this letter » beside a French label reads as the letter's own words)."""
    kind, _sep, key = section.partition(":")
    if kind == "packet":
        return str(PACKET_PART.get(key, key))
    return str(_l("Support letter: “%(heading)s”", heading=heading or key))


ROUTE = {
    "IMP": _l("LMIA-exempt (IMP)"),
    "TFWP": _l("LMIA needed (TFWP)"),
    "open_permit": _l("Open work permit"),
    "no_permit": _l("No work permit needed"),
    "pending": _l("Needs answers"),
}

# The rules engine's value lists beside our labels (a test checks they cover each other).
ENUMS = (
    (CAPACITIES, CAPACITY),
    (WORK_TYPES, WORK_TYPE),
    (RELATIONSHIPS, RELATIONSHIP),
    (EDUCATION_LEVELS, EDUCATION),
    (PERMIT_TYPES, PERMIT),
    (IEC_CATEGORIES, IEC),
)


def choices(labels: Mapping[str, str], blank: str | None = None) -> list[SelectChoice]:
    out = [SelectChoice("", blank)] if blank is not None else []
    return out + [SelectChoice(value, label) for value, label in labels.items()]


def lang() -> str:
    locale = i18n.current_locale()
    return locale.language if locale else "en"


def country_name(code: str | None, language: str | None = None) -> str:
    """The country's name in ``language`` (default: the user's)."""
    if not code:
        return ""
    return country_names(language or lang()).get(code, code)  # the rules' names, as the warnings give them


def noc_title(code: str | None, language: str | None = None) -> str:
    """The NOC 2021 unit-group title in ``language`` (default: the user's); French: the CNP 2021 title."""
    return noc.title(code, language or lang())


def _sort_key(name: str) -> str:
    """Alphabetical as a reader expects it: accents and case aside (Égypte between Danemark and
    Fidji, not after Zimbabwe)."""
    bare = unicodedata.normalize("NFKD", name)
    return "".join(c for c in bare if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=4)
def _sorted_countries(lang: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(country_names(lang).items(), key=lambda kv: _sort_key(kv[1])))


def country_choices() -> list[SelectChoice]:
    """Every country, by name in the user's language (a new list: a form may add its blank choice)."""
    return list(_country_choices(lang()))


@lru_cache(maxsize=4)
def _country_choices(language: str) -> tuple[SelectChoice, ...]:
    return tuple(SelectChoice(code, name) for code, name in _sorted_countries(language))


def label(labels: Mapping[str, str], value: str | None) -> str:
    if value is None:
        return ""
    return str(labels.get(value, value))


CRITERION_STATUS = {"met": _l("Met"), "not_met": _l("Not met"), "unknown": _l("Unknown")}
CRITERION_STATUS_BADGE = {"met": "text-bg-success", "not_met": "text-bg-danger", "unknown": "text-bg-warning"}
# An item of a case's evidence checklist (the documents page); "filed" is followed by the offer's number.
EVIDENCE_STATUS = {
    "letter": _l("Annex A (support letter)"),
    "attached": _l("Attached"),
    "after_filing": _l("After filing"),
    "filed": _l("Recorded"),
    "missing": _l("Missing"),
}
EVIDENCE_STATUS_BADGE = {
    "letter": "text-bg-success",
    "attached": "text-bg-success",
    "after_filing": "text-bg-secondary",
    "filed": "text-bg-success",
    "missing": "text-bg-warning",
}
# The other badges' words, by what they flag.
BADGE = {
    "to_verify": _l("To verify"),  # a point of the assessment to check (case page)
    "not_listed": _l("Not on the checklist"),  # an uploaded file of an item no longer listed
    "edited": _l("Edited by hand"),  # a letter section (review page)
    "group_company": _l("Group company"),  # a job abroad with the group (review page)
    "required": _l("Required"),  # a column of an import file
    "current": _l("Current"),  # the organization one works in (dashboard)
    "send_again": _l("Failed: send it again"),  # a document whose making failed (dashboard)
    "request_packet": _l("Request the packet"),  # (dashboard)
    # to a consultant: a packet they (or another consultant engaged) approved, which the employer files
    "employer_files": _l("The employer files the offer"),
    "no_reviewer": _l("Packet made: no consultant engaged on this case"),  # (dashboard)
    "record_offer": _l("Record the offer number"),  # an approved packet to file (dashboard)
}
BADGE_TABLES = (
    STATUS,
    DOCUMENT_STATUS,
    ENGAGEMENT_STATUS,
    REVIEW_DECISION,
    VERSION_STATE,
    CRITERION_STATUS,
    EVIDENCE_STATUS,
    BADGE,
)


def fact_label(path: str) -> str:
    """The short name of a fact (``employer.actively_engaged`` -> "Actively doing business") in the
    user's language, from ``rules.field_labels``."""
    return field_label(path, lang())


# Facts counted in months or years, and hourly amounts: their values carry the unit.
MONTH_FACTS = frozenset(
    {"position.duration_months", "position.planned_total_months", "worker.ict_months_used"}
)
YEAR_FACTS = frozenset({"worker.experience_years"})


def fact_value(path: str, value: object) -> str:
    """A fact's value in words for the reader: Yes/No, country and province names, labels, money,
    dates, numbers with their unit in the reader's format — never a Python repr (``True``, ``['IN']``,
    ``24500000.0``)."""
    spec = BY_PATH.get(path)
    kind = spec.kind if spec else ""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if kind == "employment":
        jobs = len(value) if isinstance(value, list) else 0
        return ngettext(
            "%(num)d job (see the employment history)", "%(num)d jobs (see the employment history)", jobs
        )
    if isinstance(value, list | tuple | dict):
        return _several(path, kind, value)
    if isinstance(value, int | float):
        return _quantity(path, value)
    return _word(path, kind, str(value))


def _word(path: str, kind: str, value: str) -> str:
    if kind == "country":
        return country_name(value)
    if kind == "province":
        return province_name(value)
    if kind == "noc":
        return f"{value} — {noc_title(value)}"
    if kind == "date":
        return i18n.day(value)
    if kind == "enum" and path in ENUM_LABELS:
        return label(ENUM_LABELS[path], value)
    if kind == "enum":
        return value.replace("_", " ")
    return value


def _quantity(path: str, value: float) -> str:
    if path.endswith("_hourly_cad"):
        return i18n.money(value, "hour")
    if path.endswith("_cad"):
        return i18n.money(value)
    if path.endswith("_pct"):
        return i18n.percent(value)
    if path in MONTH_FACTS:
        return ngettext("%(months)s month", "%(months)s months", int(value), months=i18n.number(value))
    if path in YEAR_FACTS:
        return ngettext("%(years)s year", "%(years)s years", int(value), years=i18n.number(value))
    return i18n.number(value)


PROVINCE = {  # also the province choices of the forms (forms_common.PROVINCES)
    "AB": "Alberta",
    "BC": _l("British Columbia"),
    "MB": "Manitoba",
    "NB": _l("New Brunswick"),
    "NL": _l("Newfoundland and Labrador"),
    "NS": _l("Nova Scotia"),
    "NT": _l("Northwest Territories"),
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": _l("Prince Edward Island"),
    "QC": _l("Quebec"),
    "SK": "Saskatchewan",
    "YT": "Yukon",
}


def province_name(code: str | None) -> str:
    return label(PROVINCE, code)


def _several(path: str, kind: str, value: list[Any] | tuple[Any, ...] | dict[Any, Any]) -> str:
    if not value:
        return _("None")
    if isinstance(value, dict):  # pct_map: country -> share
        return ", ".join(f"{country_name(str(k))} {i18n.percent(v)}" for k, v in value.items())
    if kind == "countries":
        return ", ".join(country_name(str(v)) for v in value if v != "NONE") or _("None")
    return ", ".join(fact_value(path, v) for v in value if not isinstance(v, dict)) or "—"


# The kinds of object an audit event names (the model's name, as recorded).
OBJECT_KIND = {
    "Case": _l("Case"),
    "Document": _l("Document"),
    "EvidenceFile": _l("Evidence file"),
    "Transferee": _l("Transferee"),
    "Position": _l("Canadian role"),
    "ForeignEnterprise": _l("Group company"),
    "Organization": _l("Organization"),
    "Membership": _l("Member"),
    "Invitation": _l("Invitation"),
    "Engagement": _l("Consultant"),
    "CalendarFeed": _l("Calendar link"),
    "User": _l("Account"),
}
DOCUMENT_KIND = {"support_letter": _l("Support letter"), "packet": _l("Offer-submission packet")}


# French elides "de" before a name that starts with a vowel: "Dossier d'Olek", not "de Olek" (as the
# letters do: portal/documents/letters/common.py)
_VOWELS = "AEIOUYÀÂÉÈÊÎÔaeiouyàâéèêîô"


def elide_before(template: str, field: str, value: str) -> str:
    """``template`` (translated, its ``field`` not yet filled) with "de " before ``field`` elided when the
    page is in French and ``value`` starts with a vowel: only the template's own "de", never one inside
    the value ("Maria de Oliveira" stays)."""
    if lang() == "fr" and value[:1] in _VOWELS:
        return template.replace(f"de {field}", f"d'{field}")
    return template


def object_label(ref: ObjectRef) -> str:
    """An audit event's object in words (``ref``: ``auditlog.services.ObjectRef``): "Avery Example
    (T37)", "Support letter (EN) v2 · Avery Example", "Group company Rocky Inc."."""
    kind = label(OBJECT_KIND, ref.kind)
    if not ref.exists:
        return _("%(kind)s (no longer exists)", kind=kind)
    detail = ref.detail
    if ref.kind == "Case":
        code = detail.get("code") or (label(ROUTE, detail["route"]) if detail.get("route") else "")
        template = _("Case of %(name)s (%(code)s)") if code else _("Case of %(name)s")
        return elide_before(template, "%(name)s", ref.name) % {"name": ref.name, "code": code}
    if ref.kind == "Document":
        return _(
            "%(kind)s (%(language)s) v%(version)s · %(name)s",
            kind=label(DOCUMENT_KIND, detail["document_kind"]),
            language=str(detail["language"]).upper(),
            version=detail["version"],
            name=ref.name,
        )
    if ref.kind == "EvidenceFile":  # the item is named in English (the checklist's key): said in the reader's
        item = rules.evidence_in(ref.name, lang(), clock.today())
        return _("Evidence: %(item)s (%(file)s)", item=item, file=detail["filename"])
    return f"{kind} {ref.name}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        object_label=object_label,
        fact_label=fact_label,
        fact_value=fact_value,
        country_name=country_name,
        label=label,
        labels=sys.modules[__name__],
        noc_title=noc_title,
        CaseStatus=CaseStatus,
        DocumentStatus=DocumentStatus,
        EngagementStatus=EngagementStatus,
        ReviewDecision=ReviewDecision,
    )
    app.jinja_env.filters["country_name"] = country_name


EMPLOYER_STEP = {
    "offer+fee": _l(
        "Submit the offer of employment in IRCC's Employer Portal and pay the employer compliance fee."
    ),
    "offer, fee-exempt": _l(
        "Submit the offer of employment in IRCC's Employer Portal; no compliance fee is due."
    ),
    "none": _l("No employer step: no offer of employment and no compliance fee."),
    "lmia": _l(
        "Apply to ESDC for a Labour Market Impact Assessment (TFWP); the processing fee is per position."
    ),
}
STEP_REASON = {
    "employer_specific_imp": _l("An employer-specific LMIA-exempt work permit (R209.11, R303.1)."),
    "unremunerated_r303_1_5": _l("The worker is not paid: the fee exemption for unremunerated work applies."),
    "regime_exempt_employer": _l(
        "This kind of employer is exempt from the IMP employer compliance regime (R209.91)."
    ),
    "tfwp": _l("No LMIA exemption fits the facts."),
    "open_permit": _l("The worker already holds an open work permit."),
    "canadian_citizen": _l(
        "The worker is a Canadian citizen: only foreign nationals need a work permit (IRPA s. 30(1))."
    ),
    "canadian_permanent_resident": _l(
        "The worker is a permanent resident of Canada: only foreign nationals need a work permit (IRPA s. 30(1))."
    ),
    "iec_working_holiday": _l(
        "International Experience Canada, Working Holiday: an open work permit the worker applies for."
    ),
    "spouse_open_permit": _l(
        "An open work permit the worker applies for as the spouse or common-law partner of a foreign worker."
    ),
}
PLACE = {
    "POE": _l("At a port of entry"),
    "online-outside": _l("Online, from outside Canada"),
    "in-Canada": _l("Online, from inside Canada"),
}
WHERE_REASON = {
    "always": _l("Always possible from outside Canada."),
    "worker_in_canada": _l("The worker is in Canada."),
    "r199_in_canada": _l("The worker is in Canada with status that allows applying from inside (R199)."),
    "r199_cusma": _l(
        "A Mexican citizen under any CUSMA category, or a US citizen as a CUSMA professional or intra-company transferee, may apply from inside Canada as a visitor (R199(h))."
    ),
    "visitor_public_policy": _l(
        "A visitor in Canada could apply from inside under the temporary public policy (until 2024-08-27)."
    ),
    "permit_unknown": _l(
        "Whether the worker may apply from inside Canada depends on the permit held (R199)."
    ),
    "r199_not_eligible": _l(
        "A visitor, or a person without a permit, usually cannot apply from inside Canada (R199; some can, e.g. a family member of a work or study permit holder): the worker applies from outside Canada, or at a port of entry where allowed."
    ),
    "permit_expired": _l(
        "The worker's permit has expired: without a valid work or study permit the worker cannot apply from inside Canada (R199)."
    ),
    "after_leaving_canada": _l("After leaving Canada."),
    "trv_exempt": _l("The passport used is visa-exempt, so the worker may apply on arrival."),
    "trv_required": _l("The passport used needs a visitor visa: apply online before travelling."),
    "flagpoling_restricted": _l(
        "Applying at the border after leaving Canada briefly (flagpoling) is restricted."
    ),
    "code_online_only": _l("This code is applied for online."),
    "us_permanent_resident": _l("US permanent residents may apply at a port of entry."),
    "online_recommended_for_code": _l("Online is recommended for this code."),
    "mexico_eta_online_recommended": _l(
        "A Mexican passport with an eTA: whether the worker may apply at a port of entry is not confirmed, so apply online before travelling."
    ),
    "citizenship_unknown": _l(
        "The worker's citizenship is not known yet: the passport decides whether a visa is needed."
    ),
    "already_authorized": _l("The worker is already authorized to work."),
    "iec_online": _l("IEC participants apply online after an invitation."),
    "spouse_applies": _l(
        "The worker applies for the open work permit as the partner's spouse or common-law partner."
    ),
    "no_permit": _l("A Canadian citizen or permanent resident needs no work permit."),
}

EMPLOYER_KIND = {
    "business": _l("Business"),
    "non_profit": _l("Non-profit organization"),
    "registered_charity": _l("Registered charity"),
    "religious_organization": _l("Religious organization"),
    "university": _l("University or college"),
    "school_board": _l("School board"),
    "professional_sports_team": _l("Professional sports team"),
    "foreign_government": _l("Foreign government"),
    "foreign_political_subdivision": _l("Foreign political subdivision"),
    "diplomatic_mission": _l("Diplomatic mission"),
    "international_organization": _l("International organization"),
    "international_bridge_tunnel": _l("International bridge or tunnel operator"),
}
PAID_BY = {
    "canadian_employer": _l("The Canadian employer"),
    "foreign_enterprise": _l("The foreign enterprise"),
    "self": _l("The worker's own business"),
}
SERVICE_SECTOR = {
    "advertising": _l("Advertising"),
    "architecture": _l("Architecture"),
    "computer_services": _l("Computer and related services"),
    "engineering": _l("Engineering"),
    "integrated_engineering": _l("Integrated engineering"),
    "legal_advisory": _l("Legal advisory services"),
    "management_consulting": _l("Management consulting"),
    "market_research": _l("Market research"),
    "research_and_development": _l("Research and development"),
    "technical_testing": _l("Technical testing and analysis"),
    "translation": _l("Translation and interpretation"),
    "urban_planning": _l("Urban planning and landscape architecture"),
    "environmental_services": _l("Environmental services"),
    "related_scientific_consulting": _l("Related scientific and technical consulting"),
    "education": _l("Education services"),
    "health": _l("Health services"),
    "recreation_culture_sport": _l("Recreational, cultural and sporting services"),
    "other": _l("Other"),
}
PRODUCTION_STAGE = {
    "pre_production": _l("Pre-production"),
    "production": _l("Production (filming)"),
    "post_production": _l("Post-production"),
}
REPAIR_KIND = {
    "emergency": _l("Emergency repair"),
    "out_of_warranty": _l("Repair out of warranty"),
    "under_warranty": _l("Repair under warranty or service contract"),
}
ARTS_DISCIPLINE = {
    "dance": _l("Dance"),
    "opera": _l("Opera"),
    "orchestral_music": _l("Orchestral music"),
    "live_theatre": _l("Live theatre"),
    "other": _l("Other"),
}
FRENCH_PROOF = {
    "tef_canada": _l("TEF Canada result"),
    "tcf_canada": _l("TCF Canada result"),
    "french_diploma": _l("Diploma or transcript of studies in French"),
    "none": _l("None"),
}
# Labels of the enumerated facts, by fact path (a test checks every enum field of the registry is here).
ENUM_LABELS = {
    "position.capacity": CAPACITY,
    "position.work_type": WORK_TYPE,
    "foreign_enterprise.relationship": RELATIONSHIP,
    "worker.education_level": EDUCATION,
    "worker.current_permit_type": PERMIT,
    "worker.iec_category": IEC,
    "employer.kind": EMPLOYER_KIND,
    "position.paid_by": PAID_BY,
    "position.service_sector": SERVICE_SECTOR,
    "position.production_stage": PRODUCTION_STAGE,
    "position.repair_kind": REPAIR_KIND,
    "position.arts_discipline": ARTS_DISCIPLINE,
    "worker.french_proof": FRENCH_PROOF,
    "worker.employment[].capacity": CAPACITY,
}
