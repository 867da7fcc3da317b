"""In real headless Chromium: register an employer, sign in, switch to French, see the dashboard."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import fill_form, submit_sign_in

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password"  # invented test data


def test_register_login_switch_to_french(page, live_server, app, outbox):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Register an employer").first.click()
    fill_form(
        page,
        {
            "Your full name": "Rosalind Invented",
            "Email": "rosalind@lakeside-demo.example.com",
            "Password": PASSWORD,
            "Repeat the password": PASSWORD,
            "Legal name": "Lakeside Analytics Canada Inc.",
            "CRA business number": "811 222 333",
            "Street address": "200 Invented Road",
            "City": "Halifax",
            "Province or territory": "NS",
            "Postal code": "b3h 1a1",
            "Telephone": "902-555-0142",
            "Number of employees in Canada": "12",
            "Gross annual revenue (CAD)": "1800000",
        },
    )
    page.get_by_role("button", name="Register the employer").click()

    # Not signed in: the same answer as for an address that has an account (the mail tells which).
    page.wait_for_url("**/login")
    sent = page.locator(".alert-info").inner_text()
    assert "We sent a message to rosalind@lakeside-demo.example.com" in sent
    submit_sign_in(page, "rosalind@lakeside-demo.example.com", "a wrong password")
    assert "Wrong email or password." in page.content()

    # The right password too, until the address is confirmed (registering an address then signing in with
    # the password chosen would tell whether it had an account); the link mailed confirms it.
    submit_sign_in(page, "rosalind@lakeside-demo.example.com", PASSWORD)
    assert "confirm your address first with the link we mailed you" in page.content()
    [link] = [m for m in outbox if "/verify/" in m.body]
    page.goto(live_server + re.search(r"https?://[^/\s]+(/verify/\S+)", link.body).group(1))
    page.wait_for_url("**/login")
    assert "is confirmed" in page.locator(".alert").first.inner_text()

    submit_sign_in(page, "rosalind@lakeside-demo.example.com", PASSWORD)
    page.wait_for_url("**/dashboard")
    assert page.locator("#dashboard-title").inner_text() == "Dashboard"
    assert page.locator("#verify-banner").count() == 0

    page.locator("#lang-switch").click()
    page.wait_for_url("**/dashboard")
    assert page.locator("#dashboard-title").inner_text() == "Tableau de bord"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Lakeside Analytics Canada Inc." in page.content()
    assert page.get_by_role("button", name="Se déconnecter").is_visible()

    page.get_by_role("link", name="Organisation", exact=True).click()
    assert "811222333" in page.locator("#org-bn").inner_text()
    assert "B3H 1A1" in page.content()
