"""The clock, read by the callers (views, tasks, the CLI) and given to services as ``on=`` (the date an
assessment, a stage or a deadline is taken as of): services never read it themselves, so tests and the
CLI pass any date they like.

Today is the employer's day, not the server's: in a request of an organization, in its time zone (its
own, else its province's); elsewhere (tasks, the CLI, a page before sign-in) in Eastern time, where IRCC
is. A server on UTC otherwise dated a letter written at 10 pm in Toronto the next day and took that day
as already past (tour of 2026-12-06)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import g, has_app_context

from portal.models.org import DEFAULT_TIME_ZONE

DEFAULT_ZONE = ZoneInfo(DEFAULT_TIME_ZONE)


def today() -> date:
    """The date assessments are made as of: today in the employer's time zone."""
    return datetime.now(zone()).date()


def zone() -> ZoneInfo:
    """The current organization's time zone when a request has already found it (no query here), else
    Eastern time."""
    access = g.get("access") if has_app_context() else None
    return access.organization.zone if access is not None else DEFAULT_ZONE
