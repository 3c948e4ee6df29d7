"""Write a report so that a reader never sees half of it.

A run killed mid-write (Ctrl-C, OOM killer, CI timeout) must not leave a
truncated JSON file where a pipeline expects a complete one: the report goes
to a temporary file in the target's directory and replaces the target with one
atomic rename only once it is complete and flushed to disk.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[TextIO]:
    """A text stream that becomes `path` on success and vanishes on any failure."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
