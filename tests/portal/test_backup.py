"""``flask backup`` / ``flask restore``: a round trip of the real PostgreSQL database and the document
store into a fresh database, every stored hash checked; a damaged archive or store is refused."""

from __future__ import annotations

import io
import os
import tarfile
from hashlib import sha256
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from portal.documents import partcache, uploads
from portal.extensions import db
from portal.models import Case, Document, EvidenceFile, Organization, User
from tests.conftest import PASSWORD, PG_SERVER, Account, drop_database, ensure_database, make_test_app
from tests.factories import document_row
from tests.portal import document_helpers as docs

pytestmark = [pytest.mark.faults, pytest.mark.postgres]


@pytest.fixture
def fresh_database():
    """Fresh, empty PostgreSQL databases on the test server (dropped afterwards)."""
    made = []

    def make() -> str:
        url = f"{PG_SERVER}/imp_portal_restore_{os.getpid()}_{len(made)}"
        drop_database(url)
        made.append(ensure_database(url))
        return url

    yield make
    for url in made:
        drop_database(url)


def table_counts(app) -> dict[str, int]:

    with app.app_context():
        names = [t.name for t in db.metadata.sorted_tables] + ["alembic_version"]
        counts = {name: db.session.scalar(text(f"SELECT count(*) FROM {name}")) for name in names}
        db.session.remove()
        return counts


def store_files(app) -> dict[str, str]:
    root = Path(app.config["DOCUMENT_STORE"])
    return {
        p.relative_to(root).as_posix(): sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def tables_of(url: str) -> list[str]:
    with psycopg.connect(make_url(url).render_as_string(hide_password=False).replace("+psycopg", "")) as conn:
        return [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]


def sqlite_app(tmp_path, name: str):
    """An app on the SQLite file ``name``.sqlite3 with its store in ``name``-store (the embedded default)."""
    return make_test_app(
        f"sqlite:///{tmp_path / f'{name}.sqlite3'}", tmp_path, DOCUMENT_STORE=str(tmp_path / f"{name}-store")
    )


def seeded_sqlite_app(tmp_path):
    """(app, CLI runner) on the SQLite file source.sqlite3, migrated and holding the demo organization."""
    source = sqlite_app(tmp_path, "source")
    runner = source.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    return source, runner


@pytest.fixture
def portal_with_documents(app, client, make_employer, login):
    """An employer with a logo, two evidence files, a letter and a packet, all rendered and stored."""
    login(client, make_employer(legal_name=docs.EMPLOYER_NAME))
    case_id = docs.create_case(app, client)
    logo = docs.post_files(
        client, "/org/letterhead", {"signatory_name": "A"}, {"logo": (docs.png_bytes(), "logo.png")}
    )
    assert logo.status_code == 302
    keys = docs.evidence_keys(app, case_id)
    assert (
        docs.upload(client, case_id, keys[0], docs.pdf_bytes(2, "Evidence"), "contract.pdf").status_code
        == 302
    )
    assert docs.upload(client, case_id, keys[1], docs.png_bytes((300, 200)), "chart.png").status_code == 302
    ids = [
        docs.document_id_of(docs.request_document(client, case_id, kind))
        for kind in ("support_letter", "packet")
    ]
    assert [docs.get_document(app, i).status for i in ids] == ["ready", "ready"]
    return ids


def test_backup_and_restore_round_trip_postgresql_and_the_store_into_a_fresh_database(
    app, client, portal_with_documents, make_app, fresh_database, tmp_path, login
):
    archive = tmp_path / "backups" / "portal.tar"
    made = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "postgresql database at revision" in made.output and "5 recorded hashes checked" in made.output
    assert archive.is_file() and [p.name for p in archive.parent.iterdir()] == ["portal.tar"]

    target_url = fresh_database()
    restored = make_app(target_url, DOCUMENT_STORE=str(tmp_path / "restored-store"))
    result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert "5 recorded hashes checked" in result.output

    assert table_counts(restored) == table_counts(app)
    # Every file of the store but the packet parts the case keeps (rendered again when missing)
    source_files = store_files(app)
    assert any(name.endswith(partcache.SUFFIX) for name in source_files)
    assert store_files(restored) == {
        n: h for n, h in source_files.items() if not n.endswith(partcache.SUFFIX)
    }

    with restored.app_context():
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) is not None
        for document in db.session.scalars(select(Document)):
            path = Path(restored.config["DOCUMENT_STORE"]) / document.storage_path
            assert sha256(path.read_bytes()).hexdigest() == document.pdf_sha256
        assert db.session.scalar(select(EvidenceFile.id).limit(1)) is not None
        assert db.session.scalars(select(Organization.logo_path)).first()
        db.session.remove()
    # The restored portal serves the same PDFs, and its audit log is still append-only.
    restored_client = restored.test_client()

    with restored.app_context():
        user_id, email = db.session.execute(text("SELECT id, email FROM users ORDER BY id LIMIT 1")).one()
        db.session.remove()
    login(restored_client, Account(user_id, email, PASSWORD))
    for document_id in portal_with_documents:
        assert docs.download(restored_client, document_id) == docs.download(client, document_id)
    with restored.app_context(), pytest.raises(Exception, match="append-only"):
        db.session.execute(text("UPDATE audit_events SET action = 'x'"))
        db.session.commit()

    # Restoring again over the restored database is refused (it is not empty).
    again = restored.test_cli_runner().invoke(args=["restore", str(archive)])
    assert again.exit_code != 0 and "restore into a fresh, empty database" in again.output


