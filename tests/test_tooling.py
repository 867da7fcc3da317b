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

from tests.fixtures.queue import worker_redis_url

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
    # mypy on the files of pyproject.toml, as `make lint` with MYPY_PATHS empty: not the staged files only
    assert entries[2] == [".venv/bin/mypy"] and hooks[2]["pass_filenames"] is False
    assert "$(BIN)/mypy $(MYPY_PATHS)" in makefile and re.search(r"^MYPY_PATHS *\?= *$", makefile, re.M)


def test_pytest_reports_the_slowest_tests_and_runs_in_parallel():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--durations=20" in options["addopts"].split()
    assert "$(BIN)/pytest -n $(PYTEST_WORKERS)" in (ROOT / "Makefile").read_text()


@pytest.mark.parametrize("workers", range(1, 17))
def test_each_xdist_worker_has_its_own_redis_database(workers):
    for base in range(16):
        url = f"redis://127.0.0.1:6379/{base}"
        databases = {worker_redis_url(url, index, workers) for index in range(workers)}
        assert len(databases) == workers, (base, workers)
        assert worker_redis_url(url, 0, workers) == url  # one process: the database TEST_REDIS_URL names


def test_more_workers_than_redis_databases_are_refused():
    with pytest.raises(ValueError, match="17 test workers"):
        worker_redis_url("redis://127.0.0.1:6379/4", 0, 17)


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
        p
        for name in ("rules", "portal", "workers", "stubs")
        for p in sorted((ROOT / name).rglob("*.py*"))
        if p.suffix in (".py", ".pyi")  # not the bytecode a process may have left in __pycache__
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
