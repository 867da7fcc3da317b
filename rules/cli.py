"""Command line with the same contract as rules.assess.

    python -m rules assess case.json [--as-of DATE] [--lang fr]
    python -m rules codes --as-of DATE [--lang fr]
    python -m rules reassess DIR --from DATE --to DATE
    python -m rules schema [--assessment]

Bad input (malformed JSON, unknown field, bad date, bad NOC, unknown country) exits 2 with a message
naming the field. ``--as-of`` defaults to today's date in the CLI only (the engine never reads a clock).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from . import assess, codes_in_force, facts_from_dict
from .assessment_schema import build_assessment_schema
from .facts_schema import build_schema
from .kinds import FactsError, parse_date
from .params import RULESET_VERSION

_META = ("as_of", "$schema", "name", "title", "description")


class InputError(Exception):
    pass


def _read_case(path: Path) -> tuple[dict[str, Any], date | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read ({e})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: facts: expected a JSON object")
    as_of = None
    try:
        if "as_of" in data:
            as_of = parse_date(data["as_of"], "as_of")
        facts = {k: v for k, v in data.items() if k not in _META}
        return facts, as_of
    except FactsError as e:
        raise InputError(f"{path}: {e}") from None


def _date_arg(value: str) -> date:
    try:
        return parse_date(value, "--as-of")
    except FactsError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid date (YYYY-MM-DD)") from None


def _outcome(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in ("route", "recommended", "codes_fit")} | {
        "employer_step": d["employer_step"]["kind"],
        "where": d["where"]["place"],
    }


def _assess_file(path: Path, as_of: date | None, lang: str) -> dict[str, Any]:
    facts_dict, file_as_of = _read_case(path)
    on = as_of or file_as_of or date.today()
    try:
        return assess(facts_from_dict(facts_dict), on).to_dict(lang)
    except FactsError as e:
        raise InputError(f"{path}: {e}") from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rules", description=f"IMP rules engine ({RULESET_VERSION})")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("assess", help="assess one case file (JSON facts) and print the Assessment as JSON")
    a.add_argument("case", type=Path)
    a.add_argument("--as-of", type=_date_arg, default=None)
    a.add_argument("--lang", choices=("en", "fr"), default="en")
    c = sub.add_parser("codes", help="list the exemption codes in force on a date")
    c.add_argument("--as-of", type=_date_arg, default=None)
    c.add_argument("--lang", choices=("en", "fr"), default="en")
    r = sub.add_parser(
        "reassess", help="re-assess a folder of case files at two dates and list changed outcomes"
    )
    r.add_argument("folder", type=Path)
    r.add_argument("--from", dest="date_from", type=_date_arg, required=True)
    r.add_argument("--to", dest="date_to", type=_date_arg, required=True)
    s = sub.add_parser("schema", help="print the JSON Schema of the facts (or, --assessment, of the output)")
    s.add_argument("--assessment", action="store_true", help="the schema of what `assess` prints")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "assess":
            out = _assess_file(args.case, args.as_of, args.lang)
        elif args.cmd == "codes":
            on = args.as_of or date.today()
            listed = codes_in_force(on)
            key = "label_fr" if args.lang == "fr" else "label_en"
            out = {
                "ruleset_version": RULESET_VERSION,
                "as_of": on.isoformat(),
                "codes": [
                    {
                        "code": x["code"],
                        "regulation": x["regulation"],
                        "label": x[key],
                        "effective_from": x["effective_from"],
                        "source": x["source"],
                        "covers": x["covers"],
                    }
                    for x in listed
                ],
            }
        elif args.cmd == "reassess":
            if not args.folder.is_dir():
                raise InputError(f"{args.folder}: not a folder")
            files = sorted(p for p in args.folder.iterdir() if p.suffix == ".json")
            changed, unchanged = [], 0
            for p in files:
                before = _outcome(_assess_file(p, args.date_from, "en"))
                after = _outcome(_assess_file(p, args.date_to, "en"))
                if before != after:
                    changed.append({"case": p.name, "before": before, "after": after})
                else:
                    unchanged += 1
            out = {
                "ruleset_version": RULESET_VERSION,
                "from": args.date_from.isoformat(),
                "to": args.date_to.isoformat(),
                "cases": len(files),
                "unchanged": unchanged,
                "changed": changed,
            }
        else:
            out = build_assessment_schema() if args.assessment else build_schema()
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    return 0
