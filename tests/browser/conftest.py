"""Fixtures for browser tests: Playwright (sync API) driving Debian's Chromium.

* ``browser``      -- session-scoped Chromium launched from /usr/bin/chromium (headless).
* ``page``         -- function-scoped page in a fresh browser context (15 s default timeout);
                      on test failure a screenshot is written to ``test-artifacts/``.
* ``live_server``  -- serves the ``app`` fixture (provided by tests/conftest.py, or overridden
                      in a test module) with werkzeug on 127.0.0.1:<free port> in a background
                      thread and yields its base URL, e.g. ``http://127.0.0.1:40123``.

pytest-playwright is deliberately NOT used: it would look for Playwright's downloaded browsers.
Never run ``playwright install``; install Debian's package with ``scripts/ensure-tools.sh``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item so ``page`` can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}. Browser tests need Debian's chromium package: "
            "run `bash scripts/ensure-tools.sh` (or `apt-get install chromium`). "
            "Do not use `playwright install`.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM_PATH,
        headless=True,
        args=CHROMIUM_ARGS,
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context()
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    try:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed and not page.is_closed():
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-180:]
            path = ARTIFACTS_DIR / f"{name}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
                print(f"\nscreenshot saved to {path}")
            except PlaywrightError as exc:  # a broken page must not hide the real failure
                print(f"\ncould not save screenshot: {exc!r}")
    finally:
        context.close()


def _body_closed_before_sending(app):
    """Wrap ``app`` so each response body is read and closed before werkzeug sends it.

    Werkzeug's development server closes the body only after draining the request socket, and that
    drain raises when the browser resets the connection (a favicon or a static file cancelled by a
    navigation): the body -- an open file from ``send_file`` -- is then never closed, and the
    ResourceWarning surfaces later in an unrelated test. Closing it here, in the request's own
    thread, leaves nothing open whatever happens to the connection. No portal response streams.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 with a free port in a background thread; yield the base URL."""
    server = make_server("127.0.0.1", 0, _body_closed_before_sending(app), threaded=True)
    port = server.server_port
    thread = threading.Thread(target=server.serve_forever, name=f"live-server-{port}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
