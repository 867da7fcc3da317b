"""Flask CLI commands (they call the same services as the views)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask_babel import force_locale
from flask_migrate import Migrate
from sqlalchemy import select

from portal import backup, clock
from portal.auth import services as auth
from portal.book import notify as book_notify
from portal.book import services as book
from portal.cases import lifecycle as cases_lifecycle
from portal.cases import services as cases
from portal.cases.decision import DecisionKind, decide
from portal.cases.labels import business_size_line, decision_text
from portal.consult import services as consult
from portal.documents import content, pdf, uploads
from portal.documents import requests as document_requests
from portal.extensions import db
from portal.group.services import list_enterprises, save_enterprise
from portal.i18n import gettext as _
from portal.models import AccountType, Case, Document, Membership, Organization, Role, User
from portal.models._types import utcnow
from portal.models.case import displayed_evidence
from portal.people.services import add_employment, save_transferee
from portal.roles.services import save_position
from workers.tasks.documents import render_after_commit

DEMO_PASSWORD = "demo-password-2026"  # invented demo data, printed on purpose
DEMO_ORG = {
    "legal_name": "Maplewood Robotics Canada Inc.",
    "operating_name": "Maplewood Robotics",
    "business_number": "700000001",
    "street_address": "100 Example Street, Suite 400",
    "city": "Ottawa",
    "province": "ON",
    "postal_code": "K1A 0B1",
    "telephone": "613-555-0100",
    "employees": 85,
    "gross_annual_revenue": 24_000_000,
}
DEMO_USERS = [
    ("Ada Example", "owner@maplewood-demo.example.com", "owner"),
    ("Basil Sample", "member@maplewood-demo.example.com", "member"),
]
# A licensed consultant (RCIC) of another, invented firm, engaged by the demo employer for all its cases:
# signed in as them, the review side of the portal (the employer's cases, packets to approve or send back)
# is there without inviting anyone first. The licence number is invented (CICC's form: R and 6 digits).
DEMO_CONSULTANT = ("Robin Counsel", "rcic@northbay-demo.example.com", "R000001")
DEMO_SIGNATORY_TITLE = "President"


def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo employer, its two users and its engaged consultant if they are missing. Returns the
    credentials (email, password, role)."""

    owner = auth.find_user(DEMO_USERS[0][1])
    if owner is None:
        owner, org = auth.register_employer(
            {"name": DEMO_USERS[0][0], "email": DEMO_USERS[0][1], "password": DEMO_PASSWORD, **DEMO_ORG}
        )
    else:
        org = owner.memberships[0].organization
    for name, email, role in DEMO_USERS[1:]:
        if auth.find_user(email) is None:
            user = auth.new_user(
                name=name, email=email, password=DEMO_PASSWORD, account_type=AccountType.EMPLOYER
            )
            db.session.add(Membership(organization=org, user=user, role=Role(role)))
    for _name, email, _role in DEMO_USERS:  # the demo users' addresses count as verified
        demo_user = auth.find_user(email)
        if demo_user is not None:
            auth.mark_verified(demo_user, now=utcnow())
    db.session.commit()
    seed_demo_case(org, owner)
    seed_demo_consultant(org, owner)
    seed_demo_packet(org, owner)
    return [(email, DEMO_PASSWORD, role) for _, email, role in DEMO_USERS] + [
        (DEMO_CONSULTANT[1], DEMO_PASSWORD, "consultant")
    ]


def seed_demo_consultant(org: Organization, owner: User) -> None:
    """The demo consultant's account (address confirmed), invited by the demo owner for every case of the
    employer with the licence it expects, and the engagement accepted: what the two of them would do."""
    name, email, licence = DEMO_CONSULTANT
    consultant = auth.find_user(email)
    if consultant is None:
        consultant = auth.register_consultant(
            {"name": name, "email": email, "password": DEMO_PASSWORD, "cicc_licence": licence}
        )
        auth.mark_verified(consultant, now=utcnow())
    if not any(e.email == email for e in consult.engagements_of(org)):
        engagement = consult.invite_consultant(
            org, email=email, case_ids=None, actor=owner, cicc_licence=licence
        )
        consult.accept(engagement, consultant)
        cases_lifecycle.record_stages(org, actor=consultant, on=clock.today())
    db.session.commit()


