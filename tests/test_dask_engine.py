"""The dask engine against a real Dask cluster: same bytes as the local engine, a worker
killed midway, a scheduler that cannot be reached.

The cluster's address comes from NEWSDEDUP_TEST_DASK (`.ci/run` starts a `dask scheduler`
and two `dask worker` processes on 127.0.0.1 and sets it); without a reachable scheduler
these tests skip with the reason, and with CI=true they fail. The kill test starts a worker
of its own to kill, never one of the shared ones.

The generated corpus is small (60 articles in 3 JSON Lines shards, batches of 15
documents): enough for several read tasks, batches and shuffle partitions (every bucket
and pair crossing partitions), fast on the 2-core CI machine. The same comparison on 3,000
articles is in docs/scaling.md (run by hand: about 4 minutes on that machine).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import pytest
from conftest import SAMPLES
from helpers import unavailable
from typer.testing import CliRunner

from newsdedup.cli import app
from newsdedup.engines.local import LocalEngine
from newsdedup.pipeline import ScanOptions, ScanResult
from newsdedup.report.json import JsonReporter
from newsdedup.report.shards import Destination, read_report, write_result

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
from newsdedup.engines import dask as dask_engine  # noqa: E402 (needs distributed)
from newsdedup.engines.dask import DaskEngine  # noqa: E402

DASK_ENV = "NEWSDEDUP_TEST_DASK"
ARTICLES, BATCH = 60, 15  # 4 batches, 3 read tasks, 4 shuffle partitions on 2 workers
FEW_HUNDRED = 160  # the shards' test: 4 batches of 40, a few chunks of stories
VICTIM = f"victim-{os.getpid()}"
runner = CliRunner()


@pytest.fixture(scope="module")
def scheduler() -> str:
    address = os.environ.get(DASK_ENV)
    problem = None
    if not address:
        problem = (
            f"{DASK_ENV} is not set: no dask scheduler for the dask engine (.ci/run starts one)"
        )
    else:
        try:
            with distributed.Client(address, timeout=5) as client:
                client.wait_for_workers(1, timeout=10)
        except (OSError, TimeoutError) as exc:
            problem = f"no dask cluster reachable at {address} ({DASK_ENV}): {exc}"
    if problem:
        unavailable(problem)
    assert address is not None
    return address


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated corpus as 3 JSON Lines shards (each also gzipped, under gz/)."""
    from benchmarks.corpus import generate, write_corpus

    root = tmp_path_factory.mktemp("corpus")
    write_corpus(generate(ARTICLES, seed=3), root, fmt="jsonl")
    lines = (root / "corpus.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (root / "corpus.jsonl").unlink()
    (root / "truth.json").unlink()
    (root / "gz").mkdir()
    for k in range(3):
        part = "".join(lines[k::3])
        (root / f"shard-{k}.jsonl").write_text(part, encoding="utf-8")
        (root / "gz" / f"shard-{k}.jsonl.gz").write_bytes(gzip.compress(part.encode()))
    return root


@pytest.fixture(scope="module")
def local(shards: Path) -> ScanResult:
    """The local engine's scan of the shards, the answer every dask scan must give."""
    return LocalEngine().scan([str(shards)], ScanOptions())


def _json(result: ScanResult) -> str:
    out = io.StringIO()
    JsonReporter().write(result, out)
    return out.getvalue()


def _lineage(result: ScanResult) -> list[tuple[str, list[tuple[str, str | None]]]]:
    return [
        (s.id, [(r.version.key, r.parent.key if r.parent else None) for r in s.versions])
        for s in result.stories
    ]


def _engine(scheduler: str) -> DaskEngine:
    return DaskEngine(scheduler=scheduler, partition_docs=BATCH)


def test_samples_same_bytes_as_local_through_the_cli(scheduler: str) -> None:
    local = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json", "-q"])
    dask = runner.invoke(
        app, ["scan", str(SAMPLES), "-f", "json", "--engine", "dask", "--scheduler", scheduler]
    )
    assert dask.exit_code == local.exit_code == 0, dask.stderr
    assert dask.stdout == local.stdout
    assert "newsdedup: dask: no dashboard" in dask.stderr  # .ci/run's scheduler has none


def test_samples_in_batches_of_one_document(scheduler: str) -> None:
    """Every document its own batch: every pair crosses batches and shuffle partitions."""
    progress: dict[str, tuple[int, int]] = {}

    def follow(stage: str, done: int, total: int) -> None:
        progress[stage] = done, total

    dask = DaskEngine(scheduler=scheduler, partition_docs=1).scan(
        [str(SAMPLES)], ScanOptions(), progress=follow
    )
    assert _json(dask) == _json(LocalEngine().scan([str(SAMPLES)], ScanOptions()))
    # the bar follows the cluster's tasks, stage by stage, to the end
    for stage in ("reading", "fingerprinting", "matching", "verifying", "tracing", "diffing"):
        done, total = progress[stage]
        assert done == total > 0, stage


def test_generated_corpus_same_bytes_as_local(
    scheduler: str, shards: Path, local: ScanResult
) -> None:
    dask = _engine(scheduler).scan([str(shards)], ScanOptions())
    assert len(local.documents) == ARTICLES and len(local.stories) >= 5
    assert _json(dask) == _json(local)


def test_fsspec_url_of_gzipped_shards(scheduler: str, shards: Path, local: ScanResult) -> None:
    """file:// globs of .jsonl.gz shards: the same stories and lineage as the plain files."""
    dask = _engine(scheduler).scan([f"file://{shards}/gz/*.jsonl.gz"], ScanOptions())
    assert len(dask.documents) == ARTICLES and not dask.skipped
    assert _lineage(dask) == _lineage(local)


@pytest.fixture
def victim(scheduler: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A worker of this test's own, without a nanny (so a kill ends it), to be killed."""
    dask_cli = Path(sys.executable).with_name("dask")
    options = ["--host", "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard"]
    options += ["--preload", "newsdedup.engines.dask"]  # imported before it joins
    where = ["--name", VICTIM, "--local-directory", str(tmp_path)]
    process = subprocess.Popen(
        [str(dask_cli), "worker", scheduler, *options, *where],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_a_worker_killed_midway_changes_nothing(
    scheduler: str, shards: Path, local: ScanResult, victim: subprocess.Popen[bytes]
) -> None:
    with distributed.Client(scheduler, timeout=5) as client:
        deadline = time.monotonic() + 60
        while not (address := _worker_named(client, VICTIM)):
            assert time.monotonic() < deadline, "the extra worker never joined"
            time.sleep(0.1)
        found: list[ScanResult | BaseException] = []

        def scan() -> None:
            try:
                found.append(_engine(scheduler).scan([str(shards)], ScanOptions()))
            except BaseException as exc:
                found.append(exc)

        thread = threading.Thread(target=scan)
        thread.start()
        while not client.has_what().get(address) and thread.is_alive():
            time.sleep(0.02)
        assert thread.is_alive(), f"the scan ended before the extra worker held anything: {found}"
        os.kill(victim.pid, signal.SIGKILL)  # its results die with it, mid-scan
        thread.join(timeout=120)
    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert isinstance(found[0], ScanResult), found[0]
    assert _json(found[0]) == _json(local)


def _worker_named(client: distributed.Client, name: str) -> str | None:
    for address, info in client.scheduler_info()["workers"].items():
        if info.get("name") == name:
            return str(address)
    return None


def test_unreachable_scheduler_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_engine, "CONNECT_SECONDS", 1.0)
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    result = runner.invoke(app, ["scan", str(SAMPLES), "--engine", "dask", "--scheduler", address])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"newsdedup: cannot reach the dask scheduler at {address}: ")


def test_scheduler_lost_midway_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A scheduler of this test's own, without workers (the scan's first tasks wait), killed
    once it holds the scan's tasks."""
    import socket

    monkeypatch.setattr(dask_engine, "CONNECT_SECONDS", 1.0)  # also how long it tries again
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask_cli = Path(sys.executable).with_name("dask")
    command = [str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # `_task_count`, by value
    try:
        with distributed.Client(address, timeout=30) as watcher:

            def kill_once_busy() -> None:
                try:
                    while not watcher.run_on_scheduler(_task_count):
                        time.sleep(0.05)
                finally:
                    process.kill()  # whatever happens here, the scan must end

            killer = threading.Thread(target=kill_once_busy)
            killer.start()
            result = runner.invoke(
                app, ["scan", str(SAMPLES), "-q", "--engine", "dask", "--scheduler", address]
            )
            killer.join(timeout=30)
    finally:
        process.kill()
        process.wait(timeout=10)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"newsdedup: lost the dask scheduler at {address} in the middle of the scan"
    ]


