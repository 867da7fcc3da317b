"""Re-assessing the book when the rule set changes: thin shells around portal.book.services.

The beat's ``cases.reassess_book`` plans the work and sends one ``cases.reassess_chunk`` task per chunk
of case ids, so every worker takes a share; each chunk re-assesses its cases in one short transaction
and, when its organization has nothing left, finishes the run and mails the owners once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from celery import shared_task
from flask import current_app

from portal import clock
from portal.book import notify, services


def _finish(org_ids: Iterable[int], version: str) -> list[int]:
    """Finish each organization's run if nothing is left (links in the mails need a URL base: PUBLIC_URL)."""
    report = services.BookReport(version)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        for org_id in sorted(org_ids):
            services.finish_organization(org_id, version, notify=notify.mail_owners, report=report)
    return report.mailed_runs


@shared_task(name="cases.reassess_book", ignore_result=False)
def reassess_book(today: str | None = None) -> dict[str, Any]:
    """Beat: send the stale open cases to the workers in chunks (does nothing when the book is up to date)."""
    day = (date.fromisoformat(today) if today else clock.today()).isoformat()
    report = services.dispatch_book(
        send_chunk=lambda ids, version: reassess_chunk.delay(ids, day, version),
        send_finish=lambda org_id, version: finish_book_run.delay(org_id, version),
    )
    return {
        "version": report.version,
        "organizations": report.organizations,
        "chunks": report.chunks,
        "cases": report.reassessed,
    }


@shared_task(name="cases.reassess_chunk", ignore_result=False)
def reassess_chunk(case_ids: list[int], today: str, version: str) -> dict[str, Any]:
    """Re-assess one chunk of cases, then finish the runs of the organizations with nothing left."""
    report = services.BookReport(version)
    org_ids = services.reassess_chunk(case_ids, on=date.fromisoformat(today), version=version, report=report)
    mailed = _finish(org_ids, version)
    return {"reassessed": report.reassessed, "changed": report.changed, "mailed_runs": mailed}


@shared_task(name="cases.finish_book_run", ignore_result=False)
def finish_book_run(org_id: int, version: str) -> dict[str, Any]:
    return {"mailed_runs": _finish([org_id], version)}
