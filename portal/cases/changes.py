"""The one explicit "facts changed" step.

A role, a transferee (or their employment history) and a group company are saved by their own
services, which know nothing of cases. Whoever saved them (a view, the import, the CLI) then says which
facts changed, and the cases that use them are re-assessed as of ``on``::

    position = roles.save_position(org, data, actor=user)
    facts_changed(org, position=position, on=today)
    facts_changed(org, organization=org, on=today)   # the organization's own facts: every case

So roles, people and group services never import the cases package (no import cycle to break with a
function-local import), and the date of the assessment is the caller's.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from portal.cases.facts import EMPLOYER_COLUMNS
from portal.cases.services import reassess_related
from portal.models import Case, ForeignEnterprise, Organization, Position, Transferee
from portal.tenancy import Access


def facts_changed(
    tenant: Organization | Access,
    *,
    position: Position | None = None,
    transferee: Transferee | None = None,
    enterprise: ForeignEnterprise | None = None,
    organization: Organization | None = None,
    transferees: Collection[Transferee] = (),
    on: date,
) -> list[Case]:
    """Re-assess, as of ``on``, every case of ``tenant`` that uses the changed role, transferee or group
    company, or any of ``transferees`` (many people at once: an import); all of the employer's cases when
    the ``organization`` itself changed (or none is named).
    Flushes; the caller commits."""
    org = tenant.organization if isinstance(tenant, Access) else tenant
    if organization is not None and organization is not org:
        raise ValueError("An organization re-assesses only its own cases.")
    return reassess_related(
        org, position=position, transferee=transferee, enterprise=enterprise, transferees=transferees, on=on
    )


def employer_facts(org: Organization) -> tuple[Any, ...]:
    """The organization's columns that are facts of its cases (employer.* in ``EMPLOYER_COLUMNS``): a
    caller compares them before and after a save to know whether its cases need re-assessing."""
    return tuple(getattr(org, column) for column in EMPLOYER_COLUMNS.values())
