"""A scan's report as a directory of JSON Lines shards and a manifest (`scan -o DIR/`).

`--format json` is one value, written by the process that holds the whole result: a scan
too large for one machine's memory cannot have one. In a directory, the documents and the
stories are shards of JSON Lines, each written where its objects are made (on the dask
engine, by the worker that holds a batch of documents or traced a chunk of stories, so no
document text, story or diff passes through the client), and, last, a small manifest names
the shards in order with everything else the report holds (parameters, summary, errors,
warnings). The lines of the shards, read in the manifest's order, are the `documents` and
`stories` of the JSON report, object for object (docs/output-schema.md, "Shards"); a
directory without its manifest is a scan that did not finish.

The destination is a local directory (which every dask worker must see: a shared file
system) or an fsspec URL (`s3://bucket/prefix/`, `file:///...`); it must be new or empty.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .. import __version__
from ..pipeline import ScanOptions, ScanResult
from ..provenance import StoryReport
from ..records import Document, Failure, Notice, Skipped
from .json import (
    SCHEMA_VERSION,
    document_json,
    errors_of,
    json_lines,
    story_json,
    summary,
    warnings_of,
)

MANIFEST = "manifest.json"
SHARDS_FORMAT = "newsdedup-shards"
SHARDS_VERSION = "1.0"
"""The directory's layout and the manifest's fields (the lines are versioned by the report's
`schema_version`, which the manifest also carries)."""
DOCUMENTS_PER_SHARD = 2000  # the dask engine's batch: a shard per batch, as it writes them
STORIES_PER_SHARD = 64  # the dask engine's chunk of stories traced by one task
_PROBE = ".newsdedup-probe"


class ShardOutputError(Exception):
    """The destination cannot take the shards (not empty, not a directory, not writable, a
    URL whose file system is not installed): one line on stderr, exit 2."""


@dataclass(frozen=True)
class Destination:
    """Where the shards go: an absolute local directory or an fsspec URL (`root`, without a
    trailing slash), and how the user named it (`shown`, for messages). Small and
    picklable: the dask engine's workers are given it and write their own shards."""

    root: str
    shown: str

    @classmethod
    def of(cls, output: str) -> Destination:
        """`output` as given to `-o` ("DIR/", "s3://bucket/prefix/")."""
        if "://" in output:
            return cls(output.rstrip("/"), output)
        return cls(os.path.abspath(output), output)

    @property
    def is_url(self) -> bool:
        return "://" in self.root

    def prepare(self) -> None:
        """Make the directory, new or empty, and check that a file can be written in it,
        before the scan starts: a destination that cannot take the report is said at once,
        not after an hour of work."""
        try:
            if self.is_url:
                fs, root = _filesystem(self.root)
                if fs.exists(root) and not fs.isdir(root):
                    raise ShardOutputError(f"cannot write {self.shown}: not a directory")
                if fs.exists(root) and fs.ls(root, detail=False):
                    raise ShardOutputError(f"cannot write {self.shown}: {_NOT_EMPTY}")
                fs.makedirs(root, exist_ok=True)
            else:
                if os.path.exists(self.root) and not os.path.isdir(self.root):
                    raise ShardOutputError(f"cannot write {self.shown}: not a directory")
                if os.path.isdir(self.root) and os.listdir(self.root):
                    raise ShardOutputError(f"cannot write {self.shown}: {_NOT_EMPTY}")
                os.makedirs(self.root, exist_ok=True)
            self.write(_PROBE, b"")
            self._remove(_PROBE)
        except ShardOutputError:
            raise
        except Exception as exc:  # OSError, or an fsspec backend's own (a missing s3fs)
            raise ShardOutputError(f"cannot write {self.shown}: {_why(exc)}") from exc

    def write(self, name: str, data: bytes) -> None:
        """`data` as the file `name`, whole or not at all (a local file by a rename; an
        object store's put is whole by itself); a task run again writes the same bytes."""
        try:
            if self.is_url:
                fs, root = _filesystem(self.root)
                fs.pipe_file(f"{root}/{name}", data)
                return
            tmp = os.path.join(self.root, f".{name}.{uuid.uuid4().hex}.tmp")
            try:
                with open(tmp, "xb") as out:  # the mode `open` gives any new file
                    out.write(data)
                os.replace(tmp, os.path.join(self.root, name))
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
        except Exception as exc:
            raise ShardOutputError(f"cannot write {self.path(name)}: {_why(exc)}") from exc

    def path(self, name: str) -> str:
        """`name` in the directory, as the user named it: for messages."""
        return f"{self.shown.rstrip('/')}/{name}"

    def read(self, name: str) -> bytes:
        if self.is_url:
            fs, root = _filesystem(self.root)
            data: bytes = fs.cat_file(f"{root}/{name}")
            return data
        with open(os.path.join(self.root, name), "rb") as found:
            return found.read()

    def _remove(self, name: str) -> None:
        if self.is_url:
            fs, root = _filesystem(self.root)
            fs.rm_file(f"{root}/{name}")
        else:
            os.unlink(os.path.join(self.root, name))


