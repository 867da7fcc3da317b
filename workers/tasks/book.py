"""Re-assessing the book when the rule set changes: a thin shell around portal.book.services."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import shared_task
from flask import current_app

from portal.book import notify, services


@shared_task(name="cases.reassess_book", ignore_result=False)
def reassess_book(today: str | None = None) -> dict[str, Any]:
    """Beat: re-assess the open cases once per rule-set version (does nothing when already done)."""
    day = date.fromisoformat(today) if today else date.today()
    # Links in the mails need a URL base outside a request: PUBLIC_URL.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        report = services.reassess_book(on=day, notify=notify.mail_owners)
    return {
        "version": report.version,
        "organizations": report.organizations,
        "reassessed": report.reassessed,
        "changed": report.changed,
        "mailed_runs": report.mailed_runs,
    }
