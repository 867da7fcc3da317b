"""In real headless Chromium, with a real Celery worker on Redis: an offer-submission packet is
requested on the documents page, its row goes from queued/rendering to ready without a reload
(static/js/documents.js polls /documents/<id>/status), and the download is a PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.conftest import CSRFClient, make_test_app, truncate_all
from tests.fixtures.queue import celery_settings
from tests.portal.document_helpers import enter_worked_case

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def slow_renders(monkeypatch):
    """The worker (started after this, with the environment of the test) holds each render for 2 s
    before marking it ready, so the page is seen before the document is ready."""
    monkeypatch.setenv("DOCUMENT_RENDER_DELAY_SECONDS", "2")


@pytest.fixture
def app(pg_url, tmp_path, redis_url):
    """The live server's app enqueues to the real worker; both use tmp_path / "documents"."""
    app = make_test_app(pg_url, tmp_path, CELERY=celery_settings(redis_url))
    app.test_client_class = CSRFClient
    yield app
    truncate_all(app)


def test_a_packet_is_requested_watched_until_ready_and_downloaded(page, live_server, app, celery_worker):
    assert app.config["CELERY"]["task_always_eager"] is False
    case_id, account, code = enter_worked_case(app, "case02-us-executive")
    assert code == "T37"

    sign_in(page, live_server, account)

    page.goto(f"{live_server}/cases/{case_id}/documents")
    expect(page.locator("#versions")).to_contain_text("No document yet.")
    page.locator("#request-form").get_by_label("Document").select_option("packet")
    page.get_by_role("button", name="Make the document").click()
    row = page.locator("#document-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Offer-submission packet (EN)")
    badge = row.locator(".doc-status .badge")
    expect(badge).to_have_text(re.compile(r"^(Queued|Rendering)$"))
    expect(row.locator(".doc-download")).to_have_count(0)
    # A mark on this very page: still there at the end means the page was never reloaded.
    row.evaluate("node => node.setAttribute('data-seen-before', 'yes')")

    expect(badge).to_have_text("Ready", timeout=60_000)
    expect(badge).to_have_class(re.compile(r"text-bg-success"))
    expect(row.locator(".doc-status .spinner-border")).to_have_count(0)
    expect(row.locator(".doc-details")).to_contain_text(re.compile(r"\d+ pages · SHA-256"))
    link = row.get_by_role("link", name="Download")
    expect(link).to_be_visible()
    expect(row).to_have_attribute("data-seen-before", "yes")

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith("-t37-offer-packet-v1-en.pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert b"documents.render" in celery_worker.log_path.read_bytes()
