"""The case page keeps the parts drawn from the assessment alone (portal/cases/display.py): they are
drawn again when the assessment, the language or what the form sent back changes, and only then."""

from __future__ import annotations

import re
import zlib
from datetime import date
from types import SimpleNamespace

from flask_babel import force_locale
from markupsafe import Markup

from portal.cases import display
from rules.fields import BY_PATH
from tests.portal.test_cases import _create_case
from tests.rules.conftest import assess_case

_CSRF = re.compile(r'(name="csrf_token" value|name="csrf-token" content)="[^"]+"')


def _without_csrf(page: str) -> str:
    """The page with its CSRF tokens blanked: a token is signed with the second it was made."""
    return _CSRF.sub(r'\1=""', page)


def _facts(page: str) -> list[str]:
    return re.findall(r'class="mb-3 question" data-fact="([^"]+)"', page)


def test_a_reassessed_case_is_drawn_again_and_an_unchanged_one_is_not(app, client, owner):
    case_id = _create_case(client)
    first = client.get(f"/cases/{case_id}").get_data(as_text=True)
    asked = _facts(first)
    answered = next(f for f in asked if f in ("employer.actively_engaged", "employer.physical_premises"))

    renders = display.PARTS.renders
    again = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert display.PARTS.renders == renders, "an unchanged assessment is not drawn again"
    assert _facts(again) == asked and again.count('id="candidates"') == 1

    assert client.post_form(f"/cases/{case_id}/answers", {answered: "yes"}).status_code == 302
    after = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert display.PARTS.renders > renders, "the re-assessed case is drawn again"
    assert answered not in _facts(after) and len(_facts(after)) == len(asked) - 1


def test_each_language_has_its_own_parts(client, owner):
    case_id = _create_case(client)
    english = client.get(f"/cases/{case_id}").get_data(as_text=True)
    client.post_form("/language", {"lang": "fr"})
    french = client.get(f"/cases/{case_id}").get_data(as_text=True)
    client.post_form("/language", {"lang": "en"})
    back = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Codes considered" in english and "The employer's step" in english
    assert "Codes considered" not in french and "La démarche de l'employeur" in french
    assert "Codes considered" in back and "La démarche de l'employeur" not in back


def test_refused_answers_are_shown_once_and_never_kept(app, client, owner):
    case_id = _create_case(client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    numeric = next(f for f in _facts(page) if BY_PATH[f].kind in ("int", "number"))
    refused = client.post_form(f"/cases/{case_id}/answers", {numeric: "lots"})
    assert refused.status_code == 400 and 'value="lots"' in refused.get_data(as_text=True)
    assert 'value="lots"' not in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_the_least_recently_used_part_is_dropped_beyond_the_size(app):
    parts = display.Parts(size=2)
    drawn: list[str] = []

    def get(key: str) -> Markup:
        with app.test_request_context():
            before = parts.renders
            html = parts.get((key,), "cases/_stage.html")
            if parts.renders > before:
                drawn.append(key)
            return html

    for key in ("a", "b", "a", "c", "a", "b"):
        get(key)
    assert drawn == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came


def test_the_digest_ignores_key_order_and_sees_every_value():
    assert display.digest({"a": 1, "b": [1, 2]}) == display.digest({"b": [1, 2], "a": 1})
    assert display.digest({"a": 1, "b": [1, 2]}) != display.digest({"a": 1, "b": [2, 1]})


def test_cases_with_the_same_assessment_share_their_questions_each_linking_its_own_transferee(app):
    """The open questions are kept once per assessment and language, not per transferee: the one link
    in them (the jobs are entered on the transferee's page) is put in for each case after."""
    jobs = next(path for path, spec in BY_PATH.items() if spec.kind == "employment")
    assessment = assess_case("case02-us-executive")
    assessment["questions"] = [{"fact": jobs, "question": "Which jobs?", "needed": True}]
    with app.test_request_context():
        renders = display.PARTS.renders
        first, second = (
            display.case_parts(
                SimpleNamespace(
                    transferee_id=tid, assessed_as_of=date(2026, 11, 24), offer_number=None, submitted_on=None
                ),
                assessment,
                "en",
                answers={},
                errors={},
            ).questions
            for tid in (7, 8)
        )
        assert display.PARTS.renders == renders + 3, "questions, codes and side drawn once for both cases"
    assert 'href="/transferees/7/edit#jobs"' in first and 'href="/transferees/8/edit#jobs"' in second
    assert display.JOBS_URL not in first + second


def test_the_side_says_what_the_worker_pays_for_an_open_permit(app):
    """An IEC Working Holiday worker pays the open work permit holder fee and the IEC participation fee
    (the assessment's step holds both): the case page says so, in both languages; an employer-specific
    permit (the employer pays) says nothing of the worker's fees."""

    def working_holiday(f):
        f["worker"]["iec_category"] = "working_holiday"

    case = SimpleNamespace(
        transferee_id=7, assessed_as_of=date(2026, 11, 24), offer_number=None, submitted_on=None
    )
    with app.test_request_context():
        english = assess_case("case25-iec-young-professional", working_holiday)
        side = display.case_parts(case, english, "en", answers={}, errors={}).side
        french = assess_case("case25-iec-young-professional", working_holiday, lang="fr")
        with force_locale("fr"):
            side_fr = display.case_parts(case, french, "fr", answers={}, errors={}).side
        executive = display.case_parts(case, assess_case("case02-us-executive"), "en", answers={}, errors={})
    fee = english["employer_step"]["iec_participation_fee_cad"]
    assert "open work permit holder fee ($100.00)" in side
    assert f"International Experience Canada participation fee (${fee:,.2f})" in side
    assert (
        "frais de titulaire de permis de travail ouvert" in side_fr and "Expérience internationale" in side_fr
    )
    assert 'id="worker-fees"' not in executive.side
    # the step's reason is said in words, not as the rules' key
    assert "Working Holiday: an open work permit the worker applies for" in side
    assert "Programme vacances-travail" in side_fr and "iec_working_holiday" not in side + side_fr


def test_a_kept_part_is_kept_compressed_and_given_back_as_drawn(app, client, owner):
    case_id = _create_case(client)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    kept = list(display.PARTS._items.values())
    assert len(kept) == 3 and all(isinstance(value, bytes) for value in kept)
    drawn = [zlib.decompress(value).decode("utf-8") for value in kept]
    assert sum(map(len, kept)) * 4 < sum(map(len, drawn))  # compressed several times over
    assert all(part.replace(display.JOBS_URL, "") in page or display.JOBS_URL in part for part in drawn)
    again = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert _without_csrf(again) == _without_csrf(page)  # from the kept parts, the same
