"""The archive index: documents stored once, new pages scanned against them (issue 19).

`archive` holds the operations (add, remove, scan against the archive), `base` what is
stored and the backend interface, `sqlite` the embedded backend (one file), `redis` the
shared one (`redis://HOST:PORT/DB`), `command` the `newsdedup index` commands.
"""

from __future__ import annotations

from .archive import add, open_store, scan_indexed
from .base import IndexParameters, ParameterMismatch, Store, StoreError

__all__ = [
    "IndexParameters",
    "ParameterMismatch",
    "Store",
    "StoreError",
    "add",
    "open_store",
    "scan_indexed",
]
