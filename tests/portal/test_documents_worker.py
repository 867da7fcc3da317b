"""Documents rendered by real ``celery worker`` processes on real Redis and PostgreSQL: the happy path,
a worker killed with SIGKILL mid-render, and a broker that is down when the document is requested.

The app of each test enqueues to the worker (CELERY=celery_settings(...)); the app and the workers
share DOCUMENT_STORE (tmp_path / "documents": make_test_app and the celery_worker fixture both use it).
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import time
from datetime import timedelta
from hashlib import sha256
from pathlib import Path

import pytest
import redis
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.documents import rendering
from portal.extensions import db
from portal.models import AuditEvent, Case, Document
from tests.fixtures.queue import celery_settings, start_worker, stop
from tests.portal.document_helpers import (
    EMPLOYER_NAME,
    create_case,
    document_id_of,
    download,
    enter_worked_case,
    get_document,
    pdf_text,
    request_document,
    squash,
    unnumbered,
)
from workers.tasks.documents import sweep_documents

TIMEOUT = 60


# ------------------------------------------------------------------------------------ helpers
def wait_for(predicate, timeout: float = TIMEOUT, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}", pytrace=False)
        time.sleep(interval)


def wait_ready(client, document_id: int, timeout: float = TIMEOUT) -> dict:
    """Poll the status JSON, as the page does, until the document is ready (or failed)."""
    seen = []

    def done():
        status = client.get(f"/documents/{document_id}/status").get_json()
        if not seen or seen[-1] != status["status"]:
            seen.append(status["status"])
        return status if status["status"] in ("ready", "failed") else None

    status = wait_for(done, timeout, what=f"document {document_id} to be rendered")
    assert status["status"] == "ready", status
    assert set(seen) <= {"queued", "rendering", "ready"}, seen
    return status


@pytest.fixture
def workers():
    """Workers started by the test (start_worker); each is stopped at the end, by its own pid."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        stop(proc)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int, tmp_path: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    try:

        def up():
            if proc.poll() is not None:
                pytest.fail(f"redis-server on port {port} exited with {proc.returncode}", pytrace=False)
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(up, 15, 0.1, f"redis-server on port {port}")
    finally:
        client.close()
    return proc


def document_files(app, document: Document) -> list[Path]:
    folder = (
        Path(app.config["DOCUMENT_STORE"]) / f"org-{document.organization_id}" / f"case-{document.case_id}"
    )
    return sorted(p for p in folder.iterdir() if f"doc-{document.id}-" in p.name) if folder.is_dir() else []


def check_stored(app, client, document: Document) -> bytes:
    """The stored file matches the recorded hash; the download serves the same bytes."""
    stored = (Path(app.config["DOCUMENT_STORE"]) / document.storage_path).read_bytes()
    assert sha256(stored).hexdigest() == document.pdf_sha256 and len(stored) == document.size_bytes
    assert download(client, document.id) == stored
    assert len(PdfReader(io.BytesIO(stored)).pages) == document.page_count
    return stored


