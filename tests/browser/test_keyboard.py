"""In real headless Chromium, from the keyboard only: the dialog that asks before a job is removed
(static/js/ask-first.js). Tour: it opened with the focus on its red button, so Enter pressed once
more removed the job, and a screen reader announced a nameless dialog."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.portal.test_cases import PERSON

pytestmark = pytest.mark.browser

JOB = {"employer_name": "Invented Parent Co", "country": "US", "job_title": "VP Operations"}
JOB |= {"capacity": "executive", "start_date": "2022-01-10", "full_time": "y"}


def test_the_dialog_that_asks_is_named_and_starts_on_cancel(page, live_server, app, make_employer, login):
    account = make_employer()
    client = app.test_client()
    login(client, account)
    response = client.post_form("/transferees/new", PERSON)
    tid = int(response.location.rstrip("/").split("/")[-1])
    assert client.post_form(f"/transferees/{tid}/employment", JOB).status_code == 302
    sign_in(page, live_server, account)
    page.goto(f"{live_server}/transferees/{tid}")
    remove = page.locator("#employment").get_by_role("button", name="Remove")
    remove.focus()
    page.keyboard.press("Enter")
    question = "Remove the job VP Operations at Invented Parent Co from the employment history of Avery Inventedname?"
    dialog = page.get_by_role("dialog", name=question)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Enter")  # Cancel: nothing removed
    page.locator("dialog").wait_for(state="detached")
    expect(page.locator("#employment")).to_contain_text("VP Operations")
    remove.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")  # to the dialog's Remove
    page.keyboard.press("Enter")
    expect(page.get_by_text("The job is removed from the employment history.")).to_be_visible()
    expect(page.locator("#employment")).not_to_contain_text("VP Operations")


def test_the_new_calendar_link_is_copied_with_a_button(browser, live_server, make_employer):
    """Tour: "Your new link (copy it now)" showed a long address, once, to select by hand (on a phone,
    a drag across two lines of code)."""
    account = make_employer()
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, live_server, account)
    page.goto(live_server + "/calendar")
    page.get_by_role("button", name="Make a new private link").click()
    link = page.locator("#ics-feed").inner_text().strip()
    assert "/calendar/feed/" in link  # at the portal's PUBLIC_URL
    copy = page.get_by_role("button", name="Copy the link")
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Copied: paste it into your calendar app.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    context.close()
