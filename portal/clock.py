"""The clock, read by the callers (views, tasks, the CLI) and given to services as ``on=`` (the date an
assessment, a stage or a deadline is taken as of): services never read it themselves, so tests and the
CLI pass any date they like."""

from __future__ import annotations

from datetime import date


def today() -> date:
    """The date assessments are made as of."""
    return date.today()
