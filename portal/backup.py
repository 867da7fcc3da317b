"""Backup and restore of the database and the document store (``flask backup`` / ``flask restore``).

A backup is one tar file:

* ``manifest.json`` — format, when, the database dialect and Alembic revision, and the SHA-256 of
  every other member;
* ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite, the
  online backup API, consistent while the portal runs);
* ``documents/...`` — every file of the document store (PDFs, evidence, logos), temp files excepted.

The database is dumped first and the files copied after: a document's file is written before its
row says ``ready``, and files are never changed in place, so every file the dump refers to is in the
archive. Before it writes, a backup checks every stored file the database records (ready documents,
evidence, logos) against its recorded SHA-256 and reports the ones that differ or are missing.

A restore goes into a fresh database (no tables) and an empty document store. It first checks every
member of the archive against the manifest, so a damaged archive is refused before anything is
written; then it restores the database (PostgreSQL: ``pg_restore --single-transaction``), writes the
files, and checks every recorded hash again against the restored files.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from flask import current_app
from sqlalchemy import inspect, select, text

from portal.documents import partcache, store
from portal.extensions import db
from portal.models import Document, DocumentStatus, EvidenceFile, Organization

FORMAT = "imp-portal-backup"
VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_FILE = "database.sqlite3"
DOCUMENTS = "documents"


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why (and names the file)."""


@dataclass
class Report:
    """What a backup or restore did: the archive, its file count, the files checked, the problems."""

    archive: Path
    dialect: str
    revision: str | None
    files: int = 0
    checked: int = 0
    problems: list[str] = field(default_factory=list)


def _dialect() -> str:
    return db.engine.dialect.name


def _libpq_url() -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _revision() -> str | None:
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    revision: str | None = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    return revision


