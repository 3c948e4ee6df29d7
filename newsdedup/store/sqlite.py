"""The embedded index: one SQLite file in WAL mode, no server.

Tables (layout `base.FORMAT`, stamped in the file's `application_id` and `user_version`):

* `parameters`: what the signatures and band keys mean (`base.IndexParameters`);
* `documents`: number, id, content digest, metadata (JSON), text length, segment count;
* `texts`: the extracted text, zlib-compressed;
* `segments`: per document, the segments' offsets, paragraph numbers and flags, the
  MinHash signatures (uint32) of its matchable segments, and every segment's shingles
  (uint32, `base.pack_shingles`), as blobs;
* `passages` (passage, document): who carries each whole-signature key;
* `bands` (key, passage): the LSH bucket of each band key, one row per distinct passage;
* `counters`: running row counts, so `stats` never counts a large table.

`passages` and `bands` are `WITHOUT ROWID` tables keyed by their lookup column first: a
query reads only the buckets of its own keys. Each batch of documents is written in one
`BEGIN IMMEDIATE` transaction, so a run killed midway leaves whole batches only (WAL
rolls the rest back), and two processes adding to one file take turns per batch.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..records import Document
from .base import (
    FORMAT,
    Entry,
    IndexParameters,
    Stored,
    StoreError,
    Written,
    band_keys_of,
    distinct_shingles,
    keys_of,
    layout_error,
    near_buckets,
    pack_meta,
    pack_segments,
    pack_shingles,
    pack_signatures,
    pack_text,
    unpack_document,
    unpack_segments,
    unpack_shingles,
    unpack_signatures,
)

APPLICATION_ID = 0x4E444458  # "NDDX": marks the file as a newsdedup index
_CHUNK = 500  # values bound per IN (...) list
_BUSY_SECONDS = 120.0  # how long a writer waits for another one's batch
_MMAP_BYTES = 0x7FFF0000  # SQLite's default upper bound (SQLITE_MAX_MMAP_SIZE)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS parameters (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    num INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    digest TEXT NOT NULL,
    meta TEXT NOT NULL,
    text_chars INTEGER NOT NULL,
    n_segments INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS texts (doc INTEGER PRIMARY KEY, text BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS segments (
    doc INTEGER PRIMARY KEY,
    offsets BLOB NOT NULL,
    signatures BLOB NOT NULL,
    shingles BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
    passage INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (passage, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL, passage INTEGER NOT NULL, PRIMARY KEY (key, passage)
) WITHOUT ROWID;
"""
_HOLDERS_CHUNK = 20_000  # passages per `holders` statement (a JSON array)
_HOLDERS = """
SELECT a.value, p.doc, d.id FROM json_each(?1) a
JOIN passages p ON p.passage = a.value
JOIN documents d ON d.num = p.doc
WHERE p.doc <= coalesce(
    (SELECT q.doc FROM passages q WHERE q.passage = a.value ORDER BY q.doc LIMIT 1 OFFSET ?2 - 1),
    9223372036854775807
)
ORDER BY a.value, p.doc
"""
"""The first ?2 holders of each passage of the JSON array ?1, with their ids, in one
statement: a passage's range of holders ends at its ?2-th (found by an indexed seek), so a
template passage held by thousands of documents costs `limit` rows, and a large page's
hundreds of passages cost one statement, not one each."""
_OUR_TABLES = {"parameters", "counters", "documents", "texts", "segments", "passages", "bands"}


