"""The archive index (issue 19): `newsdedup index add|remove|stats|query` and `scan --index`,
on a real SQLite file and a real redis-server (no fakes), through the command line.

The Redis tests read the server's address from NEWSDEDUP_TEST_REDIS (`.ci/run` starts a
redis-server and sets it); without a reachable server they are skipped with the reason, and
with CI=true they fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import ROOT, SAMPLES
from helpers import Forked, unavailable
from typer.testing import CliRunner

from benchmarks.corpus import generate, write_corpus
from newsdedup.cli import app
from newsdedup.pipeline import ScanOptions, scan
from newsdedup.report import document_json, story_json
from newsdedup.store.archive import open_store
from newsdedup.store.base import keys_of, unpack_signatures

runner = CliRunner()
REDIS_ENV = "NEWSDEDUP_TEST_REDIS"
REUTERS = ("000", "001", "003")  # the Reuters wire (003's sections 2, 4, 5) and its copies


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server() -> str:
    url = os.environ.get(REDIS_ENV)
    problem = None
    if not url:
        problem = (
            f"{REDIS_ENV} is not set: no redis-server for the shared index (.ci/run starts one)"
        )
    else:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.exceptions.RedisError as exc:
            problem = f"no redis-server reachable at {url} ({REDIS_ENV}): {exc}"
    if problem:
        unavailable(problem)
    assert url is not None
    return url


@pytest.fixture
def redis_index(redis_server: str) -> Iterator[str]:
    """A Redis index under a name of its own, deleted afterwards."""
    import redis

    name = f"test-{uuid.uuid4().hex[:12]}"
    yield f"{redis_server}?name={name}"
    client = redis.Redis.from_url(redis_server)
    keys = list(client.scan_iter(match=f"{name}:*", count=10_000))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["sqlite", "redis"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    location: str = request.getfixturevalue("redis_index")
    return location


def _cli(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _stats(location: str) -> dict[str, Any]:
    result = _cli("index", "stats", "--index", location, "-f", "json")
    assert result.exit_code == 0, result.stderr
    stats: dict[str, Any] = json.loads(result.stdout)
    return stats


def _reuters_copy(directory: Path) -> Path:
    """A site republishing the Reuters wire of 003 (section 2): its headline, the text in
    paragraphs of two sentences, and the site's own lines."""
    lines = (SAMPLES / "003_da4f39425a0307e6.txt").read_text(encoding="utf-8").split("\n")
    headline, body = lines[6], lines[7]
    assert "(Reuters)" in body
    sentences = re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", body)
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    page = "\n\n".join(
        ["Tech Daily | World | Subscribe", headline, *paragraphs, "Reporting by Reuters."]
    )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "techdaily-china-ai.txt"
    path.write_text(page + "\n", encoding="utf-8")
    return path


def _without_archived(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_archived(v) for k, v in value.items() if k != "archived"}
    if isinstance(value, list):
        return [_without_archived(v) for v in value]
    return value


# -- the first "done when" ------------------------------------------------------------


