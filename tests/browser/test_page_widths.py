"""In real headless Chromium, at a phone's width (390 px) and at the widths between a tablet and a
laptop: no page is wider than the window (tour: the lists' tables pushed every list page sideways at
390 px, navigation bar included; the navigation bar itself ran off the window from 768 to 1199 px,
and in French at 1400 px, hiding "Sign out"), and the account's page is reachable at every width (it
was linked from the person's name, shown only from 1400 px)."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import sign_in
from tests.conftest import ORG_DATA
from tests.portal.test_consult import packet
from tests.portal.test_dashboard import _open_case

pytestmark = pytest.mark.browser

WIDER_THAN_WINDOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _signed_in(browser, live_server, account, lang: str, width: int, height: int):
    """A new page of ``width`` x ``height`` px, signed in as ``account``, in ``lang``."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    sign_in(page, live_server, account)
    if lang == "fr":
        page.locator("#lang-switch").click()
        page.wait_for_selector("html[lang=fr]")
    return page


@pytest.fixture
def worked_employer(app, make_employer, login):
    """An employer with a group company, a role, a transferee, a case and a packet."""
    account = make_employer(legal_name="Invented Narrow Screens Incorporated")
    client = app.test_client()
    login(client, account)
    case_id = _open_case(app, client, "Narrowen", setup=True)
    packet(client, case_id)
    return account, case_id


def test_no_list_page_is_wider_than_a_phone(browser, live_server, worked_employer):
    account, case_id = worked_employer
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, live_server, account)
    too_wide = {}
    for path in (
        "/cases/",
        "/roles/",
        "/transferees/",
        "/group/",
        "/calendar",
        "/audit/",
        f"/audit/cases/{case_id}",
        f"/cases/{case_id}/documents",
        "/org/consultants",
        "/import/",
    ):
        page.goto(live_server + path)
        excess = page.evaluate(WIDER_THAN_WINDOW)
        if excess > 0:
            too_wide[path] = excess
    assert too_wide == {}
    # The list's table scrolls inside its own box instead.
    page.goto(live_server + "/roles/")
    assert page.locator(".table-responsive #positions").count() == 1
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_navigation_fits_the_window_and_reaches_the_account(browser, live_server, worked_employer, lang):
    account, _case_id = worked_employer
    page = _signed_in(browser, live_server, account, lang, 1280, 700)
    overflowing = {}
    for width in (390, 768, 820, 1024, 1199, 1200, 1280, 1400, 1600):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(live_server + "/dashboard")
        excess = page.evaluate(WIDER_THAN_WINDOW)
        if excess > 0:
            overflowing[width] = excess
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
            # Bootstrap unfolds the menu with a transition ("collapsing"), "show" once it is open: a click
            # during the transition may land where the link is not yet (it failed once in CI at 390 px)
            page.locator(".navbar-collapse.show").wait_for(state="visible")
        account_link = page.locator("#account-link")
        account_link.wait_for(state="visible")
        assert page.locator("#logout").is_visible(), width
        if not toggler.is_visible():  # unfolded, the bar is one line: Sign out beside the brand
            brand, logout = (
                page.locator(".navbar-brand").bounding_box(),
                page.locator("#logout").bounding_box(),
            )
            assert abs((brand["y"] + brand["height"] / 2) - (logout["y"] + logout["height"] / 2)) < 8, width
        if width in (390, 1280):
            with page.expect_navigation(url="**/account/password"):
                account_link.click()
    assert overflowing == {}
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_permit_dates_have_room_for_their_year_at_1280(browser, live_server, worked_employer, lang):
    """Tour: the permit's three dates shared one row of the half-page card at 1280 px: each box was
    155 px wide, its year cut off once an error's icon showed, and in French their labels ran on two
    and three lines, the boxes askew."""
    account, case_id = worked_employer
    page = _signed_in(browser, live_server, account, lang, 1280, 900)
    page.goto(f"{live_server}/cases/{case_id}/compliance")
    boxes = page.locator("#submission-form input[type=date]")
    assert boxes.count() == 5
    widths = [boxes.nth(i).bounding_box()["width"] for i in range(boxes.count())]
    assert min(widths) >= 200, widths
    page.context.close()


