"""The NOC lookup from the words people use: job titles -> unit group, written as data
(tests/rules/data/noc-job-titles.csv). Each expectation names the Statistics Canada example title
of that unit group that justifies it, and the test checks that title is in the bundled data."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

import pytest

from rules import noc

with open(Path(__file__).parent / "data" / "noc-job-titles.csv", encoding="utf-8", newline="") as _fh:
    CASES = list(csv.DictReader(_fh))


def test_there_are_at_least_30_job_titles_in_both_languages():
    assert len(CASES) >= 30
    assert {c["lang"] for c in CASES} == {"en", "fr"}


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_job_title_finds_its_unit_group_first(case):
    # the expectation is the one Statistics Canada's data gives, not a guess
    assert case["statcan_example_in_expected"] in noc.examples(case["expected"], case["lang"])
    found = noc.find(case["query"], lang=case["lang"])
    assert found, case["query"]
    assert found[0].unit.code == case["expected"], [(m.unit.code, m.matched) for m in found[:3]]


def test_the_wrong_unit_group_of_the_issue_is_not_first():
    # "software engineering manager" used to suggest Engineering managers (20010)
    codes = [m.unit.code for m in noc.find("software engineering manager")]
    assert codes[0] == "20012" and "20010" not in codes[:1]


def test_exact_example_beats_prefix_and_word_overlap_and_unit_group_title():
    found = noc.find("receptionist")
    assert [m.unit.code for m in found[:2]] == ["14101", "12010"]  # "Receptionists supervisor" after
    assert found[0].score > found[1].score
    # a unit-group title alone ranks below an example title holding the same words
    civil = noc.find("civil engineers")
    assert civil[0].unit.code == "21300"


def test_as_you_type_prefix_of_the_last_word():
    assert noc.find("software eng")[0].unit.code == "21231"
    assert noc.find("civil eng")[0].unit.code == "21300"


def test_codes_and_noc_2016_codes():
    assert [m.unit.code for m in noc.find("2001")][:3] == ["20010", "20011", "20012"]
    assert "21231" in [m.unit.code for m in noc.find("2173")]  # NOC 2016 software engineers


def test_unit_has_teer_one_line_description_and_french_title():
    u = noc.lookup("20012")
    assert u.teer == 0
    assert u.title == "Computer and information systems managers"
    assert u.title_fr == "Gestionnaires des systèmes informatiques"
    assert u.title_in("fr") == u.title_fr and u.title_in("en") == u.title
    assert u.summary.startswith("Computer and information systems managers plan, organize")
    assert u.summary.endswith(".") and "\n" not in u.summary
    assert noc.title("21211", "fr") == "Scientifiques des données"
    assert all(unit.title_fr for unit in noc.UNITS.values())
    assert all(unit.definition for unit in noc.UNITS.values())


def test_french_search_finds_french_titles_and_ignores_accents():
    assert noc.find("developpeur de logiciels", lang="fr")[0].unit.code == "21232"
    m = noc.find("scientifique des données", lang="fr")[0]
    assert m.lang == "fr" and m.matched == "Scientifique de données"


def test_nothing_found_and_blank():
    assert noc.find("") == []
    assert noc.find("zzzz qqqq") == []


def test_lookup_is_fast_once_loaded():
    noc.find("warm up")
    start = time.perf_counter()
    for case in CASES:
        noc.find(case["query"], lang=case["lang"])
    per_query = (time.perf_counter() - start) / len(CASES)
    assert per_query < 0.05, per_query


def test_the_index_is_built_once_in_the_background_and_a_lookup_meanwhile_waits_for_it(monkeypatch):
    """The role form starts building the index (warm_in_background) so that the user's first lookup does
    not wait 1.7 s; a lookup made while it is being built waits for that build rather than starting one."""
    built = noc._index()  # the real index, built once for the session
    calls = []
    release = threading.Event()

    def slow_build():
        calls.append(threading.current_thread().name)
        release.wait(5)
        return built

    monkeypatch.setattr(noc, "_INDEX", [])
    monkeypatch.setattr(noc, "_build_index", slow_build)
    noc.warm_in_background()
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == ["noc-index"]
    noc.warm_in_background()  # being built: no second thread
    results: list[list[str]] = []
    lookups = [
        threading.Thread(target=lambda: results.append([m.unit.code for m in noc.find("receptionist")]))
        for _ in range(3)
    ]
    for thread in lookups:
        thread.start()
    time.sleep(0.05)
    assert results == []  # waiting for the build
    release.set()
    for thread in lookups:
        thread.join(5)
    assert calls == ["noc-index"] and len(results) == 3 and results[0][0] == "14101"
    assert results[0] == results[1] == results[2]
    noc.warm_in_background()  # built: nothing to do
    assert calls == ["noc-index"]


def test_ordinary_hr_titles_find_their_unit_group():
    """Tour of 2026-12-06: "Senior Software Developer", "Senior software engineer", "VP Operations" and
    "chief technology officer" found nothing, every word having to be in a title. A level ("senior",
    "lead") may be left out, then one word of three or more; the short forms of titles are spelled out."""
    first = {
        q: [m.unit.code for m in noc.find(q, limit=5)]
        for q in (
            "Senior Software Developer",
            "Senior software engineer",
            "VP Operations",
            "CFO",
            "chief technology officer",
        )
    }
    assert first["Senior Software Developer"][0] == "21232"
    assert first["Senior software engineer"][0] == "21231"
    assert "00012" in first["VP Operations"] and "00012" in first["CFO"]
    assert first["chief technology officer"] and all(
        c.startswith("000") for c in first["chief technology officer"][:3]
    )
    # a whole match still wins, and a short form being typed stays a prefix ("dev" -> developer, DevOps, ...)
    assert noc.find("Lead data scientist")[0].score > noc.find("Senior data scientist")[0].score
    assert "21232" in [m.unit.code for m in noc.find("software dev")]
    assert noc.find("zzz qqq") == []