def _run(command: list[str], what: str) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed; it is needed to {what}.")
    result = subprocess.run([tool, *command[1:]], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({what}): {result.stderr.strip()[-2000:]}")


# ----------------------------------------------------------------------------- the recorded hashes
def recorded_files() -> list[tuple[str, str | None, str | None]]:
    """(what, path in the store, recorded SHA-256) of every file the database refers to (None where a
    ready document lacks its path or hash)."""
    files = [
        (f"document {d.id}", d.storage_path, d.pdf_sha256)
        for d in db.session.scalars(
            select(Document).where(Document.status == DocumentStatus.READY).order_by(Document.id)
        )
    ]
    files += [
        (f"evidence file {e.id}", e.storage_path, e.sha256)
        for e in db.session.scalars(select(EvidenceFile).order_by(EvidenceFile.id))
    ]
    files += [
        (f"logo of organization {o.id}", o.logo_path, o.logo_sha256)
        for o in db.session.scalars(
            select(Organization).where(Organization.logo_path.is_not(None)).order_by(Organization.id)
        )
    ]
    return files


def check_store() -> tuple[int, list[str]]:
    """Every recorded file against its SHA-256 in the store: (files checked, problems)."""
    problems = []
    files = recorded_files()
    for what, relative, digest in files:
        if relative is None or digest is None:
            problems.append(f"{what}: no stored file or SHA-256 is recorded")
            continue
        path = store.absolute(relative)
        if not path.is_file():
            problems.append(f"{what}: {relative} is missing")
        elif store.sha256_file(path) != digest:
            problems.append(f"{what}: {relative} does not match its recorded SHA-256")
    return len(files), problems


# ----------------------------------------------------------------------------------------- backup
def create_backup(target: Path, *, on: datetime) -> Report:
    """Write the backup to ``target`` (a new file; written beside it, then renamed)."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    dialect = _dialect()
    report = Report(archive=target, dialect=dialect, revision=_revision())
    report.checked, report.problems = check_store()
    db.session.rollback()  # end the read transaction before the dump
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        work_dir = Path(work)
        if dialect == "postgresql":
            database = PG_DUMP
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={work_dir / database}",
                    f"--dbname={_libpq_url()}",
                ],
                "dump the database",
            )
        elif dialect == "sqlite":
            database = SQLITE_FILE
            source = sqlite3.connect(_sqlite_path())
            copy = sqlite3.connect(work_dir / database)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            raise BackupError(f"Backups of a {dialect} database are not supported.")
        members = {database: store.sha256_file(work_dir / database)}
        root = store.root()
        # Not the packet parts each case keeps (portal/documents/partcache.py): rendered again when
        # missing, and removed by the portal while it runs (a part listed here could be gone when read).
        documents = sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-") and p.suffix != partcache.SUFFIX
        )
        for path in documents:
            members[f"{DOCUMENTS}/{path.relative_to(root).as_posix()}"] = store.sha256_file(path)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": on.isoformat(),
            "database": {"dialect": dialect, "file": database, "alembic_revision": report.revision},
            "files": members,
            "problems": report.problems,
        }
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(on.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(work_dir / database, arcname=database)
            for path in documents:
                archive.add(path, arcname=f"{DOCUMENTS}/{path.relative_to(root).as_posix()}")
        partial.replace(target)
    report.files = len(documents)
    return report


# ---------------------------------------------------------------------------------------- restore
def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The archive holds a member with an unsafe name: {name!r}.")
    return path.as_posix()


def _read_archive(source: Path, work_dir: Path) -> dict[str, Any]:
    """Extract the archive into ``work_dir`` after checking every member against the manifest."""
    try:
        archive = tarfile.open(source, "r")  # noqa: SIM115  (closed by the with below; open errors told apart)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not a readable backup archive ({exc}).") from exc
    with archive:
        try:
            manifest_file = archive.extractfile(archive.getmember(MANIFEST))
            if manifest_file is None:  # a folder or a link by that name
                raise ValueError(MANIFEST)
            manifest = json.loads(manifest_file.read())
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{source} has no readable {MANIFEST}: it is not a portal backup.") from exc
        if not isinstance(manifest, dict):
            raise BackupError(f"{source} has no readable {MANIFEST}: it is not a portal backup.")
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"{source} is not a version {VERSION} portal backup.")
        expected: dict[str, str] = manifest["files"]
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            name = _safe_name(member.name)
            if not member.isfile() or name not in expected:
                raise BackupError(f"The archive holds {name!r}, which its manifest does not list.")
            out = work_dir / name
            out.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            member_file = archive.extractfile(member)
            if member_file is None:  # not reached: only regular files pass the check above
                raise BackupError(f"{name} in the archive cannot be read.")
            with member_file as src, out.open("wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != expected[name]:
                raise BackupError(f"{name} in the archive is corrupted: it does not match its SHA-256.")
            seen.add(name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"The archive lacks {len(missing)} listed file(s), e.g. {missing[0]}.")
    return manifest


def restore_backup(source: Path) -> Report:
    """Restore ``source`` into the configured (empty) database and (empty) document store."""
    dialect = _dialect()
    tables = inspect(db.engine).get_table_names()
    if tables:
        raise BackupError(
            f"The database already has {len(tables)} tables: restore into a fresh, empty database."
        )
    root = Path(current_app.config["DOCUMENT_STORE"])
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"The document store {root} is not empty: restore into an empty one.")
    with tempfile.TemporaryDirectory(prefix="imp-restore-") as work:
        work_dir = Path(work)
        manifest = _read_archive(Path(source), work_dir)
        database = manifest["database"]
        if database["dialect"] != dialect:
            raise BackupError(
                f"The backup is of a {database['dialect']} database; this portal uses {dialect}."
            )
        db.session.remove()
        db.engine.dispose()
        if dialect == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={_libpq_url()}",
                    str(work_dir / database["file"]),
                ],
                "restore the database",
            )
        else:
            source_db = sqlite3.connect(work_dir / database["file"])
            target_db = sqlite3.connect(_sqlite_path())
            try:
                source_db.backup(target_db)
            finally:
                target_db.close()
                source_db.close()
        files = [name for name in manifest["files"] if name.startswith(f"{DOCUMENTS}/")]
        for name in files:
            store.write_atomic(name[len(DOCUMENTS) + 1 :], (work_dir / name).read_bytes())
    report = Report(archive=Path(source), dialect=dialect, revision=_revision(), files=len(files))
    report.checked, report.problems = check_store()
    db.session.rollback()
    return report