def test_samples_added_one_by_one_then_a_new_reuters_copy_finds_its_parent_in_the_archive(
    index: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SAMPLES)  # ids are the file names, as in a scan of samples/
    names = sorted(p.name for p in SAMPLES.glob("*.txt"))
    for n, name in enumerate(names, 1):
        added = _cli("index", "add", name, "--index", index)
        assert added.exit_code == 0, added.stderr
        assert f"1 added, 0 replaced, 0 unchanged; {n} document" in added.stderr
        assert _stats(index)["documents"] == n
    before = _stats(index)
    again = _cli("index", "add", names[1], "--index", index)
    assert again.exit_code == 0 and "0 added, 0 replaced, 1 unchanged" in again.stderr
    assert _stats(index) == before  # a no-op: nothing written, nothing counted twice
    assert before["segments"] == 309  # every segment of the five samples (as scan counts them)

    copy = _reuters_copy(tmp_path / "today")
    result = _cli("scan", str(copy.parent), "--index", index, "-f", "json", "-q")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    (story,) = [s for s in report["stories"] if copy.name in {v["document"] for v in s["versions"]}]
    assert {d[:3] for d in story["documents"]} >= {*REUTERS, "tec"}  # the Reuters story
    (mine,) = [v for v in story["versions"] if v["document"] == copy.name]
    assert mine["archived"] is False and mine["parent"]["archived"] is True
    assert mine["parent"]["document"].startswith("003")  # the wire, held in the archive
    assert story["origin"] == {"document": names[3], "segment": 30, "archived": True}
    archived = {v["document"]: v["archived"] for v in story["versions"]}
    assert archived == {d: d != copy.name for d in archived}
    assert [d["id"] for d in report["documents"] if not d["archived"]] == [copy.name]

    # the same as a scan of the five samples and the copy together, but for `archived`
    together = tmp_path / "together"
    shutil.copytree(SAMPLES, together)
    shutil.copy(copy, together)
    full = json.loads(_cli("scan", str(together), "-f", "json", "-q").stdout)
    (whole,) = [s for s in full["stories"] if story["id"] == s["id"]]
    assert _without_archived(story) == whole

    monkeypatch.chdir(copy.parent)  # the same id as in the scan: provenance breaks ties by id
    query = _cli("index", "query", copy.name, "--index", index)
    assert query.exit_code == 0, query.stderr
    assert f"origin  {names[3]}#30 (archived)" in query.stdout
    assert f"parent  {mine['parent']['document']}#{mine['parent']['segment']} (archived)" in (
        query.stdout
    )


def test_both_backends_give_the_same_results_on_the_same_input(
    tmp_path: Path, redis_index: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _reuters_copy(tmp_path / "today")
    crawl = tmp_path / "crawl"
    shutil.copytree(SAMPLES, crawl)
    monkeypatch.chdir(tmp_path)
    outputs = []
    for location in (str(tmp_path / "archive.db"), redis_index):
        assert _cli("index", "add", "crawl", "--index", location).exit_code == 0
        removed = _cli("index", "remove", "002_9921ba8010dc4b3b.txt", "--index", location)
        assert removed.exit_code == 0
        stats = _stats(location)
        counts = {k: stats[k] for k in ("documents", "segments", "passages", "band_keys")}
        scanned = _cli("scan", "today", "--index", location, "-f", "json", "-q").stdout
        queried = _cli("index", "query", "today", "--index", location).stdout
        outputs.append((counts, scanned, queried))
    assert outputs[0] == outputs[1]
    assert outputs[0][0]["documents"] == 4 and json.loads(outputs[0][1])["stories"]


# -- the 90/10 split --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def split_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A generated corpus written as files, and the names of a tenth of them (by hash)."""
    root = tmp_path_factory.mktemp("split")
    write_corpus(generate(150, 7), root)
    files = sorted((root / "corpus").iterdir())
    new = {f.name for f in files if int(hashlib.sha1(f.name.encode()).hexdigest(), 16) % 10 == 0}
    for f in files:
        target = root / ("new" if f.name in new else "archive")
        target.mkdir(exist_ok=True)
        shutil.copy(f, target / f.name)
    return root, new


def test_scan_against_the_archive_equals_a_full_scan_on_the_new_documents_stories(
    split_corpus: tuple[Path, set[str]], tmp_path: Path
) -> None:
    root, new = split_corpus
    assert 5 <= len(new) <= 25
    full = scan([str(root / "corpus")], ScanOptions(), jobs=2)
    want = {
        s.id: story_json(full, s)
        for s in full.stories
        if any(v.version.doc_id in new for v in s.versions)
    }
    assert len(want) >= 5

    location = str(tmp_path / "archive.db")
    added = _cli("index", "add", str(root / "archive"), "--index", location, "-j", "2")
    assert added.exit_code == 0, added.stderr
    result = _cli("scan", str(root / "new"), "--index", location, "-f", "json", "-q", "-j", "2")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    got = {s["id"]: _without_archived(s) for s in report["stories"]}
    assert got == want  # same stories, versions, origins, parents, evidence and diffs
    docs = {d.id: document_json(full, d) for d in full.documents if d.id in new}
    found = {d["id"]: _without_archived(d) for d in report["documents"] if d["id"] in new}
    assert found == docs  # segments and boilerplate flags of the new documents too
    assert all(d["archived"] == (d["id"] not in new) for d in report["documents"])


def _check(checked: str, reference: str) -> dict[str, Any]:
    result = _cli("check", checked, "--against", reference, "-f", "json", "--no-baseline", "-q")
    assert result.exit_code in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    assert not report["errors"]
    return report


@pytest.fixture(scope="module")
def folder_check(split_corpus: tuple[Path, set[str]]) -> dict[str, Any]:
    """The check of the new articles against the archive folder: what a check against an
    index of that folder must find, whichever the backend (so run once for both)."""
    root, _ = split_corpus
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root / "new")  # the repository: the new articles, all checked
        return _check(".", str(root / "archive"))


