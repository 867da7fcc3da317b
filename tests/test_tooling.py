"""The lint gate: `make lint` (run by .ci/run and, file by file, by the pre-commit hooks) fails on
an unformatted file and on a lint finding, and passes on clean code.

It runs the real Makefile target on a scratch folder that carries a copy of the project's ruff
settings (LINT_PATHS), so the repository itself is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

CLEAN = 'def greet(name: str) -> str:\n    return f"Hello, {name}"\n'
UNFORMATTED = "def greet( name:str )->str :\n  return 'Hello, '+name\n"
LOCAL_IMPORT = "def today():\n    import datetime\n\n    return datetime.date.today()\n"


def make_lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "lint", f"LINT_PATHS={folder}"],
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