def seed_demo_packet(org: Organization, owner: User) -> None:
    """The demo case's offer-submission packet (English), requested by the owner as the documents page
    does: it waits for the demo consultant's review. Rendered in-process in the embedded default, by a
    worker when a broker is set (docker-compose)."""
    case = db.session.scalars(select(Case).where(Case.organization_id == org.id).order_by(Case.id)).first()
    if case is None or db.session.scalars(select(Document.id).where(Document.case_id == case.id)).first():
        return
    if org.signatory_name is None:  # the letterhead's signatory: what the documents form offers
        uploads.save_letterhead(
            org, logo=None, signatory_name=owner.name, signatory_title=DEMO_SIGNATORY_TITLE, actor=owner
        )
    seed_demo_evidence(case, org, owner)
    document = document_requests.request_document(
        case,
        org,
        kind="packet",
        lang="en",
        actor=owner,
        on=clock.today(),
        signatory_name=owner.name,
        signatory_title=DEMO_SIGNATORY_TITLE,
    )
    cases_lifecycle.record_stage(case, org, actor=owner, on=clock.today())
    render_after_commit([document.id])
    db.session.commit()


DEMO_EVIDENCE_HTML = """<html lang="en"><body style="font-family: sans-serif; margin: 2cm">
<p style="color: #b02a37; font-weight: bold">SAMPLE — invented for the IMP Portal demo; it proves nothing.</p>
<h1 style="font-size: 16pt">{item}</h1>
<p>Case of {person} ({employer}).</p>
<p>In a real case, the employer uploads here the document this checklist item asks for (a PDF, PNG or JPEG
scan). This page stands in for it so that the demo's offer-submission packet has every annex a consultant
expects, and the review can be tried to the end.</p>
</body></html>"""


def seed_demo_evidence(case: Case, org: Organization, owner: User) -> None:
    """A sample PDF for every evidence item the demo case's checklist says is missing, uploaded as the
    documents page does (``uploads.add_evidence``): the packet made next is complete, so the demo consultant
    can approve it rather than find six documents to enclose. Each page says it is invented."""
    _route, items = displayed_evidence(case.assessment, "en")
    person = f"{case.transferee.given_names} {case.transferee.family_name}"
    for item in items:
        if content.evidence_status(item, attached=False) != "missing":
            continue  # answered by the support letter, or given by filing the offer
        html = DEMO_EVIDENCE_HTML.format(
            item=escape(item), person=escape(person), employer=escape(org.legal_name)
        )
        uploads.add_evidence(
            case, org, item=item, filename="sample-evidence.pdf", data=pdf.naive_render(html), actor=owner
        )