def test_the_dashboards_counts_stay_one_line_high_beside_a_title_on_two(
    browser, live_server, worked_employer
):
    """Tour (French, 1280 px): beside "Dossiers de présentation en attente de la révision du consultant",
    on two lines, the count's badge was stretched to the title's height, a grey bar under the "0"."""
    account, _case_id = worked_employer
    page = _signed_in(browser, live_server, account, "fr", 1280, 900)
    page.goto(f"{live_server}/dashboard")
    titles = page.locator("main .card h2.h6:has(.badge)")
    assert titles.count() >= 6
    heights = {}
    for i in range(titles.count()):
        title, badge = titles.nth(i), titles.nth(i).locator(".badge")
        heights[title.inner_text()] = (title.bounding_box()["height"], badge.bounding_box()["height"])
    assert any(h > 1.5 * b for h, b in heights.values()), heights  # a title on two lines is checked
    assert all(b < 30 for _h, b in heights.values()), heights
    page.context.close()


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("fr", 1280), ("fr", 390)])
def test_the_codes_considered_status_badges_stay_on_one_line(
    browser, live_server, worked_employer, lang, width
):
    """Tour (1280 px): beside a code's long name ("CETA intra-corporate transferees – executives and
    managers") the "Not met" of the codes considered broke into "Not" over "met", a badge two lines high;
    the name wraps now, the badge's words stay together."""
    account, case_id = worked_employer
    page = _signed_in(browser, live_server, account, lang, 1280, 900)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/cases/{case_id}")
    heights = page.evaluate(
        """() => Array.from(document.querySelectorAll('#candidates .accordion-button .badge')).map(b =>
             [b.closest('.accordion-button').innerText.trim(), b.getBoundingClientRect().height,
              parseFloat(getComputedStyle(b).fontSize)])"""
    )
    assert len(heights) > 5, heights
    # a wrapped button (its name on two lines) is checked: there the badge used to break
    assert any(
        page.locator("#candidates .accordion-button").nth(i).bounding_box()["height"] > 60
        for i in range(len(heights))
    ), heights
    # one line of a badge: its font size plus its padding (0.35em above and below), well under two lines
    too_high = [(name, h) for name, h, size in heights if h > 2.2 * size]
    assert too_high == [], too_high
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_documents_download_button_is_in_sight_on_a_phone(browser, live_server, worked_employer, lang):
    """Tour: at 390 px the versions' table scrolls in its box, and its Download buttons sat past the box's
    right edge, after the pages and the SHA-256: the page's main action was out of sight. The buttons now
    come before the details, and on a phone the version is said in the document's cell."""
    account, case_id = worked_employer
    page = _signed_in(browser, live_server, account, lang, 1280, 844)  # (the language switch, then a phone)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + f"/cases/{case_id}/documents")
    box = page.locator("#document-list .doc-download").first.bounding_box()
    scroller = page.locator("#versions .table-responsive").bounding_box()
    assert box is not None and scroller is not None
    assert box["x"] + box["width"] <= scroller["x"] + scroller["width"], (box, scroller)
    assert "v1" in page.locator("#document-list tbody tr").first.inner_text()  # the version, in its row
    # and each version is a block: its document's cell (with the "do not send it" note a letter may carry)
    # has the box's width, not a 95 px column (tour)
    cell = page.locator("#document-list tbody tr td").first.bounding_box()
    assert cell["width"] >= 0.9 * scroller["width"], (cell, scroller)
    page.context.close()