_NOT_EMPTY = "not empty (a scan writes its shards into a new or empty directory)"


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError as exc:
        raise ShardOutputError(
            f"an fsspec URL needs fsspec: pip install 'newsdedup[dask]' ({exc})"
        ) from exc
    return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


@dataclass(frozen=True)
class Shard:
    """One file of the directory: its name there, and how many lines (objects) it holds."""

    path: str
    lines: int


@dataclass(frozen=True)
class Written:
    """What a scan that wrote shards tells its caller (and its manifest): everything of the
    report but the documents and stories, which are in the shards."""

    options: ScanOptions
    summary: dict[str, int]
    skipped: tuple[Skipped, ...]
    notices: tuple[Notice, ...]
    failures: tuple[Failure, ...]
    documents: tuple[Shard, ...]
    stories: tuple[Shard, ...]


def shard_name(kind: str, number: int) -> str:
    """`documents-00000.jsonl`, `stories-00012.jsonl`: names that sort in manifest order."""
    return f"{kind}-{number:05d}.jsonl"


def write_shard(destination: Destination, kind: str, number: int, objects: Iterable[Any]) -> Shard:
    """`objects` as the shard `kind`-`number`, a line each."""
    lines = list(objects)
    name = shard_name(kind, number)
    destination.write(name, json_lines(lines, items=True))
    return Shard(name, len(lines))


def document_shard(
    destination: Destination, number: int, result: ScanResult, documents: Sequence[Document]
) -> Shard:
    """The DOCUMENT objects of `documents` as one shard; `result` holds at least their rows
    (on the dask engine, a batch of documents and nothing else)."""
    return write_shard(
        destination, "documents", number, (document_json(result, d) for d in documents)
    )


def story_shard(
    destination: Destination, number: int, result: ScanResult, stories: Sequence[StoryReport]
) -> Shard:
    """The STORY objects of `stories` as one shard; `result` holds at least their pages, rows,
    diffs and failures (on the dask engine, a chunk of stories and nothing else)."""
    return write_shard(destination, "stories", number, (story_json(result, s) for s in stories))


def write_result(result: ScanResult, destination: Destination) -> Written:
    """A whole result as shards of `DOCUMENTS_PER_SHARD` documents and `STORIES_PER_SHARD`
    stories, then the manifest: the local engine's `-o DIR/`, by this process."""
    docs, stories = result.described(), result.stories
    documents = tuple(
        document_shard(destination, k, result, docs[lo : lo + DOCUMENTS_PER_SHARD])
        for k, lo in enumerate(range(0, len(docs), DOCUMENTS_PER_SHARD))
    )
    chunks = tuple(
        story_shard(destination, k, result, stories[lo : lo + STORIES_PER_SHARD])
        for k, lo in enumerate(range(0, len(stories), STORIES_PER_SHARD))
    )
    written = Written(
        result.options,
        summary(result),
        result.skipped,
        result.notices,
        result.failures,
        documents,
        chunks,
    )
    return finish(destination, written)


def finish(destination: Destination, written: Written) -> Written:
    """Write the manifest, last: from now on the directory is a complete report."""
    destination.write(MANIFEST, json_lines([manifest_json(written)]))
    return written


def manifest_json(written: Written) -> dict[str, Any]:
    """The report's fields, in its order, with `documents` and `stories` naming the shards
    that hold them, and the directory's `format`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "format": {"name": SHARDS_FORMAT, "version": SHARDS_VERSION},
        "tool": {"name": "newsdedup", "version": __version__},
        "parameters": asdict(written.options),
        "summary": written.summary,
        "documents": [asdict(s) for s in written.documents],
        "stories": [asdict(s) for s in written.stories],
        "errors": errors_of(written.skipped, written.failures),
        "warnings": warnings_of(written.notices),
    }


def read_report(destination: Destination) -> dict[str, Any]:
    """The report a shard directory holds, as `--format json` gives it (`result_json`): the
    manifest with its shards' lines in place of their names. A directory without a manifest
    (a scan that did not finish) or with a shard cut short is a `ShardOutputError`."""
    try:
        manifest = json.loads(destination.read(MANIFEST))
    except FileNotFoundError as exc:
        raise ShardOutputError(
            f"{destination.shown} has no {MANIFEST}: a scan that did not finish"
        ) from exc
    report = {k: v for k, v in manifest.items() if k != "format"}
    for kind in ("documents", "stories"):
        report[kind] = [line for shard in manifest[kind] for line in _lines(destination, shard)]
    return report


def _lines(destination: Destination, shard: dict[str, Any]) -> Sequence[Any]:
    lines = [json.loads(line) for line in destination.read(shard["path"]).splitlines()]
    if len(lines) != shard["lines"]:
        raise ShardOutputError(
            f"{destination.shown}{shard['path']}: {len(lines)} lines, the manifest says "
            f"{shard['lines']}"
        )
    return lines
