"""The shared index: a Redis database (`redis://HOST:PORT/DB[?name=NAME]`), for teams whose
crawlers and CI runners share one archive.

The LSH band tables are datasketch's own Redis storage: a `MinHashLSH` with
`storage_config={"type": "redis", "basename": b"NAME:lsh", ...}` (`prepickle=False`), one
LSH key per distinct passage (its whole-signature key, 8 bytes), inserted with the
passage's signature as a `LeanMinHash` (scheme `affine32`). Its buckets are read per band
with datasketch's pipelined `getmany`, so a lookup costs one round trip per band.
Beside them, under the same name (`NAME:`):

* `NAME:params` (JSON) and `NAME:format`: what the signatures and bands mean, and the layout;
* `NAME:doc:<id>`: a hash per document (number, digest, metadata, compressed text, segment
  offsets and flags, signatures, every segment's shingles);
* `NAME:digests`: id -> digest of every committed document; `NAME:seq`: document numbers;
* `NAME:p:<passage>`: a sorted set of the documents holding a passage (score: number);
* `NAME:pending`: documents of a batch being written, `NAME:lock`: the writers' lock;
* `NAME:counters`: running counts for `stats`.

A batch is journalled: its ids go to `pending` first and into `digests` last, in one
`MULTI`; readers ignore anything not in `digests`, and the next writer rolls back what a
killed one left pending. Writers take turns under `NAME:lock`.
"""

from __future__ import annotations

import contextlib
import json
import struct
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import redis
from datasketch import LeanMinHash, MinHashLSH
from redis.backoff import NoBackoff
from redis.retry import Retry