def _task_count(dask_scheduler: distributed.Scheduler) -> int:
    return len(dask_scheduler.tasks)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
        (["--engine", "dask", "--index", "x.db"], "--index runs on the local engine only"),
        (["--engine", "spark"], "unknown engine 'spark' (choose from local, dask)"),
    ],
)
def test_engine_options_that_cannot_run_are_refused(extra: list[str], message: str) -> None:
    result = runner.invoke(app, ["scan", str(SAMPLES), *extra])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"newsdedup: {message}"


# -- the report as JSON Lines shards, written by the workers (`scan -o DIR/`) ----------------


def test_samples_shards_through_the_cli_same_as_local(scheduler: str, tmp_path: Path) -> None:
    """`-o DIR/`: the dask workers' shards, read in the manifest's order, are the local
    engine's JSON report byte for byte; with the default batch and chunk sizes, the two
    engines write the same files, byte for byte."""
    local = runner.invoke(app, ["scan", str(SAMPLES), "-f", "json", "-q"])
    dask_dir, local_dir = tmp_path / "dask", tmp_path / "local"
    found = runner.invoke(
        app,
        [
            "scan",
            str(SAMPLES),
            "-q",
            "-o",
            f"{dask_dir}/",
            "--engine",
            "dask",
            "--scheduler",
            scheduler,
        ],
    )
    assert found.exit_code == local.exit_code == 0, found.stderr
    assert found.stdout == ""
    assert _compact(read_report(Destination.of(f"{dask_dir}/"))) == local.stdout
    mine = runner.invoke(app, ["scan", str(SAMPLES), "-q", "-o", f"{local_dir}/"])
    assert mine.exit_code == 0, mine.stderr
    assert _files(dask_dir) == _files(local_dir)
    assert sorted(_files(dask_dir)) == [
        "documents-00000.jsonl",
        "manifest.json",
        "stories-00000.jsonl",
    ]


