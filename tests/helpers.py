"""Small builders shared by the stage tests."""

from __future__ import annotations

import contextlib
import io
import os
import select
import signal
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable
from typing import NoReturn

import numpy as np
import pytest
from hypothesis import strategies as st

from newsdedup.pipeline import ScanOptions, ScanResult, scan_documents
from newsdedup.provenance import matrices
from newsdedup.records import Document


def doc(doc_id: str, text: str, site: str | None = None) -> Document:
    return Document(id=doc_id, text=text, site=site)


def run(*docs: Document) -> ScanResult:
    return scan_documents(docs, ScanOptions())


@st.composite
def set_ones(draw: st.DrawFn, width: int, most_sets: int, most_ones: int) -> matrices._Ones:
    """Up to `most_sets` sets over `width` columns as provenance's ones (row, column), up to
    `most_ones` of them, repeats allowed: inputs for the shared-count products."""
    n = draw(st.integers(1, most_sets))
    k = draw(st.integers(0, most_ones)) if width else 0
    row = np.array(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k)), dtype=np.intp)
    column = np.array(
        draw(st.lists(st.integers(0, max(width - 1, 0)), min_size=k, max_size=k)), dtype=np.intp
    )
    return matrices._Ones(row, column, n)


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


class Forked:
    """`newsdedup ARGS` in a child process forked from this one, for tests whose feature needs
    a process of its own (killed midway, run beside another, a file size limit) but not a
    fresh interpreter: the child has newsdedup imported already, where `python -m newsdedup`
    spends about 1.7 s of CPU importing it before its first line of work. What it does is
    the command line's own: `app` with real file descriptors 0, 1 and 2 (files or pipes made
    by the test), its own signal handlers, its own exit code (`os._exit`, after its streams
    are flushed as an interpreter flushes them at exit: 120 if stdout cannot be). What only
    a fresh `python -m newsdedup` shows (its start-up, `__main__`, the encoding Python gives
    stdout) is tested by the tests that start one (test_cli.py, test_hostile_input.py,
    test_process_lifetime.py's signals, test_check_e2e.py)."""

    def __init__(
        self,
        *args: str,
        stdin: int | None = None,
        stdout: int | None = None,
        stderr: int | None = None,
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
        before: Callable[[], None] | None = None,
    ) -> None:
        """Start it: `stdin`, `stdout`, `stderr` are descriptors the child takes as 0, 1, 2
        (/dev/null for any not given), `env` replaces its environment, `before` runs in the
        child before the command (a resource limit). This process's other descriptors stay
        open in the child (`Popen(close_fds=False)`): give it files, not a pipe whose end
        must close when the test closes its own."""
        self.returncode: int | None = None
        sys.stdout.flush()  # nothing of this process's buffers is written twice
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the child: runs the command and never returns
            _forked_child(args, (stdin, stdout, stderr), cwd, env, before)
        self._done = os.pidfd_open(self.pid)  # readable once the child has ended

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
                os.close(self._done)
        return self.returncode

    def wait(self, timeout: float = 120) -> int:
        """Its exit code (minus the signal's number if a signal ended it), as `Popen.wait`;
        killed and TimeoutError after `timeout` seconds."""
        if self.returncode is None and not select.select([self._done], [], [], timeout)[0]:
            self.kill()
            raise TimeoutError(f"newsdedup (pid {self.pid}) still running after {timeout} s")
        while (code := self.poll()) is None:  # ended: reaped at once
            select.select([self._done], [], [], 1)
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _forked_child(
    args: tuple[str, ...],
    fds: tuple[int | None, int | None, int | None],
    cwd: str | os.PathLike[str] | None,
    env: dict[str, str] | None,
    before: Callable[[], None] | None,
) -> NoReturn:
    code = 70
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for target, fd in enumerate(fds):
            os.dup2(null if fd is None else fd, target)
        if cwd is not None:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
            tempfile.tempdir = None  # read from the environment again, as at start-up
        # The streams an interpreter opens at start-up, new (the test runner's are not the
        # child's): stdout unbuffered under PYTHONUNBUFFERED, as Python makes it.
        sys.stdin = open(0, closefd=False)  # noqa: SIM115
        out = io.FileIO(1, "w", closefd=False)
        if os.environ.get("PYTHONUNBUFFERED"):
            sys.stdout = io.TextIOWrapper(out, write_through=True)
        else:
            sys.stdout = io.TextIOWrapper(io.BufferedWriter(out), line_buffering=out.isatty())
        sys.stderr = open(2, "w", errors="backslashreplace", buffering=1, closefd=False)  # noqa: SIM115
        if before is not None:
            before()
        from newsdedup.cli import app

        app(list(args), prog_name="newsdedup")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
        except Exception:
            traceback.print_exc()
            code = 120  # as Python's own exit when it cannot flush stdout
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(code)
