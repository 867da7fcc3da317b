"""The bench's own world: a database of its own (created, migrated, dropped), an app on it (on the bench
queue), the French catalogue, worked case 02 entered through the services, new documents requested as
the page does."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from benchlib import bench_app

from portal.documents import lookups, partcache, requests, store
from portal.extensions import db
from portal.models import Case, Organization, User
from rules.params import load_text
from workers.tasks.documents import render_after_commit

from .common import CASE, REDIS_URL, ROOT, SECRET_KEY


def make_app(db_url: str, workdir: Path, queue: str | None = None, *, commands: bool = True):
    celery = {
        "broker_url": REDIS_URL,
        "result_backend": REDIS_URL,
        "task_always_eager": False,
        "task_default_queue": queue,
    }
    extra = {"CELERY": celery} if queue else {}
    return bench_app(db_url, workdir, SECRET_KEY, commands=commands, TESTING=True, SERVER_NAME=None, **extra)


def compile_translations() -> None:
    for po in ROOT.glob("portal/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as src, mo.open("wb") as dst:
                write_mo(dst, read_po(src))


def enter_case02(app):
    """Worked case 02 entered through the services (tests/portal/test_worked_cases.py ``enter``)."""

    spec = importlib.util.spec_from_file_location(
        "_worked_cases", ROOT / "tests" / "portal" / "test_worked_cases.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = load_text(CASE.read_text(encoding="utf-8"))
    outcome, _snapshot, on = module.enter(app, data)
    if outcome["recommended"] != "T37":
        raise SystemExit(f"setup: case 02 recommends {outcome['recommended']}, expected T37")
    return on


def case_and_people(app):
    case = db.session.query(Case).one()
    org = db.session.get(Organization, case.organization_id)
    user = db.session.query(User).order_by(User.id).first()
    return case, org, user


def forget_kept_parts() -> None:
    """Remove the parts the case keeps (portal/documents/partcache.py), so that the next packet renders
    every part, as the first packet of new case data does: the bench repeats one packet, which would
    otherwise be made of kept parts from the second request on."""
    case, _org, _user = case_and_people(None)
    folder = lookups.case_folder(case.organization_id, case.id)
    shutil.rmtree(store.absolute(f"{folder}/{partcache.FOLDER}"), ignore_errors=True)


def new_document(kind: str, on: date, *, send: bool = False, **kwargs):
    """A document requested as the documents page does it; ``send``: its render task sent at the commit
    (``render_after_commit``, as the page), otherwise committed unsent (the caller sends it)."""
    case, org, user = case_and_people(None)
    document = requests.request_document(case, org, kind=kind, lang="en", actor=user, on=on, **kwargs)
    if send:
        render_after_commit([document.id])
    db.session.commit()
    return document