# ------------------------------------------------------------------------------------ tests
def test_a_real_worker_renders_letters_and_packets_of_two_worked_cases(
    make_app, redis_url, celery_worker, make_employer, login
):
    real = make_app(CELERY=celery_settings(redis_url))
    assert real.config["CELERY"]["task_always_eager"] is False
    ict = real.test_client()
    login(ict, make_employer(legal_name=EMPLOYER_NAME))
    ict_case = create_case(real, ict)  # worked case 02: T37
    pro_case, pro_account, code = enter_worked_case(real, "case01-us-civil-engineer")
    assert code == "T36"
    pro = real.test_client()
    login(pro, pro_account)

    expected = {
        "T37": (
            ict,
            ict_case,
            [
                EMPLOYER_NAME,
                "Avery Inventedname",
                "T37",
                "$95.00 per hour",
                "The corporate relationship",
                "Rocky Invented Inc.",
            ],
        ),
        "T36": (
            pro,
            pro_case,
            [
                "CanBuild Infrastructure Inc.",
                "Invented case01-us-civil-engineer",
                "T36",
                "$48.00 per hour",
                "The profession and the credentials",
                "civil engineering",
            ],
        ),
    }
    requested = {
        code: (
            document_id_of(request_document(client, case_id, "support_letter")),
            document_id_of(request_document(client, case_id, "packet")),
        )
        for code, (client, case_id, _texts) in expected.items()
    }
    for code, (letter_id, packet_id) in requested.items():
        client, _case_id, texts = expected[code]
        for document_id in (letter_id, packet_id):
            wait_ready(client, document_id)
        letter, packet = get_document(real, letter_id), get_document(real, packet_id)
        assert letter.attempts == packet.attempts == 1 and letter.enqueued_at is not None

        letter_pdf = check_stored(real, client, letter)
        letter_text = squash(pdf_text(letter_pdf))
        for text in [*texts, "Dear Officer"]:
            assert squash(text) in letter_text, (code, text)

        packet_pdf = check_stored(real, client, packet)
        pages = [squash(p.extract_text() or "") for p in PdfReader(io.BytesIO(packet_pdf)).pages]
        body, appended = pages[: -letter.page_count], pages[-letter.page_count :]
        body_text = "".join(body)
        for text in [
            *texts[:3],
            "Contents",
            "Employer Portal data sheet",
            "Pre-checks before filing",
            "The employer's obligations",
            "Evidence checklist",
            f"Annex A — Support letter ({letter.page_count} pages)",
        ]:
            assert squash(text) in body_text, (code, text)
        assert squash(texts[3]) in body_text  # the wage, in the data sheet
        assert "DearOfficer" not in body_text and "DearOfficer" in appended[0]
        assert [unnumbered(t) for t in appended] == [
            unnumbered(p.extract_text() or "") for p in PdfReader(io.BytesIO(letter_pdf)).pages
        ]
        assert packet.page_count == len(body) + letter.page_count
    log = celery_worker.log_path.read_bytes()
    assert log.count(b"documents.render") >= 4 and b"Traceback" not in log


@pytest.fixture
def slow_worker(make_app, pg_url, redis_url, tmp_path, workers, make_employer, login):
    """``slow_worker(lease, name, delay)``: (app, client, case_id, worker): an app on Redis with a short
    lease, a signed-in employer's case, and a worker on the same lease that holds every render ``delay``
    seconds between writing its file and marking it ready."""

    def start(lease: float, name: str, delay: float):
        real = make_app(CELERY=celery_settings(redis_url), DOCUMENT_RENDER_LEASE_SECONDS=lease)
        client = real.test_client()
        login(client, make_employer(legal_name=EMPLOYER_NAME))
        case_id = create_case(real, client)
        slow = start_worker(
            tmp_path,
            pg_url,
            redis_url,
            name,
            DOCUMENT_RENDER_DELAY_SECONDS=str(delay),
            DOCUMENT_RENDER_LEASE_SECONDS=str(lease),
        )
        workers.append(slow)
        return real, client, case_id, slow

    return start


def test_a_worker_killed_mid_render_is_taken_over_and_the_document_is_ready_once(
    pg_url, redis_url, tmp_path, workers, slow_worker
):
    lease = 3
    # The first worker holds every render for a minute between writing its file and marking it ready.
    real, client, case_id, slow = slow_worker(lease, "slow", delay=60)
    document_id = document_id_of(request_document(client, case_id, "packet"))

    def written():
        document = get_document(real, document_id)
        return document.status == "rendering" and document_files(real, document)

    first_files = wait_for(written, what="the slow worker to write its file")
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait(timeout=10)
    assert slow.returncode == -signal.SIGKILL
    document = get_document(real, document_id)
    assert document.status == "rendering" and document.attempts == 1 and document.pdf_sha256 is None
    assert client.get(f"/documents/{document_id}/status").get_json()["status"] == "rendering"

    workers.append(
        start_worker(tmp_path, pg_url, redis_url, "second", DOCUMENT_RENDER_LEASE_SECONDS=str(lease))
    )
    # Nothing is sent again while the lease runs; once it has expired, the sweep (beat's task, run here) does.

    # The lease runs from the last heartbeat the killed worker wrote.
    beat = document.heartbeat_at
    assert beat is not None and beat >= document.started_at
    with real.app_context():
        assert document_id not in rendering.sweep(now=beat + timedelta(seconds=lease - 1))
        assert document_id in rendering.sweep(now=beat + timedelta(seconds=lease + 1))
    wait_for(lambda: time.time() > beat.timestamp() + lease + 0.5, lease + 5, what="the lease")
    with real.app_context():
        assert sweep_documents() == [document_id]
    wait_ready(client, document_id)

    with real.app_context():
        rows = db.session.scalars(select(Document).where(Document.case_id == case_id)).all()
        assert len(rows) == 1 and rows[0].status == "ready"
        events = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "document.requested")
        )
        assert events == 1
    document = get_document(real, document_id)
    assert document.attempts >= 2 and document.error is None
    stored = check_stored(real, client, document)
    assert "Employer Portal data sheet" in pdf_text(stored)
    # Only the winning render is left in the folder: the killed worker's file is gone, no temp file.
    files = document_files(real, document)
    assert [p.name for p in files] == [Path(document.storage_path).name]
    assert not set(first_files) & set(files)
    folder = files[0].parent
    assert [p.name for p in folder.iterdir() if p.name.startswith(".tmp")] == []
    with real.app_context():  # a late sweep finds nothing to do
        assert sweep_documents() == []


