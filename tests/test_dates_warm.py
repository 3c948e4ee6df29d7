"""`dates.warm`: dateparser's first-use cost paid ahead (before a pool forks), every date the
same as read by a process that never warmed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Lines that reach dateparser (`_human_date`): date lines in each language of `_LANGUAGES`,
# numeric dates whose reading depends on which locale reads them first ("01/02/2026" is
# 2 January in English, 1 February in French), zones, and the lines of captured pages that
# start like a date and are none (the most common case, and the one that costs the most).
LINES = [
    "10 janvier 2026 à 14h48",
    "12. März 2026, 10:15 Uhr",
    "3 de junio de 2024",
    "3 giugno 2024",
    "10 de janeiro de 2026",
    "10 januari 2026",
    "2026年1月10日",
    "2026年1月10日(土)",
    "01/02/2026",
    "1.2.2026",
    "2026/01/02 10:00",
    "Samstag, 10. Januar 2026",
    "sábado, 10 de enero de 2026 14:30 CET",
    "10 Jan 2026 14:48 JST",
    "1 x 2026",
    "16, 2025 marked a swift and find out",
    "2025 According to two trends: mining companies gain",
    "2026-01-10 🔥 Trade with the U.S",
    "September 16, 2025 According",
]

_READ = """
import json, sys
from newsdedup import dates
if sys.argv[1] == "warm":
    dates.warm()
lines = json.loads(sys.argv[2])
ahead = [[dates._human_date(x), dates.page_date(x)] for x in lines]
dates._human_date.cache_clear()  # and again, the other way round, nothing read from the cache
back = [[dates._human_date(x), dates.page_date(x)] for x in reversed(lines)]
print(json.dumps([ahead, back[::-1]]))
"""


def _read(mode: str, lines: list[str]) -> list[list[list[str | None]]]:
    """Each line's dates as a fresh process reads them, warmed first or not: read in order,
    then in reverse order."""
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", _READ, mode, json.dumps(lines)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    found: list[list[list[str | None]]] = json.loads(out.stdout)
    return found


def test_a_warmed_process_reads_every_date_as_a_cold_one() -> None:
    cold, cold_back = _read("cold", LINES)
    warm, warm_back = _read("warm", LINES)
    assert cold == cold_back == warm == warm_back  # in either order
    assert cold[LINES.index("01/02/2026")][0] == "2026-01-02"  # the lines do read dates
    assert sum(h is not None for h, _ in cold) >= 12
