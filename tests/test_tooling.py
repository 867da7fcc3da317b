"""The lint gate: `make lint` (run by .ci/run and, file by file, by the pre-commit hooks) fails on
an unformatted file, on a lint finding and on a type error, and passes on clean code; mypy checks
rules/, portal/ and workers/, and every `# type: ignore` names its error code and says why.

It runs the real Makefile target on a scratch folder that carries a copy of the project's ruff
settings (LINT_PATHS), so the repository itself is never touched.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

CLEAN = 'def greet(name: str) -> str:\n    return f"Hello, {name}"\n'
UNFORMATTED = "def greet( name:str )->str :\n  return 'Hello, '+name\n"
TYPE_ERROR = "def count(name: str) -> int:\n    return name\n"
LOCAL_IMPORT = "def today():\n    import datetime\n\n    return datetime.date.today()\n"


def make_lint(folder: Path, mypy_paths: str = "") -> subprocess.CompletedProcess:
    """`make lint` with ruff on ``folder``; mypy on ``mypy_paths`` (the project's configured files when
    empty: slower, so only the type-error tests name their own file)."""
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-C",
            str(ROOT),
            "lint",
            f"LINT_PATHS={folder}",
            f"MYPY_PATHS={mypy_paths}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def scratch(tmp_path):
    if shutil.which("make") is None:
        pytest.fail("make is needed to run `make lint` (apt-get install make)", pytrace=False)
    folder = tmp_path / "scratch"
    folder.mkdir()
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")  # the project's ruff settings
    return folder


def test_make_lint_passes_on_clean_code(scratch):
    (scratch / "clean.py").write_text(CLEAN)
    result = make_lint(scratch)
    assert result.returncode == 0, result.stdout + result.stderr


def test_make_lint_fails_on_an_unformatted_file(scratch):
    (scratch / "clean.py").write_text(CLEAN)
    (scratch / "messy.py").write_text(UNFORMATTED)
    result = make_lint(scratch)
    assert result.returncode != 0
    assert "1 file would be reformatted" in result.stdout + result.stderr
    assert "messy.py" in result.stdout + result.stderr


def test_make_lint_fails_on_a_function_local_import(scratch):
    (scratch / "local_import.py").write_text(LOCAL_IMPORT)
    result = make_lint(scratch)
    assert result.returncode != 0
    assert "PLC0415" in result.stdout + result.stderr


def test_pre_commit_runs_the_same_ruff_commands_as_make_lint():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {repo["repo"] for repo in config["repos"]} == {"local"}  # nothing to download
    entries = [hook["entry"].split() for hook in hooks]
    assert entries[0][:3] == [".venv/bin/ruff", "format", "--check"]
    assert entries[1][:2] == [".venv/bin/ruff", "check"]
    makefile = (ROOT / "Makefile").read_text()
    assert "$(BIN)/ruff format --check $(LINT_PATHS)" in makefile
    assert "$(BIN)/ruff check $(LINT_PATHS)" in makefile


def test_ci_runs_lint_before_the_tests():
    script = (ROOT / ".ci" / "run").read_text()
    assert "\nmake lint\n" in script
    assert script.index("\nmake lint\n") < script.index("make test PYTEST_ARGS")


def test_make_lint_fails_on_a_type_error(scratch):
    (scratch / "typed.py").write_text(CLEAN)
    assert make_lint(scratch, mypy_paths=str(scratch / "typed.py")).returncode == 0
    (scratch / "wrong.py").write_text(TYPE_ERROR)
    result = make_lint(scratch, mypy_paths=str(scratch / "wrong.py"))
    assert result.returncode != 0
    assert "wrong.py:2: error: Incompatible return value type" in result.stdout + result.stderr


def test_mypy_checks_rules_portal_and_workers_strictly():
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert mypy["strict"] is True
    assert set(mypy["files"]) >= {"rules", "portal", "workers"}
    assert "follow_imports" not in mypy and "ignore_errors" not in mypy  # nothing checked is silenced
    assert all(o.get("ignore_errors") is not True for o in mypy.get("overrides", []))


def test_every_type_ignore_names_its_code_and_says_why():
    """`# type: ignore[code]  # why`, or the why in a comment on the line just above."""
    found = []
    files = [
        p for name in ("rules", "portal", "workers", "stubs") for p in sorted((ROOT / name).rglob("*.py*"))
    ]
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if "type: ignore" not in line:
                continue
            where = f"{path.relative_to(ROOT)}:{number}"
            found.append(where)
            assert re.search(r"# type: ignore\[[a-z-]+(, *[a-z-]+)*\]", line), f"{where}: no error code"
            after = line.split("type: ignore", 1)[1]
            above = lines[number - 2].strip() if number > 1 else ""
            assert "#" in after or above.startswith("#"), f"{where}: no reason given"
    assert found, "the check found no type: ignore at all: is it looking in the right place?"
