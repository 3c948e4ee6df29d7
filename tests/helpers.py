"""Small builders shared by the stage tests."""

from __future__ import annotations

import os
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
