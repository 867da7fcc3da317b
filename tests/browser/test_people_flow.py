"""In real headless Chromium: the employment history typed on the transferee form itself, a job row
added without leaving the page (static/js/jobs.js), saved with the person, hours deciding full time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import choose_countries, sign_in

pytestmark = pytest.mark.browser


def test_jobs_are_typed_on_the_transferee_form_and_saved_with_the_person(page, live_server, make_employer):
    sign_in(page, live_server, make_employer())
    page.goto(live_server + "/transferees/new")
    page.get_by_label("Given names").fill("Noor")
    page.get_by_label("Family name").fill("Inventedname")
    choose_countries(page, "Citizenships (all of them)", "India")
    rows = page.locator("#jobs .job-row")
    expect(rows).to_have_count(2)

    first = rows.nth(0)
    first.get_by_label("Or another employer's name").fill("Invented Payments Pvt Ltd")
    first.get_by_label("Job title abroad").fill("Lead engineer")
    first.get_by_label("From").fill("2019-06-01")
    first.get_by_label("Hours per week").fill("40")
    first.get_by_label("Duties in that job").fill("Leads the payments team\nDesigns the fraud checks")

    # "Add a job" adds a third, empty row on the page itself (no request: the marker survives).
    page.evaluate("window.stillHere = true")
    page.get_by_role("button", name="Add a job").click()
    expect(rows).to_have_count(3)
    assert page.evaluate("window.stillHere") is True
    third = rows.nth(2)
    expect(third.locator("h3")).to_have_text("Job 3")
    assert third.get_by_label("Or another employer's name").get_attribute("name") == "jobs-2-employer_name"
    assert third.get_by_label("Or another employer's name").input_value() == ""
    third.get_by_label("Or another employer's name").fill("Small Invented Shop")
    third.get_by_label("From").fill("2015-01-05")
    third.get_by_label("To (empty if current)").fill("2019-05-31")
    third.get_by_label("Hours per week").fill("20")  # full time stays ticked: the hours decide

    page.get_by_role("button", name="Save the transferee").click()
    page.wait_for_selector("#employment table")
    table = page.locator("#employment table")
    shop = table.locator("tr", has_text="Small Invented Shop")
    lead = table.locator("tr", has_text="Invented Payments Pvt Ltd")
    expect(shop).to_contain_text("20")
    expect(shop).to_contain_text("No")
    expect(lead).to_contain_text("40")
    expect(lead).to_contain_text("Yes")
    expect(lead).to_contain_text("Designs the fraud checks")

    # Editing: the two jobs come back in their rows, with one empty row to add another.
    page.get_by_role("link", name="Edit", exact=True).first.click()
    expect(rows).to_have_count(3)
    assert rows.nth(0).get_by_label("Or another employer's name").input_value() in (
        "Small Invented Shop",
        "Invented Payments Pvt Ltd",
    )
    expect(rows.nth(0).get_by_label("Remove this job")).to_have_count(1)