def test_a_few_hundred_articles_in_shards_written_by_the_workers(
    scheduler: str, tmp_path: Path
) -> None:
    """160 generated articles in 4 input shards, batches of 40 and chunks of 6 stories: a
    shard per batch and per chunk, each written by a worker, read back in the manifest's
    order, are the local engine's JSON report byte for byte, as the local engine's own
    shards are; the client got back names, line counts and failures only (`Written`)."""
    from benchmarks.corpus import generate, write_corpus

    write_corpus(generate(FEW_HUNDRED, seed=5), tmp_path / "in", fmt="jsonl")
    lines = (tmp_path / "in" / "corpus.jsonl").read_text(encoding="utf-8").splitlines(True)
    (tmp_path / "in" / "corpus.jsonl").unlink()
    (tmp_path / "in" / "truth.json").unlink()
    for k in range(4):
        (tmp_path / "in" / f"part-{k}.jsonl").write_text("".join(lines[k::4]), encoding="utf-8")
    local = LocalEngine().scan([str(tmp_path / "in")], ScanOptions())
    report = _json(local)
    mine = Destination.of(f"{tmp_path}/local/")
    mine.prepare()
    write_result(local, mine)
    assert _compact(read_report(mine)) == report
    theirs = Destination.of(f"{tmp_path}/dask/")
    theirs.prepare()
    engine = DaskEngine(scheduler=scheduler, partition_docs=40, stories_per_task=6)
    written = engine.scan_to([str(tmp_path / "in")], ScanOptions(), theirs)
    assert [(s.path, s.lines) for s in written.documents] == [
        (f"documents-0000{k}.jsonl", 40) for k in range(4)
    ]
    assert len(local.stories) >= 13 and len(written.stories) == -(-len(local.stories) // 6) >= 3
    assert _compact(read_report(theirs)) == report


def _compact(report: dict[str, object]) -> str:
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}
