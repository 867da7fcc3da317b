"""In real headless Chromium: register an employer, sign out, sign in, switch to French, see the dashboard."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password"  # invented test data


def test_register_logout_login_switch_to_french(page, live_server, app):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Register an employer").first.click()
    page.get_by_label("Your full name").fill("Rosalind Invented")
    page.get_by_label("Email").fill("rosalind@lakeside-demo.example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Legal name").fill("Lakeside Analytics Canada Inc.")
    page.get_by_label("CRA business number").fill("811 222 333")
    page.get_by_label("Street address").fill("200 Invented Road")
    page.get_by_label("City").fill("Halifax")
    page.get_by_label("Province or territory").select_option("NS")
    page.get_by_label("Postal code").fill("b3h 1a1")
    page.get_by_label("Telephone").fill("902-555-0142")
    page.get_by_label("Number of employees in Canada").fill("12")
    page.get_by_label("Gross annual revenue (CAD)").fill("1800000")
    page.get_by_role("button", name="Register the employer").click()

    page.wait_for_url("**/dashboard")
    assert "Lakeside Analytics Canada Inc. is registered" in page.locator(".alert-success").inner_text()
    assert "Confirm your email address" in page.locator("#verify-banner").inner_text()

    page.locator("#logout").click()
    page.wait_for_url("**/login")
    page.get_by_label("Email").fill("rosalind@lakeside-demo.example.com")
    page.get_by_label("Password").fill("a wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert "Wrong email or password." in page.content()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    assert page.locator("#dashboard-title").inner_text() == "Dashboard"

    page.locator("#lang-switch").click()
    page.wait_for_url("**/dashboard")
    assert page.locator("#dashboard-title").inner_text() == "Tableau de bord"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Lakeside Analytics Canada Inc." in page.content()
    assert page.get_by_role("button", name="Se déconnecter").is_visible()

    page.get_by_role("link", name="Organisation", exact=True).click()
    assert "811222333" in page.locator("#org-bn").inner_text()
    assert "B3H 1A1" in page.content()
