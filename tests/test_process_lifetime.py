"""The scan as a process: full disks, signals and worker processes (issue 25).

Each test runs newsdedup in a process of its own and does to it what the world does: a file
size limit (RLIMIT_FSIZE, which fails a write with EFBIG exactly where a full disk fails it
with ENOSPC), SIGTERM, SIGHUP, SIGKILL. The signals go to `python -m newsdedup` as a shell
or a container starts it; the file size limits to a process forked from this one with
newsdedup imported (`helpers.Forked`), which saves each its interpreter's start-up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from helpers import Forked

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="file size limits and /proc are Linux's"
)

_TIMEOUT = 120


def _limited(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _newsdedup(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdedup", *args]


# -- output that does not fit ----------------------------------------------------------------


def _limited_run(
    errors: Path,
    *args: str,
    limit: int,
    stdout: int | None = None,
    env: dict[str, str] | None = None,
) -> tuple[int, str]:
    """`newsdedup ARGS` with every file it writes limited to `limit` bytes: its exit code and
    its stderr (kept in the directory `errors`). A process of its own, forked from this one
    with newsdedup imported (`helpers.Forked`: real descriptors, the limit its own); what a
    full disk does to the command's writes needs no fresh interpreter's start-up."""
    err = errors / "stderr"
    with open(err, "wb") as stderr:
        process = Forked(
            *args, stdout=stdout, stderr=stderr.fileno(), cwd=ROOT, env=env, before=_limited(limit)
        )
    return process.wait(_TIMEOUT), err.read_text(encoding="utf-8")


def test_stdout_on_a_full_disk_is_an_error_in_one_line_not_a_short_report(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`scan -f jsonl > file` on a full disk once wrote 65,536 of 110,712 bytes and exited 0."""
    out = tmp_path / "report.jsonl"
    with open(out, "wb") as stdout:
        code, stderr = _limited_run(
            tmp_path_factory.mktemp("stderr"),
            *("scan", str(SAMPLES), "-f", "jsonl", "-q"),
            stdout=stdout.fileno(),
            limit=60_000,  # the texts fit (48 kB), the report (110 kB) does not
        )
    assert code == 2
    assert stderr == "newsdedup: cannot write standard output: File too large\n"


def test_an_output_file_that_does_not_fit_is_reported_and_leaves_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    target = tmp_path / "report.json"
    target.write_text("the previous report")
    code, stderr = _limited_run(
        tmp_path_factory.mktemp("stderr"),
        *("scan", str(SAMPLES), "-f", "json", "-q", "-o", str(target)),
        limit=60_000,
    )
    assert code == 2
    assert stderr == f"newsdedup: cannot write {target}: File too large\n"
    assert target.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_full_temporary_directory_is_named_as_such(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A full TMPDIR once said 'cannot write None: No space left on device'."""
    code, stderr = _limited_run(
        tmp_path_factory.mktemp("stderr"),
        *("scan", str(SAMPLES), "-f", "json", "-q", "-o", str(tmp_path / "r.json")),
        limit=20_000,  # the texts (48 kB) do not fit
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert code == 2
    assert stderr == f"newsdedup: cannot write the temporary file in {tmp_path}: File too large\n"
    assert list(tmp_path.iterdir()) == []


# -- signals and workers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated articles: two batches to fingerprint, so a scan with --jobs 2 has
    worker processes from its first seconds."""
    from benchmarks.corpus import generate

    root = tmp_path_factory.mktemp("corpus")
    for k, doc in enumerate(generate(300, seed=11).documents):
        (root / f"{k:04d}.txt").write_text(doc.text, encoding="utf-8")
    return root


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def _wait_for(check: Callable[[], object], seconds: float) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.005)
    return None


@pytest.fixture
def scanning(corpus: Path, tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            _newsdedup("scan", str(corpus), "--jobs", "2", "-q", *args),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            start_new_session=True,  # signals from the test reach only what it means them for
        )
        started.append(process)
        return process

    yield start
    for process in started:  # whatever a failed test left: the scan, then any worker
        process.kill()
        process.wait()
    for pid in _scanning(corpus):  # workers left behind, orphaned
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _scanning(corpus: Path) -> list[int]:
    """The processes whose command line names `corpus` (only this module's scans do)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if str(corpus).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_workers_end_with_the_scan_whatever_signal_ends_it(
    scanning: Callable[..., subprocess.Popen[bytes]], signum: int
) -> None:
    """SIGKILL, SIGTERM or SIGHUP to the main process only (what `docker stop` or the OOM
    killer sends) once left two workers orphaned and blocked forever."""
    process = scanning("-f", "json")
    workers = _wait_for(lambda: _children(process.pid), 60)
    assert workers, "the scan started no worker process"
    os.kill(process.pid, signum)
    code = process.wait(timeout=_TIMEOUT)
    left = _wait_for(lambda: not any(_alive(pid) for pid in workers), 10)
    assert left, f"workers outlived the scan: {[p for p in workers if _alive(p)]}"  # type: ignore[union-attr]
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:
        assert code == 128 + signum
        name = signal.Signals(signum).name
        assert stderr == f"newsdedup: terminated ({name})\n"


def test_sigterm_while_the_report_is_written_leaves_no_temporary_file(
    scanning: Callable[..., subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """After SIGTERM during a write, a hidden `.report.json.XXXX.tmp` once stayed behind."""
    target = tmp_path / "report.txt"
    target.write_text("the previous report")
    process = scanning("--details", "-o", str(target))
    temporary = _wait_for(lambda: list(tmp_path.glob(".report.txt.*.tmp")), _TIMEOUT)
    assert temporary, "the report was never being written"
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=_TIMEOUT) == 128 + signal.SIGTERM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
    assert target.read_text() == "the previous report"
