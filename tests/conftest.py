"""Shared fixtures: the samples, a golden-file checker, and the generated corpus on the path."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# Bounded in CI; `pytest --hypothesis-profile fuzz` runs the long local fuzz.
settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("fuzz", max_examples=5000, deadline=None)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

if str(ROOT) not in sys.path:  # benchmarks/ holds the corpus generator shared with the benchmarks
    sys.path.insert(0, str(ROOT))


# The longest test files, run first, longest first. `-n 2 --dist loadfile` (pyproject's
# addopts) hands each file whole to whichever process is free, in collection order: a long
# file handed out last leaves the other process idle until it ends (test_process_lifetime.py,
# in name order, held one process alone for the suite's last ~25 s; test_synd_dev.py, 6 s,
# came last but two). Ranked by the CPU each file took (its own and its child processes',
# measured per test), the dask tests' and the browser's above their own CPU, as they wait on
# the cluster's and chromium's; every file after them takes under 5 s. Within a file, the
# order is unchanged.
_LONGEST_FIRST = (
    "test_archive_index.py",
    "test_process_lifetime.py",
    "test_dask_engine.py",
    "test_accuracy.py",
    "test_hostile_input.py",
    "test_html_report.py",
    "test_cli.py",
    "test_hostile_pipeline.py",
    "test_bad_inputs.py",
    "test_diff.py",
    "test_synd_dev.py",
    "test_provenance.py",
    "test_fingerprint.py",
    "test_check_e2e.py",
    "test_corpus_generator.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: k for k, name in enumerate(_LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files from current output"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"{name} missing; run pytest --update-golden and review it"
        assert actual == path.read_text(encoding="utf-8"), (
            f"{name} differs; rerun with --update-golden and review the diff"
        )

    return check
