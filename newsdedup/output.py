"""Write a report so that a reader never sees half of it, nor bytes it cannot decode.

A run killed mid-write (Ctrl-C, OOM killer, CI timeout) must not leave a
truncated JSON file where a pipeline expects a complete one: the report goes
to a temporary file in the target's directory and replaces the target with one
atomic rename only once it is complete and flushed to disk.

Reports are UTF-8 whatever the locale. A file name that is not UTF-8 reaches
Python as lone surrogates ("\udcff"), which UTF-8 cannot encode: they are
written as that backslash escape, which inside a JSON string is the JSON escape
of the same character, so the report stays valid JSON and the name round-trips.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[TextIO]:
    """A text stream that becomes `path` on success and vanishes on any failure.

    Only a regular file (or a name not yet taken) is replaced by a rename; a
    symbolic link's target is what is written. A device or a pipe is written
    through (`-o /dev/null`, `-o /dev/stdout`, a named pipe with a reader):
    renaming over it would put a regular file in its place. A directory, a
    socket, or a pipe nobody reads is refused with `OutputError`.
    """
    kind = _kind(path)  # of what a link leads to: /dev/stdout is a pipe or a terminal
    if kind != "file":
        with _through(path, kind) as out:
            yield out
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    directory = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    tmp: str | None = None
    try:
        # SIGTERM and SIGHUP end a scan by an exception raised wherever it is (cli._Signals):
        # held until the temporary file's name is known, one landing between its creation
        # and the assignment would leave it behind.
        with _signals_held():
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", errors=_ESCAPE_SURROGATES, newline="\n") as out:
            yield out
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGHUP held back for the block, delivered as it ends (where the
    platform can hold signals)."""
    held = {getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)}
    if not hasattr(signal, "pthread_sigmask") or not held:
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


class OutputError(OSError):
    """An `-o` target that cannot take a report (a directory, a socket, a pipe no one reads)."""


def _kind(path: Path) -> str:
    """Whether `path` is a regular file or a free name ("file"), or else what is there."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "file"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        raise OutputError(errno.EISDIR, "is a directory")
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    raise OutputError(errno.EINVAL, "not a file, a device or a pipe")


@contextlib.contextmanager
def _through(path: Path, kind: str) -> Iterator[TextIO]:
    """Write straight into a device or a pipe, as a shell's `>` would (never atomically:
    a device has no other name to rename onto). A pipe without a reader is refused rather
    than waited for: opening it would block until one came."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0)
    if kind == "pipe":
        flags |= getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(errno.ENXIO, "a named pipe that no one reads") from exc
        raise
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w", encoding="utf-8", errors=_ESCAPE_SURROGATES, newline="\n") as out:
        yield out
        out.flush()


def utf8_stdout(stream: TextIO) -> None:
    """Make `stream` (stdout) write machine output as UTF-8: a pipe on Windows defaults to the
    ANSI code page, which cannot encode "→" or most of the world's names."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors=_ESCAPE_SURROGATES, newline="\n")


def whole_writes(stream: TextIO, *, utf8: bool) -> TextIO:
    """A text stream onto `stream`'s file (stdout) that writes every byte or raises OSError.

    Python's own stdout, unbuffered (`python -u`, PYTHONUNBUFFERED), writes each piece once
    and drops whatever a short write leaves: on a full disk a report came out cut at 64 kB
    with exit status 0. A buffered writer retries a short write, and a failure is an error.
    Machine formats are UTF-8 (`utf8_stdout`); the terminal report keeps the console's
    encoding. Either way a character the encoding lacks is written as its escape. A stream
    with no file (a test runner's) is used as it is.
    """
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        if utf8:
            utf8_stdout(stream)
        elif isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=_ESCAPE_SURROGATES)
        return stream
    stream.flush()
    return io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(fd, "w", closefd=False)),
        encoding="utf-8" if utf8 else (getattr(stream, "encoding", None) or "utf-8"),
        errors=_ESCAPE_SURROGATES,
        newline="\n" if utf8 else None,
        line_buffering=False,
    )


# The encoding error handler: lone surrogates, the only characters UTF-8 cannot encode,
# become their backslash escape.
_ESCAPE_SURROGATES = "backslashreplace"


def _mode_for(path: Path) -> int:
    """The target's own permissions when it exists, else those a plain `open` would give it:
    the temporary file is created readable by its owner only (0600), which a report shared
    with a team or served by CI must not inherit."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
