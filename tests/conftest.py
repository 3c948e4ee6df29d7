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