def seed_demo_case(org: Organization, owner: User) -> None:
    """A group company, a role, a transferee and their case (like worked case 02), all invented."""

    if list_enterprises(org):
        return
    parent = save_enterprise(
        org,
        {
            "name": "Maplewood Robotics Inc.",
            "country": "US",
            "relationship": "parent",
            "ownership_pct": Decimal(100),
            "countries_of_operation": ["US", "MX"],
            "doing_business": "yes",
        },
        actor=owner,
    )
    role = save_position(
        org,
        {
            "title": "Vice-President, Operations Canada",
            "noc_code": "00015",
            "capacity": "executive",
            "work_type": "regular",
            "wage_amount": Decimal(190000),
            "wage_unit": "year",
            "hours_per_week": Decimal(40),
            "prevailing_wage_hourly": Decimal(70),
            "duties": "Leads the Canadian operations: plant, supply chain and a team of 12 managers.",
            "title_fr": "Vice-président, Opérations Canada",
            "duties_fr": (
                "Dirige les opérations canadiennes\u00a0: l’usine, la chaîne d’approvisionnement et une équipe "
                "de 12\u00a0gestionnaires."
            ),
            "street_address": "100 Example Street",
            "city": "Ottawa",
            "province": "ON",
            "start_date": date(2027, 3, 1),
            "duration_months": 36,
            "paid": "yes",
        },
        actor=owner,
    )
    person = save_transferee(
        org,
        {
            "given_names": "Jordan",
            "family_name": "Sampleton",
            "form_of_address": "mx",  # the letter says "Mx. Sampleton" after the first mention
            "date_of_birth": date(1981, 4, 12),
            "citizenships": ["US"],
            "permanent_residences": [],
            "residence_country": "US",
            "in_canada": "no",
            "current_permit_type": "none",
            "passport_number": "X0000000",
            "passport_country": "US",
            "education_level": "master",
            "education_field": "Industrial engineering",
            "profession": "Executive",
            "english_clb": 10,
        },
        actor=owner,
    )
    add_employment(
        org,
        person,
        {
            "foreign_enterprise_id": str(parent.id),
            "job_title": "VP Operations",
            "capacity": "executive",
            "start_date": date(2021, 6, 1),
            "full_time": True,
            "hours_per_week": Decimal("45"),
            "duties": (
                "Directs the manufacturing operations of the group's plants in the United States and Mexico\n"
                "Sets the operations budget and reports on it to the board\n"
                "Hires and appraises the plant managers"
            ),
            "duties_fr": (
                "Dirige les opérations de fabrication des usines du groupe aux États-Unis et au Mexique\n"
                "Établit le budget des opérations et en rend compte au conseil d’administration\n"
                "Embauche et évalue les directeurs d’usine"
            ),
        },
        actor=owner,
        on=clock.today(),
    )
    case = cases.create_case(
        org, {"transferee_id": person.id, "position_id": role.id}, actor=owner, on=clock.today()
    )
    cases.answer_questions(
        case,
        org,
        {
            "employer.actively_engaged": True,
            "employer.physical_premises": True,
            "worker.retains_position_abroad": True,
            "worker.position_abroad_letter": True,
        },
        actor=owner,
        on=clock.today(),
    )
    db.session.commit()


def headline(case: Case, a: dict[str, Any]) -> str:
    """The case page's headline in words (the active locale's language): ``cases.decision.decide`` of the
    case's columns, as on its page and in the case list (a code the employer chose among those that fit,
    not the rules' first choice), with the code's label when a code fits."""
    decision = decide(case)
    text = decision_text(decision)
    if decision.kind == DecisionKind.CODE and decision.code:
        return f"{text} — {_label_of(a, decision.code)}"
    return text


def _label_of(a: dict[str, Any], code: str | None) -> str:
    return next((str(c.get("label", "")) for c in a.get("candidates", []) if c.get("code") == code), "")


def assessment_lines(case: Case, a: dict[str, Any]) -> list[str]:
    """What ``flask assess-case`` prints: the route, the headline, the pending codes with the facts they
    wait for, the needed then optional questions, the R209.93 tier and ``complete``."""
    asked = {q["fact"]: q["question"] for q in a.get("questions", [])}
    lines = [
        _(
            "Case %(id)d — rule set %(version)s, as of %(day)s",
            id=case.id,
            version=a.get("ruleset_version", ""),
            day=a.get("as_of", ""),
        ),
        _("Route: %(route)s", route=a.get("route", "")),
        headline(case, a),
    ]
    if a.get("route") == "TFWP":
        lines.append(_("Reasons (every code considered failed on a known fact):"))
        for c in a.get("candidates", []):
            failed = [cr["text"] for cr in c.get("criteria", []) if cr.get("status") == "not_met"]
            if failed:
                lines.append(f"  {c['code']}: " + "; ".join(failed))
    if a.get("pending"):
        lines.append(_("Codes that could still fit:"))
        for p in a["pending"]:
            lines.append(f"  {p['code']} {p['label']}")
            lines.extend(f"    - {asked.get(fact, fact)} ({fact})" for fact in p["waits_for"])
    optional = _("Optional questions (other codes that might also fit):")
    for title, needed in ((_("Needed questions:"), True), (optional, False)):
        questions = [q for q in a.get("questions", []) if bool(q.get("needed")) is needed]
        if questions:
            lines.append(title)
            lines.extend(
                f"  - {q['question']} [{q['fact']}] {q.get('decides', '')}".rstrip() for q in questions
            )
    tier = business_size_line(a.get("business_size"), case.assessed_as_of) if case.assessed_as_of else None
    if tier:
        lines.append(tier)
    lines.append(_("Complete: %(answer)s", answer=_("Yes") if a.get("complete") else _("No")))
    return lines


