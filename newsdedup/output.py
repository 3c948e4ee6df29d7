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
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[TextIO]:
    """A text stream that becomes `path` on success and vanishes on any failure."""
    directory = path.parent if str(path.parent) else Path(".")
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors=_ESCAPE_SURROGATES, newline="\n") as out:
            yield out
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def utf8_stdout(stream: TextIO) -> None:
    """Make `stream` (stdout) write machine output as UTF-8: a pipe on Windows defaults to the
    ANSI code page, which cannot encode "→" or most of the world's names."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors=_ESCAPE_SURROGATES, newline="\n")


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