class SqliteStore:
    """An index in one SQLite file (see the module's docstring for what it holds)."""

    def __init__(self, path: str, create: bool = False) -> None:
        self.location = path
        file = Path(path)
        if file.is_dir():
            raise StoreError(f"{path}: is a directory, not an index file")
        fresh = not file.exists() or file.stat().st_size == 0
        if fresh and not create:
            raise StoreError(
                f"{path}: no index there (make one: newsdedup index add PATH... --index {path})"
            )
        try:
            self._con = sqlite3.connect(
                path, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from None
        self._params: IndexParameters | None = None
        try:
            with self._errors():
                self._check(fresh)
                # Only a file known to be ours (or new) is ever written to.
                self._con.execute("PRAGMA journal_mode=WAL")
                self._con.execute("PRAGMA synchronous=NORMAL")
                self._con.execute("PRAGMA cache_size=-131072")  # 128 MB of pages
                # reads through a memory map (up to SQLite's 2 GB): a lookup's thousands of
                # band keys each land on another page, and a read() and copy per page was
                # a tenth of a large page's lookup at 100k archived
                self._con.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
        except BaseException:
            self._con.close()
            raise

    # -- opening -------------------------------------------------------------------------

    def _check(self, fresh: bool) -> None:
        """Refuse a file that is not a newsdedup index; lay out a new (empty) one."""
        app_id = self._con.execute("PRAGMA application_id").fetchone()[0]
        version = self._con.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self._con.execute("SELECT name FROM sqlite_master")}
        if not fresh or tables or app_id:
            self._check_ours(app_id, version, tables)
            return
        with self._transaction():
            # another process may have laid it out while this one waited for the lock
            app_id = self._con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in self._con.execute("SELECT name FROM sqlite_master")}
            if tables or app_id:
                version = self._con.execute("PRAGMA user_version").fetchone()[0]
                self._check_ours(app_id, version, tables)
                return
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._con.execute(statement)
            self._con.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self._con.execute(f"PRAGMA user_version={FORMAT}")

    def _check_ours(self, app_id: int, version: int, tables: set[str]) -> None:
        if app_id != APPLICATION_ID:
            kind = "an SQLite database of another application" if tables or app_id else "empty"
            raise StoreError(f"{self.location}: not a newsdedup index ({kind}); left untouched")
        if version != FORMAT:
            raise layout_error(self.location, version)
        if not tables >= _OUR_TABLES:
            missing = ", ".join(sorted(_OUR_TABLES - tables))
            raise StoreError(f"{self.location}: damaged newsdedup index (no table {missing})")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as one line naming the file: corrupt, not a database, locked."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            message = str(exc)
            if "not a database" in message:
                message = "not a newsdedup index (not an SQLite database); left untouched"
            elif "locked" in message or "busy" in message:
                message = f"index busy: another process held it for {_BUSY_SECONDS:.0f} s"
            raise StoreError(f"{self.location}: {message}") from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction, taken as soon as it starts (`BEGIN IMMEDIATE`): writers wait
        their turn (busy timeout), and a batch is all written or not at all."""
        for attempt in range(5):
            try:
                self._con.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or attempt == 4:
                    raise
                time.sleep(0.5 * (attempt + 1))
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    # -- parameters ----------------------------------------------------------------------

    def parameters(self) -> IndexParameters | None:
        if self._params is None:
            with self._errors():
                row = self._con.execute(
                    "SELECT value FROM parameters WHERE name = 'index'"
                ).fetchone()
            if row is not None:
                try:
                    self._params = IndexParameters.from_dict(json.loads(row[0]))
                except (ValueError, TypeError) as exc:
                    raise StoreError(f"{self.location}: damaged parameters ({exc})") from None
        return self._params

    def create(self, parameters: IndexParameters) -> None:
        with self._errors(), self._transaction():
            self._con.execute(
                "INSERT OR IGNORE INTO parameters VALUES ('index', ?)",
                (json.dumps(parameters.as_dict(), sort_keys=True),),
            )
        self._params = None

    # -- writing -------------------------------------------------------------------------

    def digests(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._errors():
            for chunk in _chunks(list(ids)):
                found.update(
                    self._con.execute(
                        f"SELECT id, digest FROM documents WHERE id IN ({_marks(chunk)})", chunk
                    ).fetchall()
                )
        return found

    def write(self, entries: Sequence[Entry]) -> Written:
        params = self._require_parameters()
        latest = {e.doc.id: e for e in entries}  # one entry per id: the last
        added, replaced, unchanged = [], [], []
        with self._errors(), self._transaction():
            held = self._held(list(latest))
            fresh: list[Entry] = []
            for doc_id, entry in latest.items():
                if doc_id in held and held[doc_id][1] == entry.digest:
                    unchanged.append(doc_id)
                    continue
                if doc_id in held:
                    self._delete(held[doc_id][0], params)
                    replaced.append(doc_id)
                else:
                    added.append(doc_id)
                fresh.append(entry)
            self._insert(fresh)
        return Written(tuple(added), tuple(replaced), tuple(unchanged))

    def _require_parameters(self) -> IndexParameters:
        params = self.parameters()
        if params is None:
            raise StoreError(f"{self.location}: index has no parameters recorded")
        return params

    def _held(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        held: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(ids):
            for doc_id, num, found in self._con.execute(
                f"SELECT id, num, digest FROM documents WHERE id IN ({_marks(chunk)})", chunk
            ):
                held[doc_id] = (num, found)
        return held

    def _insert(self, entries: list[Entry]) -> None:
        """Documents, then their passages, then the band keys of passages new to the index."""
        con = self._con
        numbers: list[int] = []
        for entry in entries:
            doc = entry.doc
            cursor = con.execute(
                "INSERT INTO documents (id, digest, meta, text_chars, n_segments) "
                "VALUES (?, ?, ?, ?, ?)",
                (doc.id, entry.digest, pack_meta(doc), len(doc.text), len(entry.start)),
            )
            num = cursor.lastrowid
            assert num is not None
            numbers.append(num)
            con.execute("INSERT INTO texts VALUES (?, ?)", (num, pack_text(doc.text)))
            con.execute(
                "INSERT INTO segments VALUES (?, ?, ?, ?)",
                (
                    num,
                    pack_segments(entry),
                    pack_signatures(entry.signatures),
                    pack_shingles(entry),
                ),
            )
        if not entries:
            return
        keys = np.concatenate([e.keys for e in entries], axis=1).view(np.int64)
        passages, first = np.unique(keys[0], return_index=True)
        known = np.array(sorted(self._known_passages(passages.tolist())), dtype=np.int64)
        new = first[~np.isin(passages, known)]
        held = [e.passages() for e in entries]
        holders = np.concatenate(held)
        owners = np.repeat(np.array(numbers, dtype=np.int64), [len(h) for h in held])
        order = np.lexsort((owners, holders))  # in key order: each page visited once
        inserted = con.executemany(
            "INSERT OR IGNORE INTO passages VALUES (?, ?)",
            zip(holders[order].tolist(), owners[order].tolist(), strict=True),
        )
        self._count("passages", max(inserted.rowcount, 0))
        band_keys = keys[1:, new].T.ravel()  # each new passage's band keys in turn
        owner = np.repeat(keys[0, new], keys.shape[0] - 1)
        order = np.lexsort((owner, band_keys))
        inserted = con.executemany(
            "INSERT OR IGNORE INTO bands VALUES (?, ?)",
            zip(band_keys[order].tolist(), owner[order].tolist(), strict=True),
        )
        self._count("band_keys", max(inserted.rowcount, 0))

    def _known_passages(self, passages: list[int]) -> set[int]:
        """The passages some stored document holds."""
        known: set[int] = set()
        for chunk in _chunks(passages):
            known.update(
                r[0]
                for r in self._con.execute(
                    f"SELECT DISTINCT passage FROM passages WHERE passage IN ({_marks(chunk)})",
                    chunk,
                )
            )
        return known

    def _count(self, name: str, delta: int) -> None:
        self._con.execute(
            "INSERT INTO counters VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
            (name, delta),
        )

    def _delete(self, num: int, params: IndexParameters) -> None:
        """Remove a document and every row that only it needed (inside a transaction)."""
        con = self._con
        row = con.execute("SELECT signatures FROM segments WHERE doc = ?", (num,)).fetchone()
        signatures = unpack_signatures(row[0] if row else b"", params.num_perm)
        keys = keys_of(signatures, params).view(np.int64)
        passages = sorted(set(keys[0].tolist()))
        con.executemany(
            "DELETE FROM passages WHERE passage = ? AND doc = ?", [(p, num) for p in passages]
        )
        self._count("passages", -len(passages))
        orphans = set(passages) - self._known_passages(passages)
        band_rows = sorted(
            {
                (key, passage)
                for column, passage in enumerate(keys[0].tolist())
                if passage in orphans
                for key in keys[1:, column].tolist()
            }
        )
        gone = con.executemany("DELETE FROM bands WHERE key = ? AND passage = ?", band_rows)
        self._count("band_keys", -max(gone.rowcount, 0))
        for table, column in (("texts", "doc"), ("segments", "doc"), ("documents", "num")):
            con.execute(f"DELETE FROM {table} WHERE {column} = ?", (num,))

    def remove(self, ids: Sequence[str]) -> list[str]:
        params = self._require_parameters()
        with self._errors(), self._transaction():
            held = self._held(list(dict.fromkeys(ids)))
            for num, _ in held.values():
                self._delete(num, params)
        return [i for i in dict.fromkeys(ids) if i in held]

    # -- reading -------------------------------------------------------------------------

    def buckets(self, bands: np.ndarray, cap: int) -> list[list[list[int]]]:
        params = self._require_parameters()
        keys = band_keys_of(bands, params).view(np.int64)
        parts = [np.zeros(0, dtype=np.int64)]
        with self._errors():
            for chunk in _chunks(np.unique(keys).tolist()):
                rows = self._con.execute(
                    f"SELECT key, passage FROM bands WHERE key IN ({_marks(chunk)})", chunk
                )
                # each row's tuple freed as soon as read: thousands of rows a large page
                # reads never pile up for the garbage collector to walk
                parts.append(np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64))
        table = np.concatenate(parts).reshape(-1, 2)
        return near_buckets(keys, table[:, 0], table[:, 1], cap)

    def holders(self, passages: Sequence[int], limit: int) -> dict[int, list[tuple[int, str]]]:
        found: dict[int, list[tuple[int, str]]] = {}
        if limit <= 0:
            return found
        with self._errors():
            for chunk in _chunks(sorted(set(passages)), _HOLDERS_CHUNK):
                for passage, num, doc_id in self._con.execute(_HOLDERS, (json.dumps(chunk), limit)):
                    found.setdefault(passage, []).append((num, doc_id))
        return found

    def _by_id(self, select: str, ids: Sequence[str]) -> Iterator[Any]:
        """The rows of `select` (a statement ending in `d.id IN`, `d` the documents table)
        for `ids`, a chunk of ids per statement."""
        with self._errors():
            for chunk in _chunks(list(ids)):
                yield from self._con.execute(f"{select} ({_marks(chunk)})", chunk).fetchall()

    def documents(self, ids: Sequence[str]) -> list[Document]:
        rows = self._by_id(
            "SELECT d.id, d.meta, t.text FROM documents d JOIN texts t ON t.doc = d.num "
            "WHERE d.id IN",
            ids,
        )
        found = [unpack_document(i, meta, text) for i, meta, text in rows]
        return sorted(found, key=lambda d: d.id)

    def shingles(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        rows = self._by_id(
            "SELECT d.id, s.shingles FROM documents d JOIN segments s ON s.doc = d.num "
            "WHERE d.id IN",
            ids,
        )
        return {i: distinct_shingles(blob) for i, blob in rows}

    def stored(self, ids: Sequence[str]) -> dict[str, Stored]:
        num_perm = self._require_parameters().num_perm
        rows = self._by_id(
            "SELECT d.id, s.offsets, s.signatures, s.shingles FROM documents d "
            "JOIN segments s ON s.doc = d.num WHERE d.id IN",
            ids,
        )
        return {
            i: Stored(
                i,
                unpack_segments(segments),
                *unpack_shingles(shingles),
                unpack_signatures(signatures, num_perm),
            )
            for i, segments, signatures, shingles in rows
        }

    def stats(self) -> dict[str, Any]:
        with self._errors():
            con = self._con
            documents, segments, chars = con.execute(
                "SELECT COUNT(*), COALESCE(SUM(n_segments), 0), COALESCE(SUM(text_chars), 0) "
                "FROM documents"
            ).fetchone()
            counters = dict(con.execute("SELECT name, value FROM counters").fetchall())
            stored_text = con.execute("SELECT COALESCE(SUM(length(text)), 0) FROM texts")
            text_bytes = stored_text.fetchone()[0]
        on_disk = sum(
            os.path.getsize(p) for p in (self.location, self.location + "-wal") if os.path.exists(p)
        )
        params = self.parameters()
        return {
            "backend": "sqlite",
            "location": self.location,
            "documents": documents,
            "segments": segments,
            "passages": counters.get("passages", 0),
            "band_keys": counters.get("band_keys", 0),
            "text_chars": chars,
            "text_bytes_stored": text_bytes,
            "bytes_on_disk": on_disk,
            "parameters": None if params is None else params.as_dict(),
        }

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._con.close()


def _chunks(values: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _marks(chunk: Sequence[Any]) -> str:
    return ",".join("?" * len(chunk))
