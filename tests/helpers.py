"""Small builders shared by the stage tests."""

from __future__ import annotations

import os
from collections import Counter
from typing import NoReturn

import pytest

from newsdedup.pipeline import ScanOptions, ScanResult, scan_documents
from newsdedup.records import Document


def doc(doc_id: str, text: str, site: str | None = None) -> Document:
    return Document(id=doc_id, text=text, site=site)


def run(*docs: Document) -> ScanResult:
    return scan_documents(docs, ScanOptions())


def story_docs(result: ScanResult) -> list[set[str]]:
    return [{v.version.doc_id for v in s.versions} for s in result.stories]


def unavailable(problem: str) -> NoReturn:
    """A service a test needs (redis-server, a dask cluster, chromium) is missing: skipped
    with the reason locally, a failure in CI (CI=true), where .ci/run provides it."""
    if os.environ.get("CI") == "true":
        pytest.fail(problem)
    pytest.skip(problem)


def near_members(row: list[list[int]], cap: int) -> list[list[int]]:
    """The rule in plain Python, for one segment's buckets: a bucket of at most `cap`
    passages whole, a larger one only its passages in another of the segment's buckets, an
    emptied bucket left out."""
    seen = Counter(p for members in row for p in members)
    kept = (list(m) if len(m) <= cap else [p for p in m if seen[p] >= 2] for m in row)
    return [members for members in kept if members]
