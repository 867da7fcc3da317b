"""Compliance reminders: a thin shell around portal.compliance.services."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from flask import current_app

from portal import clock
from portal.compliance import notify, services


@shared_task(name="compliance.send_reminders")
def send_reminders(today: str | None = None) -> int:
    """Beat, daily: mail the reminders that fall due, each exactly once."""
    day = date.fromisoformat(today) if today else clock.today()
    # Links in the mails need a URL base outside a request: PUBLIC_URL.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return services.send_due_reminders(day, notify=notify.mail_reminder)