from ..fingerprint import SCHEME
from ..records import Document
from .base import (
    FORMAT,
    Entry,
    IndexParameters,
    Stored,
    StoreError,
    Written,
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

_LOCK_SECONDS = 600  # a writer's batch; a killed writer's lock expires after this
_WAIT_SECONDS = 600  # how long a writer waits for another one's batch


class RedisStore:
    """An index in a Redis database, beside whatever else the database holds."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query)
        name = query.pop("name", ["newsdedup"])[0]
        self.location = url
        plain = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, True)))
        try:
            # the keyword arguments of `redis.Redis`, for this client and datasketch's
            self._config: dict[str, Any] = redis.connection.parse_url(plain)  # type: ignore[no-untyped-call]
        except ValueError as exc:
            raise StoreError(f"{url}: not a Redis address ({exc})") from None
        # a server that is down is reported at once, not after a backoff of seconds
        self._config.setdefault("socket_connect_timeout", 10)
        self._config.setdefault("retry", Retry(NoBackoff(), 1))
        self._redis = redis.Redis(**self._config)
        self._base = name.encode()
        self._params: IndexParameters | None = None
        self._lsh_object: MinHashLSH | None = None
        with self._errors():
            self._redis.ping()
            self._check()

    # -- keys ----------------------------------------------------------------------------

    def _key(self, *parts: str | bytes) -> bytes:
        encoded = [p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass") for p in parts]
        return b":".join([self._base, *encoded])

    def _doc_key(self, doc_id: str) -> bytes:
        return self._key("doc", doc_id)

    def _passage_key(self, passage: int) -> bytes:
        return self._key("p", str(passage))

    @staticmethod
    def _lsh_key(passage: int) -> bytes:
        return struct.pack(">q", passage)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except redis.exceptions.ConnectionError as exc:
            raise StoreError(f"{self.location}: cannot reach the Redis server ({exc})") from None
        except redis.exceptions.ResponseError as exc:
            raise StoreError(f"{self.location}: not a newsdedup index ({exc})") from None
        except redis.exceptions.RedisError as exc:
            raise StoreError(f"{self.location}: {exc}") from None

    def _check(self) -> None:
        """Refuse keys under our name that another program wrote, or another layout."""
        kind = self._redis.type(self._key("params"))
        if kind not in (b"none", b"string"):
            raise StoreError(
                f"{self.location}: '{self._base.decode()}:params' is not a newsdedup index's "
                "(use ?name=NAME for another name)"
            )
        found = self._redis.get(self._key("format"))
        if kind == b"string" and found != str(FORMAT).encode():
            layout = _text(found) if found is not None else "unknown"
            raise layout_error(self.location, int(layout) if layout.isdigit() else layout)

    @property
    def _lsh(self) -> MinHashLSH:
        if self._lsh_object is None:
            params = self._require_parameters()
            self._lsh_object = MinHashLSH(
                num_perm=params.num_perm,
                params=(params.bands, params.rows),
                storage_config={
                    "type": "redis",
                    "basename": self._key("lsh"),
                    "redis": dict(self._config),
                },
                prepickle=False,
            )
        return self._lsh_object

    # -- parameters ----------------------------------------------------------------------

    def parameters(self) -> IndexParameters | None:
        if self._params is None:
            with self._errors():
                found = self._redis.get(self._key("params"))
            if found is not None:
                try:
                    self._params = IndexParameters.from_dict(json.loads(found))
                except (ValueError, TypeError) as exc:
                    raise StoreError(f"{self.location}: damaged parameters ({exc})") from None
        return self._params

    def create(self, parameters: IndexParameters) -> None:
        with self._errors():
            pipe = self._redis.pipeline()
            pipe.set(self._key("params"), json.dumps(parameters.as_dict(), sort_keys=True), nx=True)
            pipe.set(self._key("format"), str(FORMAT), nx=True)
            pipe.execute()
        self._params = None

    def _require_parameters(self) -> IndexParameters:
        params = self.parameters()
        if params is None:
            raise StoreError(f"{self.location}: index has no parameters recorded")
        return params

    # -- writing -------------------------------------------------------------------------

    def digests(self, ids: Sequence[str]) -> dict[str, str]:
        if not ids:
            return {}
        with self._errors():
            found = self._redis.hmget(self._key("digests"), [_b(i) for i in ids])
        return {i: _text(d) for i, d in zip(ids, found, strict=True) if d is not None}

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """The writers' lock, and what a killed writer left pending rolled back first."""
        with self._errors():
            lock = self._redis.lock(
                _text(self._key("lock")), timeout=_LOCK_SECONDS, blocking_timeout=_WAIT_SECONDS
            )
            if not lock.acquire():
                raise StoreError(f"{self.location}: index busy: another writer held it too long")
            try:
                self._recover()
                yield
            finally:
                with contextlib.suppress(redis.exceptions.LockError):
                    lock.release()

    def _recover(self) -> None:
        """Undo the documents of a batch that never committed (their writer was killed)."""
        pending = [_text(m) for m in self._redis.smembers(self._key("pending"))]
        if not pending:
            return
        params = self._require_parameters()
        for doc_id in pending:
            if self._redis.hget(self._key("digests"), _b(doc_id)) is None:
                self._unlink(doc_id, params)
        self._redis.srem(self._key("pending"), *[_b(i) for i in pending])

    def write(self, entries: Sequence[Entry]) -> Written:
        params = self._require_parameters()
        latest = {e.doc.id: e for e in entries}
        added: list[str] = []
        replaced: list[str] = []
        unchanged: list[str] = []
        with self._writing():
            held = self.digests(list(latest))
            fresh = []
            for doc_id, entry in latest.items():
                if held.get(doc_id) == entry.digest:
                    unchanged.append(doc_id)
                    continue
                (replaced if doc_id in held else added).append(doc_id)
                fresh.append(entry)
            if fresh:
                ids = [_b(e.doc.id) for e in fresh]
                self._redis.sadd(self._key("pending"), *ids)
                if replaced:  # gone for readers until the new version commits
                    self._redis.hdel(self._key("digests"), *[_b(i) for i in replaced])
                for doc_id in replaced:
                    self._unlink(doc_id, params)
                self._insert(fresh)
                commit = self._redis.pipeline(transaction=True)
                commit.hset(self._key("digests"), mapping={_b(e.doc.id): e.digest for e in fresh})
                commit.srem(self._key("pending"), *ids)
                commit.execute()
        return Written(tuple(added), tuple(replaced), tuple(unchanged))

    def _insert(self, entries: list[Entry]) -> None:
        """Records, then passage holders, then the LSH entries of passages new to the index."""
        numbers = self._redis.incrby(self._key("seq"), len(entries)) - len(entries) + 1
        pipe = self._redis.pipeline(transaction=True)  # records, holds and counts together
        first: dict[int, np.ndarray] = {}  # passage -> its signature
        for n, entry in enumerate(entries, numbers):
            doc = entry.doc
            text = pack_text(doc.text)
            pipe.hset(
                self._doc_key(doc.id),
                mapping={
                    "num": n,
                    "digest": entry.digest,
                    "meta": pack_meta(doc),
                    "text": text,
                    "offsets": pack_segments(entry),
                    "signatures": pack_signatures(entry.signatures),
                    "shingles": pack_shingles(entry),
                    "n_segments": len(entry.start),
                    "text_chars": len(doc.text),
                },
            )
            for column, passage in enumerate(entry.keys[0].view(np.int64).tolist()):
                first.setdefault(passage, entry.signatures[column])
            for passage in entry.passages().tolist():
                pipe.zadd(self._passage_key(passage), {_b(doc.id): n})
            pipe.hincrby(self._key("counters"), "segments", len(entry.start))
            pipe.hincrby(self._key("counters"), "text_chars", len(doc.text))
            pipe.hincrby(self._key("counters"), "text_bytes", len(text))
            pipe.hincrby(self._key("counters"), "passages", len(entry.passages()))
        pipe.execute()
        lsh = self._lsh
        passages = list(first)
        known = self._lsh_known(passages)
        params = self._require_parameters()
        with lsh.insertion_session(buffer_size=20_000) as session:
            for passage in passages:
                if passage not in known:
                    session.insert(
                        self._lsh_key(passage),
                        LeanMinHash(seed=params.seed, hashvalues=first[passage], scheme=SCHEME),
                        check_duplication=False,
                    )
        new = sum(p not in known for p in passages)
        self._redis.hincrby(self._key("counters"), "band_keys", new * params.bands)

    def _lsh_known(self, passages: list[int]) -> set[int]:
        """The passages already in the LSH index (datasketch's `keys` hash)."""
        if not passages:
            return set()
        keys_name = self._key("lsh") + b"_keys"
        pipe = self._redis.pipeline(transaction=False)
        for passage in passages:
            pipe.hexists(keys_name, self._lsh_key(passage))
        return {p for p, there in zip(passages, pipe.execute(), strict=True) if there}

    def _unlink(self, doc_id: str, params: IndexParameters) -> None:
        """Remove a document's record, its holds on passages, and passages left unheld."""
        record = self._redis.hmget(
            self._doc_key(doc_id), ["signatures", "n_segments", "text_chars", "text"]
        )
        signatures_blob, n_segments, text_chars, text = record
        if signatures_blob is None:
            self._redis.delete(self._doc_key(doc_id))
            return
        keys = keys_of(unpack_signatures(_bytes(signatures_blob), params.num_perm), params)
        passages = sorted(set(keys[0].view(np.int64).tolist()))
        pipe = self._redis.pipeline(transaction=False)
        for passage in passages:
            pipe.zrem(self._passage_key(passage), _b(doc_id))
        for passage in passages:
            pipe.zcard(self._passage_key(passage))
        counts = pipe.execute()[len(passages) :]
        orphans = [p for p, c in zip(passages, counts, strict=True) if c == 0]
        lsh = self._lsh
        for passage in orphans:
            if self._lsh_key(passage) in lsh.keys:
                lsh.remove(self._lsh_key(passage))
        pipe = self._redis.pipeline(transaction=True)
        pipe.delete(self._doc_key(doc_id))
        counters = self._key("counters")
        pipe.hincrby(counters, "segments", -int(n_segments or 0))
        pipe.hincrby(counters, "text_chars", -int(text_chars or 0))
        pipe.hincrby(counters, "text_bytes", -len(text or b""))
        pipe.hincrby(counters, "passages", -len(passages))
        pipe.hincrby(counters, "band_keys", -len(orphans) * params.bands)
        pipe.execute()

    def remove(self, ids: Sequence[str]) -> list[str]:
        params = self._require_parameters()
        wanted = list(dict.fromkeys(ids))
        with self._writing():
            held = self.digests(wanted)
            gone = [i for i in wanted if i in held]
            if gone:
                self._redis.sadd(self._key("pending"), *[_b(i) for i in gone])
                self._redis.hdel(self._key("digests"), *[_b(i) for i in gone])
                for doc_id in gone:
                    self._unlink(doc_id, params)
                self._redis.srem(self._key("pending"), *[_b(i) for i in gone])
        return gone

    # -- reading -------------------------------------------------------------------------

    def buckets(self, bands: np.ndarray, cap: int) -> list[list[list[int]]]:
        params = self._require_parameters()
        lsh = self._lsh
        values = np.ascontiguousarray(bands, dtype=np.uint32)
        # each distinct (band, key) numbered, so the buckets count as SQLite's do
        keys = np.zeros((params.bands, len(values)), dtype=np.int64)
        rows: list[tuple[int, int]] = []
        numbered: dict[tuple[int, bytes], int] = {}
        with self._errors():
            for band, (start, end) in enumerate(lsh.hashranges[: params.bands]):
                hashed = [lsh._H(row[start:end]) for row in values]
                distinct = list(dict.fromkeys(hashed))
                held = lsh.hashtables[band].getmany(*distinct)
                for key, members in zip(distinct, held, strict=True):
                    number = numbered.setdefault((band, key), len(numbered))
                    rows += [(number, struct.unpack(">q", m)[0]) for m in members]
                keys[band] = [numbered[band, key] for key in hashed]
        table = np.array(rows, dtype=np.int64).reshape(-1, 2)
        return near_buckets(keys, table[:, 0], table[:, 1], cap)

    def holders(self, passages: Sequence[int], limit: int) -> dict[int, list[tuple[int, str]]]:
        wanted = sorted(set(passages))
        if not wanted:
            return {}
        with self._errors():
            pipe = self._redis.pipeline(transaction=False)
            for passage in wanted:
                # committed holders only: a bit more than `limit` covers a pending batch
                pipe.zrange(self._passage_key(passage), 0, limit - 1, withscores=True)
            found = pipe.execute()
            pending = {_text(m) for m in self._redis.smembers(self._key("pending"))}
        holders: dict[int, list[tuple[int, str]]] = {}
        for passage, members in zip(wanted, found, strict=True):
            docs = [(int(score), _text(member)) for member, score in members]
            docs = [(n, i) for n, i in docs if i not in pending]
            if docs:
                holders[passage] = docs
        return holders

    def documents(self, ids: Sequence[str]) -> list[Document]:
        wanted = list(dict.fromkeys(ids))
        with self._errors():
            committed = self.digests(wanted)
            pipe = self._redis.pipeline(transaction=False)
            for doc_id in wanted:
                pipe.hmget(self._doc_key(doc_id), ["meta", "text"])
            found = pipe.execute()
        docs = [
            unpack_document(doc_id, _text(meta), _bytes(text))
            for doc_id, (meta, text) in zip(wanted, found, strict=True)
            if doc_id in committed and meta is not None and text is not None
        ]
        return sorted(docs, key=lambda d: d.id)

    def shingles(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(ids))
        with self._errors():
            committed = self.digests(wanted)
            pipe = self._redis.pipeline(transaction=False)
            for doc_id in wanted:
                pipe.hget(self._doc_key(doc_id), "shingles")
            found = pipe.execute()
        return {
            doc_id: distinct_shingles(_bytes(blob))
            for doc_id, blob in zip(wanted, found, strict=True)
            if doc_id in committed and blob is not None
        }

    def stored(self, ids: Sequence[str]) -> dict[str, Stored]:
        num_perm = self._require_parameters().num_perm
        wanted = list(dict.fromkeys(ids))
        with self._errors():
            committed = self.digests(wanted)
            pipe = self._redis.pipeline(transaction=False)
            for doc_id in wanted:
                pipe.hmget(self._doc_key(doc_id), ["offsets", "signatures", "shingles"])
            found = pipe.execute()
        return {
            doc_id: Stored(
                doc_id,
                unpack_segments(_bytes(segments)),
                *unpack_shingles(_bytes(shingles)),
                unpack_signatures(_bytes(signatures), num_perm),
            )
            for doc_id, (segments, signatures, shingles) in zip(wanted, found, strict=True)
            if doc_id in committed and shingles is not None
        }

    def stats(self) -> dict[str, Any]:
        with self._errors():
            counters = {
                _text(k): int(v) for k, v in self._redis.hgetall(self._key("counters")).items()
            }
            documents = self._redis.hlen(self._key("digests"))
            memory = int(self._redis.info("memory").get("used_memory", 0))
        params = self.parameters()
        return {
            "backend": "redis",
            "location": self.location,
            "documents": documents,
            "segments": counters.get("segments", 0),
            "passages": counters.get("passages", 0),
            "band_keys": counters.get("band_keys", 0),
            "text_chars": counters.get("text_chars", 0),
            "text_bytes_stored": counters.get("text_bytes", 0),
            "bytes_on_disk": memory,
            "parameters": None if params is None else params.as_dict(),
        }

    def close(self) -> None:
        with contextlib.suppress(redis.exceptions.RedisError):
            self._redis.close()


def _b(doc_id: str) -> bytes:
    return doc_id.encode("utf-8", "surrogatepass")


def _text(value: bytes | str) -> str:
    """A reply as text (ids may hold the lone surrogates of a non-UTF-8 file name)."""
    return value if isinstance(value, str) else value.decode("utf-8", "surrogatepass")


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
