"""In real headless Chromium: a form the server refuses comes back with the focus on its first field in
error, scrolled into view (static/js/first-error.js). Tour: the transferee form came back at its top with
the focus in "Given names", its one error ("Enter a whole number.") under the English level, far below the
fold: the save seemed to do nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import choose_countries, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_first_field_in_error_has_the_focus_and_is_in_view(browser, live_server, make_employer, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, make_employer())
    page.goto(live_server + "/transferees/new")
    page.get_by_label("Given names").fill("Noor")
    page.get_by_label("Family name").fill("Inventedname")
    choose_countries(page, "Citizenships (all of them)", "India")
    page.get_by_label("English level (CLB)").fill("nine")
    page.get_by_role("button", name="Save the transferee").last.click()
    page.wait_for_load_state()

    english = page.get_by_label("English level (CLB)")
    expect(english).to_have_value("nine")  # what was typed is kept
    expect(english).to_be_focused()
    expect(english).to_be_in_viewport()
    expect(page.get_by_text("Enter a whole number.")).to_be_in_viewport()
    context.close()


def test_a_country_box_in_error_is_focused_through_its_typing_box(page, live_server, make_employer):
    sign_in(page, live_server, make_employer())
    page.goto(live_server + "/transferees/new")
    page.get_by_label("Given names").fill("Noor")
    page.get_by_label("Family name").fill("Inventedname")
    page.get_by_role("button", name="Save the transferee").last.click()
    page.wait_for_load_state()
    expect(page.get_by_role("combobox", name="Citizenships (all of them)", exact=True)).to_be_focused()
