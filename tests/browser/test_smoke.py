"""Smoke test: Debian's Chromium + Playwright + the live_server fixture work on this machine.

Uses a throwaway Flask app (not the portal) by overriding the ``app`` fixture for this module.
"""

import pytest
from flask import Flask


@pytest.fixture
def app():
    app = Flask("browser_smoke")

    @app.get("/")
    def index():
        return (
            "<!doctype html><html><head><title>Smoke</title></head>"
            "<body><h1 id='greeting'>Hello from Chromium</h1>"
            "<button id='btn' onclick=\"document.getElementById('out').textContent='clicked'\">Go</button>"
            "<p id='out'></p></body></html>"
        )

    return app


@pytest.mark.browser
def test_chromium_renders_live_server_page(page, live_server):
    response = page.goto(live_server + "/")
    assert response is not None and response.status == 200
    assert page.title() == "Smoke"
    assert page.locator("#greeting").inner_text() == "Hello from Chromium"
    page.click("#btn")
    assert page.locator("#out").inner_text() == "clicked"
    assert page.context.browser.version.split(".")[0].isdigit()