def test_a_document_requested_while_redis_is_down_is_rendered_after_it_comes_back(
    make_app, pg_url, tmp_path, workers, make_employer, login
):
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    redis_proc = start_redis(port, tmp_path)
    try:
        real = make_app(CELERY={"broker_url": broker, "result_backend": broker, "task_always_eager": False})
        client = real.test_client()
        login(client, make_employer(legal_name=EMPLOYER_NAME))
        case_id = create_case(real, client)

        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        client.get(f"/cases/{case_id}/documents")  # the form's CSRF token is fetched before the clock starts
        token = client.csrf_token()
        started = time.monotonic()
        response = client.post(
            f"/cases/{case_id}/documents",
            data={"csrf_token": token, "kind": "packet", "language": "en"},
        )
        elapsed = time.monotonic() - started
        # kombu's default retries held a web worker ~6 s on a dead broker (portal/config.py): fail fast, within 2 s.
        # Alone this request takes ~0.06 s; in the full suite under xdist it twice took 1.06-1.11 s (unexplained)
        assert elapsed < 2.0, f"the request held the web worker {elapsed:.2f} s on a broker that is down"
        document_id = document_id_of(response)
        assert response.location.endswith(f"/cases/{case_id}/documents#document-{document_id}")
        document = get_document(real, document_id)
        assert (document.status, document.enqueued_at, document.attempts) == ("queued", None, 0)
        assert document.snapshot["letter"]["code"] == "T37"
        assert client.get(f"/documents/{document_id}/status").get_json()["status"] == "queued"
        page = client.get(f"/cases/{case_id}/documents")
        assert page.status_code == 200 and f'id="document-{document_id}"' in page.get_data(as_text=True)

        redis_proc = start_redis(port, tmp_path)
        workers.append(start_worker(tmp_path, pg_url, broker, "after-outage"))

        with real.app_context():  # beat's sweep, sent through the broker to the worker
            sweep_documents.delay()
        wait_ready(client, document_id)
        log = workers[-1].log_path.read_text(errors="replace")
        assert "documents.sweep" in log and f"Sweep re-enqueued documents [{document_id}]" in log
        document = get_document(real, document_id)
        assert document.attempts == 1 and document.enqueued_at is not None
        assert "Avery Inventedname" in pdf_text(check_stored(real, client, document))
    finally:
        redis_proc.terminate()
        redis_proc.wait(timeout=10)


def test_a_live_render_longer_than_the_lease_keeps_its_claim_through_its_heartbeat(slow_worker):
    """The lease is short so that a dead worker's render is retried soon; a live one renews it."""
    lease = 1.5
    real, client, case_id, slow = slow_worker(lease, "long-render", delay=5)
    document_id = document_id_of(request_document(client, case_id, "support_letter"))
    wait_for(
        lambda: document_files(real, get_document(real, document_id)), what="the render to write its file"
    )
    started = get_document(real, document_id).started_at
    wait_for(lambda: time.time() > started.timestamp() + 2 * lease + 0.5, 10, what="two leases")
    document = get_document(real, document_id)
    assert document.status == "rendering" and document.heartbeat_at > started + timedelta(seconds=lease)
    with real.app_context():
        assert document_id not in rendering.sweep(), "a live render must not be sent again"
    document = get_document(real, document_id)
    wait_ready(client, document_id)
    document = get_document(real, document_id)
    assert document.attempts == 1 and document.started_at == started
    check_stored(real, client, document)
    assert slow.log_path.read_text(errors="replace").count("Heartbeat of document") == 0


