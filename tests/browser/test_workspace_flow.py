"""In real headless Chromium: the NOC lookup by job title on the role form, the dialog that asks
before a role is archived, and the searchable country lists."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.portal.test_cases import PERSON, _create_case

pytestmark = pytest.mark.browser


# The page's fetch, each answer to a lookup of "softw" held back 1.5 s (as a cold or busy server may).
SLOW_FIRST_LOOKUP = """() => {
  const real = window.fetch;
  window.fetch = (url, options) => real(url, options).then((response) => new Promise((resolve) =>
    setTimeout(() => resolve(response), String(url).endsWith("q=softw") ? 1500 : 0)));
}"""


def test_a_late_answer_to_an_earlier_lookup_does_not_replace_the_list(page, live_server, make_employer):
    """The lookup of what was typed first ("softw", a pause) answered after the lookup of the whole title and
    replaced its list: the options offered were those of a word no longer in the box (seen as a flaky
    test_noc_lookup_by_job_title_then_archive_asks_in_a_dialog under load). A late answer is now dropped."""
    sign_in(page, live_server, make_employer())
    page.goto(live_server + "/roles/new")
    page.evaluate(SLOW_FIRST_LOOKUP)
    code = page.get_by_label("NOC 2021 code")
    code.press_sequentially("softw", delay=5)
    page.wait_for_timeout(400)  # the lookup of "softw" is asked (after 150 ms)
    code.press_sequentially("are engineering manager", delay=5)
    option = page.locator("#noc-options option[value='20012']")
    option.wait_for(state="attached")
    page.wait_for_timeout(2000)  # the late answer arrives
    labels = page.locator("#noc-options option").evaluate_all("options => options.map((o) => o.label)")
    assert any("Software engineering manager" in label for label in labels), labels


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


@pytest.mark.parametrize(("lang", "old"), [("en", "NOC 2016 2173 → "), ("fr", "CNP 2016 2173 → ")])
def test_a_noc_2016_code_is_named_in_the_pages_language(page, live_server, make_employer, lang, old):
    """Tour: typing the NOC 2016 code 2173 on the role form in French offered "NOC 2016 2173 → Scientifiques
    des données": the lookup's script wrote "NOC 2016" in English whatever the page's language."""
    sign_in(page, live_server, make_employer())
    if lang == "fr":
        page.locator("#lang-switch").click()
        page.wait_for_load_state()
    page.goto(live_server + "/roles/new")
    page.locator("#noc_code").press_sequentially("2173", delay=5)
    option = page.locator("#noc-options option[value='21231']")
    option.wait_for(state="attached")
    assert option.get_attribute("label").startswith(old), option.get_attribute("label")


def test_countries_are_chosen_by_typing_and_saved(page, live_server, make_employer):
    sign_in(page, live_server, make_employer())
    page.goto(live_server + "/transferees/new")
    page.get_by_label("Given names").fill("Noor")
    page.get_by_label("Family name").fill("Inventedname")
    box = page.get_by_role("combobox", name="Citizenships (all of them)", exact=True)
    # The help text tells how to use the box, not the Ctrl-click of the plain list.
    assert "Type a few letters" in page.locator("#citizenships-help").inner_text()
    box.press_sequentially("indi", delay=20)
    box.press("Enter")  # at once, as a quick typist does: the list is already filtered
    box.press_sequentially("fran", delay=20)
    expect(page.locator(".ts-dropdown:visible .option.active")).to_have_text("France")
    box.press("Enter")
    chosen = page.locator("#citizenships-ts-control").locator("xpath=..").locator(".item")
    expect(chosen).to_have_count(2)
    assert [chosen.nth(i).get_attribute("data-value") for i in range(2)] == ["IN", "FR"]
    # A name that is no country says so.
    box.press_sequentially("zzqx", delay=10)
    expect(page.locator(".ts-dropdown:visible .no-results")).to_have_text("No country by that name.")
    box.fill("")
    page.get_by_role("button", name="Save the transferee").click()
    page.wait_for_selector("#employment-form")
    assert "India, France" in page.locator("dl").first.inner_text()

    # Edit: both are shown as chosen; remove France with its button, save, only India is left.
    page.get_by_role("link", name="Edit").first.click()
    france = page.locator(".ts-control .item", has_text="France")
    expect(france).to_have_count(1)
    france.locator(".remove").click()
    page.get_by_role("button", name="Save the transferee").click()
    page.wait_for_selector("#employment-form")
    facts = page.locator("dl").first.inner_text()
    assert "India" in facts and "France" not in facts

    # In French the names are French and found with or without accents.
    page.locator("#lang-switch").click()
    page.goto(live_server + "/transferees/new")
    box = page.get_by_role("combobox", name="Citoyennetés (toutes)", exact=True)
    box.press_sequentially("egyp", delay=20)
    expect(page.locator(".ts-dropdown:visible .option.active")).to_have_text("Égypte")


def test_the_case_page_country_question_takes_countries_or_none_not_both(
    page, live_server, app, make_employer, login, monkeypatch
):
    monkeypatch.setitem(PERSON, "citizenships", ["IN"])  # not CUSMA: permanent residences are asked
    monkeypatch.setitem(PERSON, "passport_country", "IN")
    account = make_employer()
    client = app.test_client()
    login(client, account)
    case_id = _create_case(client)
    sign_in(page, live_server, account)
    page.goto(f"{live_server}/cases/{case_id}")
    box = page.locator("#q-worker-permanent_residences-ts-control")
    box.wait_for(state="attached")
    if not box.is_visible():  # an optional question, folded under "Other codes that might also fit"
        page.locator("#optional-questions summary").click()
    active = page.locator(".ts-dropdown:visible .option.active")

    def choose(typed: str, name: str) -> None:
        box.press_sequentially(typed, delay=20)
        expect(active).to_have_text(name)
        box.press("Enter")

    def chosen() -> list[str]:
        return page.locator("select[name='worker.permanent_residences'] option:checked").evaluate_all(
            "options => options.map(o => o.value)"
        )

    choose("fran", "France")
    assert chosen() == ["FR"]
    choose("none", "None")
    assert chosen() == ["NONE"]  # "None" took France's place
    choose("united states", "United States")
    assert chosen() == ["US"]  # and a country takes None's place
    choose("none", "None")
    assert chosen() == ["NONE"]
    page.get_by_role("button", name="Save the answers").click()
    page.wait_for_selector("#recommended-code")
    assert page.locator('#answers-form [name="worker.permanent_residences"]').count() == 0  # answered: none


def test_a_wage_the_browser_cannot_hold_is_refused_not_saved_empty(page, live_server, make_employer):
    """Tour: "1e309" typed as the wage of a ``type="number"`` box reached the server empty (Chromium
    sanitizes it) and the role was saved with no wage and no message."""
    sign_in(page, live_server, make_employer())
    page.goto(live_server + "/roles/new")
    page.get_by_label("Job title", exact=True).fill("Director of Software Engineering")
    page.get_by_label("NOC 2021 code").fill("20012")
    page.get_by_label("Wage (CAD)").press_sequentially("1e309", delay=5)
    page.get_by_label("Hours per week").press_sequentially("40", delay=5)
    page.get_by_role("button", name="Save the role").click()
    page.wait_for_load_state()
    assert "/roles/new" in page.url
    expect(page.locator(".invalid-feedback")).to_have_text(["This number is too large."])
    expect(page.get_by_label("Wage (CAD)")).to_have_value("1e309")
