"""CPU of reading's and segmenting's per-document functions, a copy of the code before a change
against the code here, in one process, alternated: what a busy machine still lets one compare.

    cp -r newsdedup /tmp/before/newsdedup        # before the change
    python -m benchmarks.bench_before_after /tmp/before corpus.jsonl --rounds 3

Every document of a JSON Lines corpus (its `text` field) goes through `segment`, `page_date` and
`detect_language` of both codes, in turn, the order swapped each round; the two results must be
equal (the run stops otherwise). Prints one JSON line: per function, (before, after) CPU
seconds of each round. Used for the eleventh session's table in docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsdedup import dates, language, segment
from newsdedup.records import Document


def _before(directory: Path) -> dict[str, Any]:
    """The package under `directory/newsdedup`, imported as `before` beside this one."""
    package = types.ModuleType("before")
    package.__path__ = [str(directory / "newsdedup")]
    sys.modules["before"] = package
    return {
        name: importlib.import_module(f"before.{name}")
        for name in ("records", "segment", "dates", "language")
    }


def _cpu(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path, help="a directory holding the old newsdedup/")
    parser.add_argument("corpus", type=Path, help="JSON Lines, one record with `text` a line")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    old = _before(args.before)
    with open(args.corpus, encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    old_docs = [old["records"].Document(id="d", text=t) for t in texts]
    new_docs = [Document(id="d", text=t) for t in texts]
    cut = segment.SegmentOptions()

    def spans(segs: Any) -> list[tuple[int, int, int]]:
        return [(s.start, s.end, s.block) for s in segs]

    pairs: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
        "segment": (
            lambda: [spans(old["segment"].segment(d, cut, 20001)) for d in old_docs],
            lambda: [spans(segment.segment(d, cut, 20001)) for d in new_docs],
        ),
        "page_date": (
            lambda: [old["dates"].page_date(t) for t in texts],
            lambda: [dates.page_date(t) for t in texts],
        ),
        "detect_language": (
            lambda: [old["language"].detect_language(t) for t in texts],
            lambda: [language.detect_language(t) for t in texts],
        ),
    }
    for lang, when in ((old["language"], old["dates"]), (language, dates)):
        lang.detect_language(texts[0] if texts else "")  # models and parsers loaded untimed
        when._human_date("Saturday, 10 January 2026")
    rows: dict[str, list[tuple[float, float]]] = {name: [] for name in pairs}
    for round_ in range(args.rounds):
        for name, (before, after) in pairs.items():
            order = (0, 1) if round_ % 2 == 0 else (1, 0)
            timed = {k: _cpu((before, after)[k]) for k in order}
            if timed[0][1] != timed[1][1]:
                raise SystemExit(f"{name}: the two codes disagree")
            rows[name].append((round(timed[0][0], 2), round(timed[1][0], 2)))
    print(json.dumps({"corpus": str(args.corpus), "documents": len(texts), "cpu": rows}))


if __name__ == "__main__":
    main()