def test_a_real_worker_prepares_the_packet_after_its_letter_once_and_the_click_renders_none(
    make_app, redis_url, celery_worker, make_employer, login
):
    """portal/documents/ahead.py through the real queue: the letter's render sends
    documents.prepare_packet, whose parts the packet asked for next finds kept (no part is rendered
    after the click); the same letter asked for again is not prepared twice."""
    real = make_app(CELERY=celery_settings(redis_url))
    client = real.test_client()
    login(client, make_employer(legal_name=EMPLOYER_NAME))
    case_id = create_case(real, client)
    letter_id = document_id_of(request_document(client, case_id, "support_letter"))
    wait_ready(client, letter_id)
    letter = get_document(real, letter_id)
    folder = (
        Path(real.config["DOCUMENT_STORE"]) / f"org-{letter.organization_id}" / f"case-{case_id}" / "parts"
    )

    def kept() -> set[str]:
        return {p.name for p in folder.glob("*.part")} if folder.is_dir() else set()

    def prepared() -> bool:
        return (
            b"documents.prepare_packet" in celery_worker.log_path.read_bytes()
            and b"succeeded" in (celery_worker.log_path.read_bytes().split(b"documents.prepare_packet")[-1])
        )

    wait_for(prepared, what="the packet of the letter to be prepared")
    before = kept()
    assert len(before) >= 3, before  # the packet's own parts (and the obligations) rendered ahead

    packet_id = document_id_of(request_document(client, case_id, "packet"))
    wait_ready(client, packet_id)
    packet = get_document(real, packet_id)
    assert packet.reused_letter_id == letter_id
    assert kept() == before  # every part of the packet came from those prepared: none rendered at the click
    body = squash(pdf_text(check_stored(real, client, packet)))
    assert squash("Employer Portal data sheet") in body and squash(EMPLOYER_NAME) in body

    # the same letter asked again: nothing changed, so its ready version is the answer (no render, no prepare)
    again = document_id_of(request_document(client, case_id, "support_letter"))
    assert again == letter_id
    wait_ready(client, again)
    time.sleep(1)  # a prepare task sent after it would have been received by now
    log = celery_worker.log_path.read_bytes()
    assert log.count(b"Task documents.prepare_packet[") == 2, log[-3000:]  # received and succeeded, once
    assert b"Traceback" not in log


def test_a_real_worker_prepares_the_letter_its_documents_page_would_ask_for(
    make_app, redis_url, celery_worker, make_employer, login
):
    """portal/documents/ahead.py through the real queue: opening the case's documents page sends
    documents.prepare_letter; the worker renders that letter and keeps it; the letter asked for next is
    that render (the worker says so, and renders nothing more), numbered and stored like any other."""
    real = make_app(CELERY=celery_settings(redis_url))
    client = real.test_client()
    login(client, make_employer(legal_name=EMPLOYER_NAME))
    case_id = create_case(real, client)
    assert client.get(f"/cases/{case_id}/documents").status_code == 200

    def prepared() -> bool:
        log = celery_worker.log_path.read_bytes()
        return (
            b"documents.prepare_letter" in log and b"succeeded" in log.split(b"documents.prepare_letter")[-1]
        )

    wait_for(prepared, what="the letter of the documents page to be prepared")
    with real.app_context():
        org_id = db.session.get_one(Case, case_id).organization_id
    folder = Path(real.config["DOCUMENT_STORE"]) / f"org-{org_id}" / f"case-{case_id}" / "parts"
    before = {p.name for p in folder.glob("*.part")}
    assert len(before) == 1, before  # the letter, rendered ahead

    letter_id = document_id_of(request_document(client, case_id, "support_letter"))
    wait_ready(client, letter_id)
    log = celery_worker.log_path.read_text(errors="replace")
    assert f"Support letter {letter_id}: the render prepared ahead" in log, log[-3000:]
    assert before <= {p.name for p in folder.glob("*.part")}  # still kept (with the packet's, prepared after)
    letter = get_document(real, letter_id)
    body = squash(pdf_text(check_stored(real, client, letter)))
    assert squash(EMPLOYER_NAME) in body and squash(f"1 / {letter.page_count}") in body
    assert "Traceback" not in log