def test_a_corrupted_file_in_the_archive_is_refused_before_anything_is_restored(
    app, client, portal_with_documents, make_app, fresh_database, tmp_path
):
    archive = tmp_path / "portal.tar"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        victim = None
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if victim is None and member.name.endswith(".pdf") and "/doc-" in member.name:
                victim = member.name
                data = data[:-20] + b"0" * 20  # one flipped tail, same size
            dst.addfile(member, io.BytesIO(data))

    target_url = fresh_database()
    restored = make_app(target_url, DOCUMENT_STORE=str(tmp_path / "restored-store"))
    result = restored.test_cli_runner().invoke(args=["restore", str(damaged)])
    assert result.exit_code == 1
    assert f"{victim} in the archive is corrupted" in result.output
    assert tables_of(target_url) == [], "nothing is restored from a damaged archive"
    store = tmp_path / "restored-store"
    assert not store.exists() or not any(store.rglob("*"))


def test_a_stored_file_that_no_longer_matches_its_hash_is_reported_by_backup_and_restore(
    app, client, portal_with_documents, make_app, fresh_database, tmp_path
):
    document = docs.get_document(app, portal_with_documents[0])
    stored = Path(app.config["DOCUMENT_STORE"]) / document.storage_path
    stored.write_bytes(stored.read_bytes()[:-10] + b"tampered!!")
    archive = tmp_path / "portal.tar"
    made = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert made.exit_code == 1 and archive.is_file(), made.output  # written, and the damage reported
    assert (
        f"document {document.id}: {document.storage_path} does not match its recorded SHA-256" in made.output
    )

    restored = make_app(fresh_database(), DOCUMENT_STORE=str(tmp_path / "restored-store"))
    result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 1
    assert (
        f"document {document.id}: {document.storage_path} does not match its recorded SHA-256"
        in result.output
    )
    assert "1 stored file(s) do not match" in result.output


def test_backup_and_restore_round_trip_the_embedded_sqlite_database_and_its_store(tmp_path):
    """The embedded default: the SQLite file (copied with the online backup API) and the store."""
    source, runner = seeded_sqlite_app(tmp_path)
    with source.app_context():
        org = db.session.scalars(select(Organization)).one()
        owner = db.session.scalars(select(User).order_by(User.id)).first()
        uploads.save_letterhead(
            org, logo=docs.png_bytes(), signatory_name="A", signatory_title="", actor=owner
        )
        db.session.commit()
        logo_path, logo_sha256 = org.logo_path, org.logo_sha256
    archive = tmp_path / "embedded.tar"
    made = runner.invoke(args=["backup", str(archive)])
    assert (
        made.exit_code == 0
        and "sqlite database" in made.output
        and "8 recorded hashes checked"
        in made.output  # the logo, the demo's 6 sample evidence files, its packet
    )

    target = sqlite_app(tmp_path, "restored")
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert table_counts(target) == table_counts(source)
    assert sha256((tmp_path / "restored-store" / logo_path).read_bytes()).hexdigest() == logo_sha256
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def test_restore_refuses_an_archive_whose_manifest_is_not_a_json_object(tmp_path):
    """A manifest.json holding a list (or a folder by that name) is refused with a message, not a trace."""
    archive = tmp_path / "odd.tar"
    with tarfile.open(archive, "w") as tar:
        data = b"[]"
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    target = sqlite_app(tmp_path, "restored")
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 1, result.output
    assert "has no readable manifest.json: it is not a portal backup" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with target.app_context():
        db.engine.dispose()


def test_backup_reports_a_ready_document_without_a_stored_file(tmp_path):
    """A ready document row whose path and hash are missing is listed as a problem (exit 1), not a crash."""
    source, runner = seeded_sqlite_app(tmp_path)
    with source.app_context():
        case = db.session.scalars(select(Case)).first()
        document = document_row(case, kind="support_letter")
        db.session.add(document)
        db.session.commit()
        document_id = document.id
    made = runner.invoke(args=["backup", str(tmp_path / "portal.tar")])
    assert made.exit_code == 1, made.output
    assert f"document {document_id}: no stored file or SHA-256 is recorded" in made.output
    with source.app_context():
        db.engine.dispose()