# Flask-Migrate's ``flask db`` (Alembic), set up with the other commands: only the command line loads it.
migrate = Migrate(render_as_batch=True, compare_type=True)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app: Flask) -> None:
    migrate.init_app(app, db, directory=str(MIGRATIONS))

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Seed the demo employer with two users and an engaged consultant, and print their credentials."""
        credentials = seed_demo()
        click.echo("")
        click.echo(
            f"Demo employer: {DEMO_ORG['legal_name']} (with a sample case: Jordan Sampleton, T37, its packet waiting for the consultant's review)"
        )
        for email, password, role in credentials:
            click.echo(f"  {role:<10} {email}  password: {password}")
        click.echo("")

    @app.cli.command("reassess-book")
    @click.option("--on", "on", default=None, help="Assess as of this date (YYYY-MM-DD; default today).")
    def reassess_book_command(on: str | None) -> None:
        """Re-assess every open case under the current rule-set version (once per version)."""
        try:
            day = date.fromisoformat(on) if on else clock.today()
        except ValueError as exc:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--on") from exc
        with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
            report = book.reassess_book(on=day, notify=book_notify.mail_owners)
        click.echo(
            f"Rule set {report.version}: {report.organizations} organization(s), "
            f"{report.reassessed} case(s) re-assessed, {report.changed} outcome(s) changed, "
            f"{len(report.mailed_runs)} organization(s) mailed."
        )

    @app.cli.command("assess-case")
    @click.argument("case_id", type=int)
    @click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
    @click.option("--json", "as_json", is_flag=True, help="Print the JSON contract of rules.assess.")
    def assess_case_command(case_id: int, lang: str, as_json: bool) -> None:
        """Print the stored assessment of case CASE_ID (what its page shows)."""
        case = db.session.get(Case, case_id)
        if case is None or not case.assessment:
            click.echo(f"Error: no assessed case with id {case_id}.", err=True)
            sys.exit(2)
        assessment = case.assessment_in(lang)
        if as_json:
            click.echo(json.dumps(assessment, ensure_ascii=False, indent=2))
            return
        with current_app.test_request_context(), force_locale(lang):
            click.echo("\n".join(assessment_lines(case, assessment)))

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(target: Path) -> None:
        """Write the database and the document store to TARGET (a new .tar file)."""
        _report(
            lambda: backup.create_backup(target, on=utcnow()),
            lambda report: (
                f"Backup written to {report.archive}: {report.dialect} database at revision "
                f"{report.revision}, {report.files} files; {report.checked} recorded hashes checked."
            ),
        )

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def restore_command(source: Path) -> None:
        """Restore SOURCE (made by `flask backup`) into a fresh database and an empty document store."""
        _report(
            lambda: backup.restore_backup(source),
            lambda report: (
                f"Restored {source}: {report.dialect} database at revision {report.revision}, "
                f"{report.files} files; {report.checked} recorded hashes checked."
            ),
        )


def _report(run: Callable[[], backup.Report], summary: Callable[[backup.Report], str]) -> None:
    """Run a backup or a restore: its refusal is the command's error; else its ``summary`` line, and
    the problems it found (``_fail_on_problems``)."""
    try:
        report = run()
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary(report))
    _fail_on_problems(report.problems)


def _fail_on_problems(problems: list[str]) -> None:
    """Stored files that do not match the database: listed on stderr, and the command exits 1."""
    if problems:
        for problem in problems:
            click.echo(f"PROBLEM: {problem}", err=True)
        click.echo(f"{len(problems)} stored file(s) do not match their recorded SHA-256.", err=True)
        sys.exit(1)