def test_a_check_against_the_index_flags_what_a_check_against_the_folder_flags(
    split_corpus: tuple[Path, set[str]],
    folder_check: dict[str, Any],
    index: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`newsdedup check --against INDEX` (issue 20) reads only the archived documents the
    checked articles' buckets lead to, and finds what the prefilter over the folder finds."""
    root, new = split_corpus
    archive = str(root / "archive")
    monkeypatch.chdir(root / "new")  # the repository: the new articles, all checked
    added = _cli("index", "add", archive, "--index", index, "-j", "2")
    assert added.exit_code == 0, added.stderr
    folder, indexed = folder_check, _check(".", index)

    def found(report: dict[str, Any]) -> list[tuple[Any, ...]]:
        # a folder's references are named by their path, an index's by their id (the path
        # under the directory that was added): the same file name; findings on one line
        # are ordered by a key that holds the reference's name
        return sorted(
            (
                f["rule"],
                f["path"],
                f["line"],
                f["column"],
                f["message"].replace(f["reference"], os.path.basename(f["reference"])),
                os.path.basename(f["reference"]),
            )
            for f in report["findings"]
        )

    assert found(indexed) == found(folder)
    assert "uncredited-copy" in {f["rule"] for f in folder["findings"]}
    assert indexed["summary"]["checked"] == len(new)
    # candidates only: not the archive
    assert 0 < indexed["summary"]["references"] < len(os.listdir(archive))


def test_a_check_against_a_foreign_file_or_an_unreachable_server_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE t (x)")
    (tmp_path / "story.md").write_text("# A story\n\nSome text of the story.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for reference in ("other.db", "redis://127.0.0.1:1/0"):
        result = _cli("check", "story.md", "--against", reference, "-f", "json")
        assert result.exit_code == 2, result.stderr
        assert result.stderr.count("\n") == 1 and reference in result.stderr
    assert foreign.read_bytes().startswith(b"SQLite format 3")  # left as it was


# -- content hashes, replace, remove ---------------------------------------------------------


def test_a_changed_document_replaces_its_entry_and_remove_takes_it_out(
    index: str, tmp_path: Path
) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for sample in SAMPLES.glob("00[01]_*.txt"):
        shutil.copy(sample, crawl / sample.name)
    assert _cli("index", "add", str(crawl), "--index", index).exit_code == 0
    first = _stats(index)
    # the same id, new text: the Bloomberg paraphrase under the cryptopolitan page's name
    name = next(crawl.glob("001_*.txt")).name
    shutil.copy(next(SAMPLES.glob("004_*.txt")), crawl / name)
    replaced = _cli("index", "add", str(crawl), "--index", index)
    assert replaced.exit_code == 0 and "0 added, 1 replaced, 1 unchanged" in replaced.stderr
    store = open_store(index)
    try:
        (stored,) = store.documents([name])
        assert stored.text.startswith("Chinese AI Executives Warn")
    finally:
        store.close()
    # what a fresh index of the same two pages holds: no row of the old text is left
    fresh = str(tmp_path / "fresh.db")
    assert _cli("index", "add", str(crawl), "--index", fresh).exit_code == 0
    counts = ("documents", "segments", "passages", "band_keys", "text_chars")
    assert {k: _stats(index)[k] for k in counts} == {k: _stats(fresh)[k] for k in counts}
    assert _stats(index)["passages"] != first["passages"]

    removed = _cli("index", "remove", name, "nowhere.txt", "--index", index)
    assert removed.exit_code == 2  # one id was not there: said, and the exit code shows it
    assert "not in the index: nowhere.txt" in removed.stderr and "1 removed" in removed.stderr
    only = str(tmp_path / "only.db")
    (crawl / name).unlink()
    assert _cli("index", "add", str(crawl), "--index", only).exit_code == 0
    assert {k: _stats(index)[k] for k in counts} == {k: _stats(only)[k] for k in counts}
    # a removed page is no longer found
    query = _cli("index", "query", str(SAMPLES / "004_47a8d13c308ab820.txt"), "--index", index)
    assert query.exit_code == 0 and "in no archived story" in query.stdout


# -- parameters -------------------------------------------------------------------------------


def test_a_scan_with_other_parameters_is_refused_in_one_line(index: str) -> None:
    assert _cli("index", "add", str(SAMPLES), "--index", index).exit_code == 0
    for args in (["--shingle-size", "4"], ["--num-perm", "64"], ["--threshold", "0.3"]):
        result = _cli("scan", str(SAMPLES), "--index", index, *args)
        assert result.exit_code == 2, result.stdout
        (line,) = result.stderr.strip().splitlines()
        assert "was built with other parameters" in line and index in line
        assert args[0].lstrip("-").replace("-", "_").split("_")[0] in line
    refused = _cli("index", "add", str(SAMPLES), "--index", index, "--num-perm", "64")
    assert refused.exit_code == 2 and "num_perm 128 (this run: 64)" in refused.stderr
    stats = _stats(index)["parameters"]
    assert stats["num_perm"] == 128 and stats["bands"] == 28 and stats["rows"] == 2
    assert stats["shingle_size"] == 5 and stats["scheme"] == "affine32"
    assert stats["normalisation"] == "2"  # "2": Unicode words and unspaced scripts (issue 23)


# -- files that are not an index ---------------------------------------------------------------


def test_a_corrupt_or_foreign_file_is_an_error_naming_it_never_overwritten(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"PK\x03\x04 not a database at all" * 100)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO accounts VALUES (1, 'ledger')")
    con.close()
    damaged = tmp_path / "damaged.db"
    assert _cli("index", "add", str(SAMPLES), "--index", str(damaged)).exit_code == 0
    data = bytearray(damaged.read_bytes())
    data[4096 : len(data)] = b"\xff" * (len(data) - 4096)  # every page past the first
    damaged.write_bytes(bytes(data))
    for path in (garbage, foreign, damaged, tmp_path):  # tmp_path: a directory
        before = path.read_bytes() if path.is_file() else None
        for command in (
            ["index", "add", str(SAMPLES), "--index", str(path)],
            ["index", "stats", "--index", str(path)],
            ["index", "query", str(SAMPLES), "--index", str(path)],
            ["index", "remove", "x", "--index", str(path)],
            ["scan", str(SAMPLES), "--index", str(path), "--add"],
        ):
            result = _cli(*command)
            assert result.exit_code == 2, (command, result.stdout, result.stderr)
            (line,) = result.stderr.strip().splitlines()
            assert line.startswith(f"newsdedup: {path}") and "Traceback" not in result.stderr
        if before is not None:
            assert path.read_bytes() == before
    missing = _cli("index", "stats", "--index", str(tmp_path / "none.db"))
    assert missing.exit_code == 2 and "no index there" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_an_unreachable_redis_server_is_one_line() -> None:
    result = _cli("index", "stats", "--index", "redis://127.0.0.1:1/0")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("newsdedup: redis://127.0.0.1:1/0: cannot reach the Redis server")


# -- crash safety and concurrency ---------------------------------------------------------------


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """160 generated articles as files."""
    root = tmp_path_factory.mktemp("crawl")
    write_corpus(generate(160, 3), root)
    return root / "corpus"


def _newsdedup(*args: str, stderr: Path) -> Forked:
    """`newsdedup ARGS` in a process of its own, its diagnostics into the file `stderr`:
    forked from this one (`helpers.Forked`), newsdedup imported. What is tested here is the
    index file under a process killed or run beside another, not the process's start-up."""
    with open(stderr, "wb") as err:
        return Forked(*args, stderr=err.fileno(), cwd=ROOT)


def _documents_in(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2) as con:
            found: int = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            return found
    except sqlite3.Error:
        return 0


def _consistent(path: Path) -> int:
    """Check every invariant of an index file; returns its document count."""
    store = open_store(str(path))
    params = store.parameters()
    assert params is not None
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        held: set[tuple[int, int]] = set()
        bands: set[tuple[int, int]] = set()
        for num, blob in con.execute("SELECT doc, signatures FROM segments"):
            keys = keys_of(unpack_signatures(blob, params.num_perm), params).view(np.int64)
            held.update((p, num) for p in keys[0].tolist())
            for column, passage in enumerate(keys[0].tolist()):
                bands.update((k, passage) for k in keys[1:, column].tolist())
        docs = {r[0] for r in con.execute("SELECT num FROM documents")}
        assert docs == {r[0] for r in con.execute("SELECT doc FROM segments")}
        assert docs == {r[0] for r in con.execute("SELECT doc FROM texts")}
        assert set(con.execute("SELECT passage, doc FROM passages").fetchall()) == held
        assert set(con.execute("SELECT key, passage FROM bands").fetchall()) == bands
        counters = dict(con.execute("SELECT name, value FROM counters").fetchall())
        assert counters.get("passages", 0) == len(held)
        assert counters.get("band_keys", 0) == len(bands)
        return len(docs)
    finally:
        con.close()
        store.close()


def test_an_add_killed_midway_leaves_the_index_consistent_and_the_next_add_completes_it(
    crawl: Path, tmp_path: Path
) -> None:
    path, err = tmp_path / "archive.db", tmp_path / "stderr"
    add = ("index", "add", str(crawl), "--index", str(path), "-j", "1", "--batch", "20")
    proc = _newsdedup(*add, stderr=err)
    deadline = time.monotonic() + 60
    while _documents_in(path) < 40 and time.monotonic() < deadline:
        assert proc.poll() is None, err.read_text()
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)  # no handler, no cleanup: as a crash or an OOM kill
    assert proc.wait() == -signal.SIGKILL, err.read_text()  # killed midway, not ended
    partial = _consistent(path)
    assert 40 <= partial < 160 and partial % 20 == 0  # whole batches only
    resumed = _cli("index", "add", str(crawl), "--index", str(path))
    assert resumed.exit_code == 0, resumed.stderr
    assert f"{160 - partial} added, 0 replaced, {partial} unchanged" in resumed.stderr
    assert _consistent(path) == 160


def test_two_concurrent_adds_to_one_file_lose_no_document(crawl: Path, tmp_path: Path) -> None:
    """Two processes add overlapping halves of 60 articles to one file at once. What can go
    wrong (a busy database, a counter or a row lost between writers) happens per write
    transaction: each add writes ten batches of 4, as many transactions as 95 articles in
    batches of 10 made, for less than half the adding. Both processes are forked with
    newsdedup imported (`_newsdedup`), so both write from their first moment: no start-up
    of one overlaps the other's adding."""
    files = sorted(crawl.iterdir())[:60]
    halves = [tmp_path / "a", tmp_path / "b"]
    for half, chosen in zip(halves, (files[:40], files[20:]), strict=True):  # 20 in both
        half.mkdir()
        for f in chosen:
            shutil.copy(f, half / f.name)
    path = tmp_path / "archive.db"
    add = ("index", "add", "--index", str(path), "-j", "1", "--batch", "4")
    procs = [(_newsdedup(*add, str(h), stderr=h.with_suffix(".err")), h) for h in halves]
    for proc, half in procs:
        assert proc.wait(timeout=120) == 0, half.with_suffix(".err").read_text()
    assert _consistent(path) == 60
    store = open_store(str(path))
    try:
        assert {d.id for d in store.documents([f.name for f in files])} == {f.name for f in files}
    finally:
        store.close()


# -- sublinear lookups ---------------------------------------------------------------------------


def test_a_lookup_reads_only_the_buckets_it_asks_for(tmp_path: Path) -> None:
    """Every statement a lookup runs seeks the primary key of its table: no scan of a table,
    so the cost follows the buckets touched, never the size of the archive."""
    path = tmp_path / "archive.db"
    assert _cli("index", "add", str(SAMPLES), "--index", str(path)).exit_code == 0
    store = open_store(str(path))
    statements: list[str] = []
    store._con.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    copy = _reuters_copy(tmp_path / "today")
    result = _cli("index", "query", str(copy), "--index", str(path))
    assert result.exit_code == 0
    from newsdedup.records import Document
    from newsdedup.store.archive import Reach

    doc = Document(id="probe", text=copy.read_text(encoding="utf-8"))
    related = Reach(store, ScanOptions()).related([doc])
    assert {d.id for d in related} >= {"000_69d133982e7f016d.txt", "003_da4f39425a0307e6.txt"}
    lookups = [s for s in statements if s.lstrip().startswith("SELECT")]
    assert lookups
    for statement in set(lookups):
        plan = " ".join(
            row[-1]
            for row in store._con.execute(f"EXPLAIN QUERY PLAN {statement}")  # type: ignore[attr-defined]
        )
        # the one scan allowed is of the keys asked (a JSON array read by `json_each`)
        asked = re.sub(r"SCAN \w+ VIRTUAL TABLE INDEX \d+:\S*", "", plan)
        assert "SCAN" not in asked.replace("SCAN CONSTANT ROW", ""), (statement, plan)
    store.close()


# -- the report ----------------------------------------------------------------------------------


def test_a_scan_without_an_index_names_nothing_archived_and_the_field_is_documented() -> None:
    result = _cli("scan", str(SAMPLES), "-f", "json", "-q")
    assert result.exit_code == 0 and '"archived"' not in result.stdout
    schema = (ROOT / "docs" / "output-schema.md").read_text(encoding="utf-8")
    assert "`archived`" in schema
    assert _cli("scan", str(SAMPLES), "--add").exit_code == 2


# -- layout 2: each segment's shingles --------------------------------------------------------


def test_each_segment_s_shingles_are_stored_as_the_scan_hashes_them(index: str) -> None:
    """`Store.shingles` (what a check confirms a near copy with, issue 20) gives back each
    document's shingles as the scan's fingerprint makes them, in both backends; a removed
    or unknown document has none."""
    from newsdedup.fingerprint import fingerprint
    from newsdedup.ingest import iter_documents
    from newsdedup.records import Document
    from newsdedup.segment import segment

    assert _cli("index", "add", str(SAMPLES), "--index", index).exit_code == 0
    options = ScanOptions()
    docs = [d for d in iter_documents([str(SAMPLES)]) if isinstance(d, Document)]
    store = open_store(index)
    try:
        stored = store.shingles([d.id for d in docs] + ["nowhere.txt"])
        assert sorted(stored) == sorted(d.id for d in docs)
        for d in docs:
            cut = segment(d, options.segment, options.limits.max_segments)
            expected = np.unique(fingerprint(cut, options.fingerprint).shingles)
            assert stored[d.id].dtype == np.uint32 and len(expected) > 100
            assert np.array_equal(stored[d.id], expected), d.id
        store.remove([docs[0].id])
        assert docs[0].id not in store.shingles([docs[0].id, docs[1].id])
    finally:
        store.close()


def test_an_index_of_the_older_layout_is_refused_in_one_line_saying_what_to_do(
    index: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index written before shingles were stored (layout 1) cannot confirm a near copy:
    every command refuses it in one line that names it, its layout and the way out."""
    assert _cli("index", "add", str(SAMPLES), "--index", index).exit_code == 0
    if index.startswith("redis://"):
        import redis

        base, _, name = index.partition("?name=")
        redis.Redis.from_url(base).set(f"{name}:format", "1")
    else:
        with sqlite3.connect(index) as con:
            con.execute("PRAGMA user_version=1")
        con.close()
    (tmp_path / "story.md").write_text("# A story\n\nSome text of the story.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (
        ["check", "story.md", "--against", index, "-f", "json"],
        ["index", "stats", "--index", index],
        ["scan", str(SAMPLES), "--index", index],
    ):
        result = _cli(*command)
        assert result.exit_code == 2, (command, result.stdout)
        (line,) = result.stderr.strip().splitlines()
        assert index in line and "index layout 1, this newsdedup reads layout 2" in line
        assert "build it again with `newsdedup index add`" in line


def test_what_the_index_stores_is_what_a_scan_makes_of_the_text(index: str) -> None:
    """A check scans its candidates with their stored segments and fingerprints
    (`store.archive.fingerprinted`, issue 20) instead of making them again: they must be
    the scan's own, in both backends, and the scan's stories the same either way."""
    from newsdedup.fingerprint import fingerprint
    from newsdedup.index import band_keys
    from newsdedup.pipeline import scan_documents
    from newsdedup.records import Document
    from newsdedup.segment import segment
    from newsdedup.store.archive import add, fingerprinted, parameters_of

    options = ScanOptions(diffs=False)
    docs = [
        Document(id=d.id, text=d.text, title=d.title, url=d.url, site=d.site)
        for d in generate(60, 5).documents
    ]
    store = open_store(index, create=True)
    try:
        add(store, docs, options)
        stored = store.stored([d.id for d in docs] + ["nowhere"])
    finally:
        store.close()
    assert sorted(stored) == sorted(d.id for d in docs)
    ready = fingerprinted([stored[d.id] for d in docs], parameters_of(options))
    cut = [s for d in docs for s in segment(d, options.segment, options.limits.max_segments)]
    made = fingerprint(cut, options.fingerprint)
    fp = ready.fingerprints
    assert ready.doc_ids == {d.id for d in docs} and fp.table.doc_ids == made.table.doc_ids
    for column in ("start", "end", "block", "bounds"):
        assert np.array_equal(getattr(fp.table, column), getattr(made.table, column)), column
    for column in ("shingles", "offsets", "indexed", "chrome"):
        assert np.array_equal(getattr(fp, column), getattr(made, column)), column
    matchable = made.indexed & ~made.chrome
    keys = band_keys(made.signatures, options.index)
    assert matchable.sum() > 100 and np.array_equal(ready.keys[:, matchable], keys[:, matchable])
    # the scan takes them as they are: the same stories as a scan that made them itself
    mine, theirs = scan_documents(docs, options), scan_documents(docs, options, fingerprinted=ready)
    assert len(mine.stories) > 3
    assert [story_json(mine, s) for s in mine.stories] == [
        story_json(theirs, s) for s in theirs.stories
    ]
