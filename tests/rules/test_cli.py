"""`python -m rules` via subprocess: the same contract as rules.assess; bad input exits 2 with a message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "case02-us-executive.json"
# The keys of rules.assess's answer, written out (not read from the code).
CONTRACT = set(
    "route recommended codes_fit candidates questions employer_step where durations evidence obligations"
    " warnings ruleset_version".split()
)


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "rules", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_assess_example_prints_the_contract_keys():
    r = run("assess", EXAMPLE)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out.keys() >= CONTRACT
    assert out["recommended"] == "T37" and out["codes_fit"] == ["T37", "C62"]


def test_assess_in_french_with_as_of_before_the_renumbering_gives_legacy_codes(tmp_path):
    case = json.loads(EXAMPLE.read_text())
    case["worker"]["employment"][0]["start_date"] = "2019-01-07"
    p = tmp_path / "c.json"
    p.write_text(json.dumps(case))
    r = run("assess", p, "--as-of", "2022-06-01", "--lang", "fr")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["lang"] == "fr" and out["codes_fit"] == ["T24", "C12"]
    assert "travailleur" in out["candidates"][0]["criteria"][0]["text"]


def test_codes_lists_codes_in_force():
    r = run("codes", "--as-of", "2026-11-24")
    assert r.returncode == 0, r.stderr
    codes = {c["code"] for c in json.loads(r.stdout)["codes"]}
    assert {"T36", "C62", "C16", "C21", "C10"} <= codes and "C12" not in codes
    old = {c["code"] for c in json.loads(run("codes", "--as-of", "2022-01-01").stdout)["codes"]}
    assert "C12" in old and "T36" not in old


def test_reassess_lists_the_cases_whose_outcome_changed(tmp_path):
    for n in ("case02-us-executive", "case22-francophone-cook"):
        (tmp_path / f"{n}.json").write_text((ROOT / "examples" / "cases" / f"{n}.json").read_text())
    r = run("reassess", tmp_path, "--from", "2023-03-01", "--to", "2026-11-24")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["cases"] == 2
    assert [c["case"] for c in out["changed"]] == [
        "case22-francophone-cook.json"
    ]  # C16 widened on 2023-06-15


def _case(tmp_path, mutate):
    case = json.loads(EXAMPLE.read_text())
    mutate(case)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(case))
    return p


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda c: c["worker"].update(shoe_size=42), "worker.shoe_size: unknown field"),
        (lambda c: c.update(payroll={}), "payroll: unknown field"),
        (lambda c: c["position"].update(start_date="2027-02-30"), "position.start_date"),
        (lambda c: c.update(as_of="24/11/2026"), "as_of"),
        (
            lambda c: c["position"].update(noc_code="99999"),
            "position.noc_code: '99999' is not a NOC 2021 unit group",
        ),
        (lambda c: c["worker"].update(citizenships=["US", "ZZ"]), "worker.citizenships[1]"),
        (lambda c: c["worker"].update(in_canada="yes"), "worker.in_canada"),
        (lambda c: c["worker"]["employment"][0].update(full_time="y"), "worker.employment[0].full_time"),
        (lambda c: c.update(as_of="2010-01-01"), "as_of"),
    ],
    ids=[
        "unknown-field",
        "unknown-section",
        "bad-date",
        "bad-as-of-in-file",
        "bad-noc",
        "unknown-country",
        "bad-bool",
        "bad-employment-field",
        "as-of-too-early",
    ],
)
def test_bad_case_file_exits_2_naming_the_field(tmp_path, mutate, needle):
    r = run("assess", _case(tmp_path, mutate))
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_malformed_json_exits_2(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text('{"worker": {"citizenships": ["US"],}')
    r = run("assess", p)
    assert r.returncode == 2 and "malformed JSON" in r.stderr and "Traceback" not in r.stderr


def test_bad_as_of_option_and_missing_file_exit_2(tmp_path):
    r = run("assess", EXAMPLE, "--as-of", "2026-13-01")
    assert r.returncode == 2 and "--as-of" in r.stderr and "Traceback" not in r.stderr
    r = run("assess", tmp_path / "nope.json")
    assert r.returncode == 2 and "file not found" in r.stderr


def test_reassess_with_a_bad_file_exits_2(tmp_path):
    (tmp_path / "x.json").write_text("[1, 2")
    r = run("reassess", tmp_path, "--from", "2023-01-01", "--to", "2026-11-24")
    assert r.returncode == 2 and "x.json" in r.stderr
