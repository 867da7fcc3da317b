"""In real headless Chromium: a form is sent once (static/js/submit-once.js). A double click on "Save"
sent the form twice and made two transferees (the server saves what it is sent); the second submit
while the first is on its way is now stopped in the page, and the person is saved once. A form that
asks first (ask-first.js) and is cancelled can still be sent afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Transferee
from tests.browser.helpers import choose_countries, sign_in

pytestmark = pytest.mark.browser

# Sends the form holding ``label``'s button twice in a row, as a double click does, and says which of the
# two submit events went through (a listener added after the page's own sees what they decided).
TWICE = """label => {
  const button = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === label);
  const form = button.form;
  const through = [];
  document.addEventListener("submit", e => through.push(!e.defaultPrevented));
  form.requestSubmit(button);
  form.requestSubmit(button);
  return through;
}"""


def test_a_double_click_on_save_makes_one_transferee(page, live_server, app, make_employer):
    account = make_employer()
    sign_in(page, live_server, account)
    page.goto(live_server + "/transferees/new")
    page.get_by_label("Given names").fill("Noor")
    page.get_by_label("Family name").fill("Onceonly")
    choose_countries(page, "Citizenships (all of them)", "India")
    with page.expect_navigation():
        assert page.evaluate(TWICE, "Save the transferee") == [True, False]
    page.wait_for_selector("#employment")
    with app.app_context():
        saved = db.session.scalar(
            select(func.count()).select_from(Transferee).where(Transferee.organization_id == account.org_id)
        )
    assert saved == 1


def test_a_form_cancelled_in_the_ask_first_dialog_can_still_be_sent(page, live_server, make_employer):
    """ask-first.js stops the submit to ask; cancelling must not leave the form marked as being sent."""
    account = make_employer()
    sign_in(page, live_server, account)
    page.goto(live_server + "/transferees/new")
    page.get_by_label("Given names").fill("Ask")
    page.get_by_label("Family name").fill("Firstname")
    choose_countries(page, "Citizenships (all of them)", "India")
    job = page.locator("#jobs .job-row").nth(0)
    job.get_by_label("Or another employer's name").fill("Invented Asking Ltd")
    job.get_by_label("Job title abroad").fill("Analyst")
    job.get_by_label("From").fill("2019-06-01")
    job.get_by_label("Hours per week").fill("40")
    page.get_by_role("button", name="Save the transferee").click()
    page.wait_for_selector("#employment table")
    archive = page.locator("#employment form[data-confirm]").first
    archive.locator("button[type=submit]").click()
    page.get_by_role("button", name="Cancel").click()
    assert archive.get_attribute("data-sending") is None
    archive.locator("button[type=submit]").click()
    dialog = page.locator("dialog.confirm-dialog")
    assert dialog.is_visible()


# Sends the form of ``label``'s button once and keeps the page (a listener added after submit-once.js's stops
# the navigation), then says how the button looks while the form is on its way.
SENT_AND_HELD = """label => {
  const button = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === label);
  const look = () => [getComputedStyle(button).opacity, getComputedStyle(button).cursor];
  const before = look();
  document.addEventListener("submit", e => e.preventDefault());
  button.form.requestSubmit(button);
  return [before, button.form.getAttribute("aria-busy"), look()];
}"""


def test_a_form_on_its_way_shows_it_on_its_button(page, live_server, make_employer):
    """Tour: "Make the document" (and the registration) take seconds, and nothing showed the request was on
    its way; a second click, ignored by submit-once.js, seemed to do nothing. The button now looks pressed
    and the pointer says to wait."""
    account = make_employer()
    sign_in(page, live_server, account)
    page.goto(live_server + "/transferees/new")
    before, busy, during = page.evaluate(SENT_AND_HELD, "Save the transferee")
    assert before[0] == "1", before
    assert busy == "true"
    assert float(during[0]) < 1 and during[1] == "progress", during
