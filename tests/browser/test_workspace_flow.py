"""In real headless Chromium: the NOC lookup by job title on the role form, and the dialog that
asks before a role is archived."""

from __future__ import annotations

import pytest

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_noc_lookup_by_job_title_then_archive_asks_in_a_dialog(page, live_server, make_employer):
    sign_in(page, live_server, make_employer())
    page.goto(live_server + "/roles/new")
    page.get_by_label("Job title", exact=True).fill("Director of Software Engineering")
    code = page.get_by_label("NOC 2021 code")
    code.press_sequentially("software engineering manager", delay=5)
    option = page.locator("#noc-options option[value='20012']")
    option.wait_for(state="attached")
    assert "Software engineering manager" in option.get_attribute("label")
    code.fill("20012")
    code.dispatch_event("input")
    chosen = page.locator("#noc-chosen")
    assert "20012 — Computer and information systems managers (TEER 0)" in chosen.inner_text()
    assert "plan, organize, direct, control and evaluate" in chosen.locator(".noc-summary").inner_text()
    page.get_by_role("button", name="Save the role").click()
    page.wait_for_url("**/roles/")

    row = page.locator("#positions tr", has_text="Director of Software Engineering")
    row.get_by_role("button", name="Archive").click()
    dialog = page.locator("dialog.confirm-dialog")
    assert "Archive the role Director of Software Engineering?" in dialog.inner_text()
    dialog.get_by_role("button", name="Cancel").click()
    page.locator("dialog").wait_for(state="detached")  # closed and removed
    assert row.is_visible()  # nothing happened

    row.get_by_role("button", name="Archive").click()
    page.locator("dialog.confirm-dialog").get_by_role("button", name="Archive").click()
    page.wait_for_url("**/roles/")
    assert "The role is archived." in page.locator(".alert").first.inner_text()
    assert page.locator("#positions tr", has_text="Director of Software Engineering").count() == 0
