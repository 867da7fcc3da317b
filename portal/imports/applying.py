"""Importing the rows of a checked file: each through the feature's service (which flushes and writes
the audit), then the cases of the people already in the portal whose facts changed are re-assessed
(``facts_changed``, all of them at once); the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.cases.changes import facts_changed
from portal.group.services import list_enterprises
from portal.imports.kinds import JOB_COLUMNS
from portal.imports.parsing import Parsed
from portal.models import EmploymentRecord, Organization, Transferee, User
from portal.people.services import (
    JobKey,
    add_employment,
    add_new_transferees,
    job_key,
    recorded_job,
    save_job,
    save_transferee,
)


def name_key(name: object) -> str:
    """A company's name as compared: case, accents' case and runs of spaces aside."""
    return " ".join(str(name or "").split()).casefold()


def link_group_companies(org: Organization, parsed: Parsed) -> None:
    """Each job of the file whose employer is one of the organization's group companies, by name, linked
    to it (``foreign_enterprise_id``)."""
    group: dict[str, int] = {}
    for enterprise in list_enterprises(org):
        group.setdefault(name_key(enterprise.name), enterprise.id)
    for row in parsed.rows:
        if row.job is not None and (found := group.get(name_key(row.job.get("employer_name")))) is not None:
            row.job["foreign_enterprise_id"] = str(found)


def _update_of(record: EmploymentRecord, job: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """A file's job as the update of the recorded job it is (``save_job``'s ``record_id``)."""
    update = {**job, "record_id": record.id}
    # the file's link (by the group company's name), else the record's own
    update["foreign_enterprise_id"] = job.get("foreign_enterprise_id") or str(
        record.foreign_enterprise_id or ""
    )
    if "job_duties_fr" not in columns:
        # a file without the (optional, newer) column says nothing of the French duties: the ones typed on
        # the person's form stay (an older template's file erased them)
        update["duties_fr"] = record.duties_fr
    return update


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    skipped: int = 0  # people already in the portal, left as they are
    jobs: int = 0
    # rows whose job an earlier row gives for the same person (``job_key``): skipped, and said
    repeated: list[int] = field(default_factory=list)


def import_rows(
    org: Organization, parsed: Parsed, *, actor: User, on: date, update_existing: bool = False
) -> Imported:
    """Save every row through the feature's service (they flush and write the audit); the caller
    commits. A person already in the portal is updated when ``update_existing``, else left alone. A job is
    the same job by the one rule of the person's form (``people.services.job_key``): a job already in an
    updated person's history is updated with the file's values, one the file gives twice is imported once
    (the row repeating it is skipped and listed in ``repeated``)."""
    if not parsed.valid:
        raise ValueError("Only a file whose rows are all valid is imported.")
    done = Imported()
    if parsed.kind.extra_columns != JOB_COLUMNS:
        for row in parsed.rows:
            parsed.kind.save(org, row.valid_data(), actor)
            done.created += 1
        return done
    # A job whose employer is one of the organization's group companies, by name, is linked to it: the
    # intra-company codes read the link, not the name (an import left every such job as "another employer")
    link_group_companies(org, parsed)
    # People not yet in the portal (most of a file) are saved together, in a few batched statements;
    # they are in no case yet, so only the people already in the portal have cases to re-assess.
    new: dict[int, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    people: dict[int, Transferee | None] = {}
    changed: dict[int, Transferee] = {}  # every person saved or given a job: their cases are re-assessed
    given: set[tuple[int, JobKey]] = set()  # (the person's row, a job's key): the jobs the file gave
    for row in parsed.rows:
        owner = row.person_row or row.number
        if row.person_row is None:
            if row.existing is None:
                new[owner] = (row.valid_data(), [])
                done.created += 1
            elif update_existing:
                saved = save_transferee(org, row.valid_data(), actor=actor, transferee=row.existing)
                people[owner] = changed[saved.id] = saved
                done.updated += 1
            else:
                people[owner] = None
                done.skipped += 1
        person = people.get(owner)
        if row.job is None or (owner not in new and person is None):
            continue  # no job, or its person is left as is
        key = job_key(row.job.get("employer_name"), row.job["start_date"])
        if (owner, key) in given:  # the same job of the same person again: imported once, the row said
            done.repeated.append(row.number)
            continue
        given.add((owner, key))
        if owner in new:
            new[owner][1].append(row.job)
        elif person is not None:
            done.jobs += _save_job_of(org, person, row.job, parsed.columns, actor=actor, on=on)
            changed[person.id] = person
    done.jobs += add_new_transferees(org, list(new.values()), actor=actor, on=on)
    if changed:  # their cases, re-assessed together
        facts_changed(org, transferees=list(changed.values()), on=on)
    return done


def _save_job_of(
    org: Organization, person: Transferee, job: dict[str, Any], columns: list[str], *, actor: User, on: date
) -> bool:
    """A file's job of a person already in the portal, being updated: the recorded job it is (same
    ``job_key``, the rule the person's form refuses a second one by) takes the file's values (end date,
    hours, duties...); else the job is added. Returns whether it was added."""
    same = recorded_job(person, job_key(job.get("employer_name"), job["start_date"]))
    if same is not None:
        save_job(org, person, _update_of(same, job, columns), actor=actor, on=on)
        return False
    add_employment(org, person, job, actor=actor, on=on)
    return True