def test_a_role_or_group_company_opens_from_its_name_on_a_phone(browser, live_server, worked_employer):
    """Tour: at 390 px the lists of roles and of group companies scroll in their box, and Edit sat past its
    right edge, the only way to open a row. The name now opens it."""
    account, _case_id = worked_employer
    page = _signed_in(browser, live_server, account, "en", 390, 844)
    for path, edit in (("/roles/", "/roles/1/edit"), ("/group/", "/group/1/edit")):
        page.goto(live_server + path)
        link = page.locator(f'table a[href="{edit}"]').first
        box = link.bounding_box()
        scroller = page.locator(".table-responsive").first.bounding_box()
        assert box is not None and scroller is not None
        assert box["x"] + box["width"] <= scroller["x"] + scroller["width"], (path, box, scroller)
        link.click()
        page.wait_for_url(f"**{edit}")
    page.context.close()


def _out_of_sight(page, table: str) -> list:
    """The buttons and boxes of ``table``'s rows whose right edge is past the right edge of the box the
    table scrolls in (each as its text or name and its right edge), and that box's right edge."""
    scroller = page.locator(f".table-responsive:has({table})").bounding_box()
    assert scroller is not None
    edge = scroller["x"] + scroller["width"]
    controls = page.locator(f"{table} tbody :is(button, select, a.btn)")
    assert controls.count() > 0
    past = []
    for i in range(controls.count()):
        control = controls.nth(i)
        box = control.bounding_box()
        if box is not None and box["x"] + box["width"] > edge + 0.5:
            name = control.get_attribute("aria-label") or control.inner_text().strip()
            past.append((name, round(box["x"] + box["width"])))
    return [*past, round(edge)] if past else []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_members_and_consultants_row_buttons_are_in_sight_on_a_phone(
    browser, live_server, worked_employer, add_member, make_consultant, app, login, lang
):
    """Tour: at 390 px the members' and the consultants' tables scroll in their box, and their rows' buttons
    (the role and Change, Sign out everywhere, Remove; Revoke, Save the scope) sat past its right edge: an
    owner on a phone had to scroll each table sideways to find them. They now sit within the box."""
    account, case_id = worked_employer
    add_member(account.org_id, email="pat.longname-invented@example.com")
    make_consultant(email="rae.consultant-invented@example.com", licence="R512345")
    client = app.test_client()
    login(client, account)
    assert (
        client.post_form(
            "/org/consultants", {"email": "rae.consultant-invented@example.com", "case_ids": [str(case_id)]}
        ).status_code
        == 302
    )
    page = _signed_in(browser, live_server, account, lang, 1280, 844)
    page.set_viewport_size({"width": 390, "height": 844})
    hidden = {}
    for path, table in (
        ("/org/", "#members"),
        ("/org/consultants", "#access-register"),
        ("/transferees/1", "#employment-history"),  # a job's Remove
    ):
        page.goto(live_server + path)
        assert page.evaluate(WIDER_THAN_WINDOW) <= 0, path
        hidden[path] = _out_of_sight(page, table)
    assert hidden == {"/org/": [], "/org/consultants": [], "/transferees/1": []}
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_save_is_sent_by_the_first_tap_after_choosing_countries_on_a_phone(
    browser, live_server, make_employer, lang
):
    """Tour, 390 px: with two countries chosen the country box's tags fill its line; leaving the box hid its
    typing box out of the flow, the box lost a line and the Save button under it moved up 24 px as it was
    pressed: the press landed beside it and the group company was not saved (the second tap was)."""
    account = make_employer()
    page = _signed_in(browser, live_server, account, lang, 1280, 844)
    # tall enough that Save is in view: no scrolling hides the jump (scrolled to the page's end, the page
    # growing shorter moved the content back down)
    page.set_viewport_size({"width": 390, "height": 1200})
    page.goto(live_server + "/group/new")
    page.locator('[name="name"]').fill("Invented Tap Holdings Inc.")
    page.locator('[name="country"]').select_option("US")
    page.locator('[name="relationship"]').select_option("parent")
    names = {"en": ("United States", "Mexico"), "fr": ("États-Unis", "Mexique")}[lang]
    box = page.locator("#countries_of_operation-ts-control")
    for name in names:
        box.press_sequentially(name, delay=10)
        page.locator(".ts-dropdown:visible .option").filter(
            has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")
        ).click()
    box.press("Escape")
    page.locator('[name="doing_business"]').select_option("yes")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/group/")
    assert "Invented Tap Holdings Inc." in page.locator("#enterprises").inner_text()
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_consultants_case_list_shows_each_case_name_in_full(
    browser, live_server, worked_employer, make_consultant, app, login, lang, width
):
    """Tour: the lists where an employer chooses the cases a consultant sees (an engagement's scope, the
    engage form) were <select multiple> boxes, whose options never wrap: "Jordan Sampleton — Vice-President,
    Operations Canada · case 1, opened" was cut at the box's edge (at 1280 px; more at 390). Each case is a
    box to tick now, its whole name beside it, wrapped within the list."""
    account, case_id = worked_employer
    make_consultant(email="rae.consultant-invented@example.com", licence="R512345")
    client = app.test_client()
    login(client, account)
    engaged = client.post_form(
        "/org/consultants", {"email": "rae.consultant-invented@example.com", "case_ids": [str(case_id)]}
    )
    assert engaged.status_code == 302
    page = _signed_in(browser, live_server, account, lang, 1280, 844)  # the language switch is in sight
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server + "/org/consultants")
    assert page.evaluate(WIDER_THAN_WINDOW) <= 0
    lists = page.locator(".case-choices")
    assert lists.count() == 2  # the engagement's scope, the engage form's list
    for i in range(lists.count()):
        box = lists.nth(i).bounding_box()
        label = lists.nth(i).locator("label").first
        assert label.evaluate("(e) => e.scrollWidth - e.clientWidth") <= 0
        shown = label.bounding_box()
        assert shown["x"] + shown["width"] <= box["x"] + box["width"] + 0.5
        # the whole name, the day the case was opened included, is in the label's box
        assert re.search(r"(case|dossier) \d+, (opened|ouvert le) .*\d{4}$", label.inner_text().strip())
    scope = page.locator(".case-choices").first.locator("input[type=checkbox]").first
    assert scope.is_checked()  # the engagement's scope: the case it was limited to
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sign_out_stays_in_the_window_beside_the_organization_switcher(
    browser, live_server, make_employer, app, login, lang
):
    """Tour: an owner of two employers has the organization switcher in the bar, a button with the
    organization's whole name; in French from 1200 to 1399 px the bar ran 136 to 176 px past the window,
    and the account's icon and "Se déconnecter" with it. The bar's tools now go to a second line when the
    first has no room for them."""
    account = make_employer(legal_name="Invented Technologies Boréal Incorporated")
    client = app.test_client()
    login(client, account)
    response = client.post_form(
        "/orgs/new",
        {**ORG_DATA, "legal_name": "Invented Services Nordet Limited", "business_number": "444555666"},
    )
    assert response.status_code == 302
    page = _signed_in(browser, live_server, account, lang, 1280, 700)
    out = {}
    for width in (1200, 1280, 1399, 1400, 1600):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(live_server + "/dashboard")
        assert page.locator("#org-switcher").is_visible(), width
        logout = page.locator("#logout").bounding_box()
        excess = page.evaluate(WIDER_THAN_WINDOW)
        if excess > 0 or logout is None or logout["x"] + logout["width"] > width:
            out[width] = excess
    assert out == {}
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_jobs_remove_button_is_in_sight_on_a_laptop(browser, live_server, worked_employer, lang):
    """Tour: on the person's page at 1024 and 1280 px the employment history shared the row with the
    person's details, in a column too narrow for its seven columns in French ("Connaissances spécialisées",
    "1er septembre 2019"): the table scrolled in its box and each job's Remove sat past its right edge. The
    history has the row's wider column from 1200 px, and the whole row below."""
    account, _case_id = worked_employer
    page = _signed_in(browser, live_server, account, lang, 1280, 844)
    hidden = {}
    for width in (1024, 1200, 1280, 1399):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(live_server + "/transferees/1")
        hidden[width] = _out_of_sight(page, "#employment-history")
    assert hidden == {1024: [], 1200: [], 1280: [], 1399: []}
    page.context.close()
