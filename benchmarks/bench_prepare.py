"""CPU of reading's and preparing's per-document work, a copy of the code before a change against
another copy after it, in one process: what a machine shared with other work still lets one
compare.

    cp -r newsdedup /tmp/before/newsdedup        # before the change
    python -m benchmarks.bench_prepare /tmp/before . corpus.jsonl --reps 5

Documents are taken 256 at a time (a scan's batch). For each batch and each function, the two
codes run alternately `reps` times and each keeps its fastest CPU time: other processes on the
machine only ever add time, so the minimum is the least disturbed reading. Prints one JSON
line: per function, the sums of those minima over the batches, before and after. The two
codes' results must be equal (the run stops otherwise); `_prepare`'s are compared array by
array. Used for the twelfth session's table in docs/performance.md.
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

import numpy as np

_MODULES = (
    "records",
    "pipeline",
    "segment",
    "language",
    "dates",
    "ingest",
    "fingerprint",
    "chrome",
)
_FUNCTIONS = ("_prepare", "segment", "detect_language", "page_date", "read")
# Also: "chrome_flags" and "_token_hashes", each over a batch's distinct segment texts (what
# `fingerprint_texts` gives them), cut by the code before.


def _package(directory: Path, name: str) -> dict[str, Any]:
    """The package under `directory/newsdedup`, imported as `name`."""
    package = types.ModuleType(name)
    package.__path__ = [str(directory / "newsdedup")]
    sys.modules[name] = package
    return {module: importlib.import_module(f"{name}.{module}") for module in _MODULES}


def _arrays(prepared: Any) -> list[Any]:
    """What a prepared batch gives the rest of the scan, as comparable values."""
    fp = prepared.fingerprints
    table = fp.table
    columns = (table.bounds, table.start, table.end, table.block, fp.shingles, fp.offsets)
    columns += (fp.indexed, fp.chrome, prepared.keys)
    return [
        table.doc_ids,
        *((a.dtype.str, a.shape, a.tobytes()) for a in columns),
        [str(n) for n in prepared.notices],
        [str(f) for f in prepared.failures],
    ]


def _comparable(result: Any) -> Any:
    """An array, or a tuple of them, as values `==` compares whole (dtype included)."""
    arrays = result if isinstance(result, tuple) else (result,)
    return [(a.dtype.str, a.shape, a.tobytes()) for a in arrays]


def _work(code: dict[str, Any], lines: list[str], texts: list[str], name: str) -> Callable[[], Any]:
    """One batch's call of function `name` in `code`."""
    records, pipeline = code["records"], code["pipeline"]
    if name == "_prepare":
        packed = tuple(
            pipeline._Packed.of(records.Document(id=f"d{k:06d}", text=t))
            for k, t in enumerate(texts)
        )
        work = (packed, pipeline.ScanOptions(diffs=False), False)
        return lambda: _arrays(pipeline._prepare(work))
    if name == "segment":
        segment = code["segment"]
        docs = [records.Document(id="d", text=t) for t in texts]
        opts = segment.SegmentOptions()
        return lambda: [[(s.start, s.end, s.block) for s in segment.segment(d, opts)] for d in docs]
    if name in ("chrome_flags", "_token_hashes"):
        segment, opts = code["segment"], code["segment"].SegmentOptions()
        docs = [records.Document(id="d", text=t) for t in texts]
        spans = [segment.segment_spans(d, opts) for d in docs]
        cut = dict.fromkeys(
            d.text[s:e] for d, sp in zip(docs, spans, strict=True) for s, e, _ in sp
        )
        module = code["chrome" if name == "chrome_flags" else "fingerprint"]
        function, distinct = getattr(module, name), list(cut)
        return lambda: _comparable(function(distinct))
    if name == "detect_language":
        return lambda: [code["language"].detect_language(t) for t in texts]
    if name == "page_date":
        return lambda: [code["dates"].page_date(t) for t in texts]
    jsonl_record = code["ingest"]._jsonl_record
    return lambda: [repr(jsonl_record(line, "w", "f#1", False)) for line in lines]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path, help="a directory holding the old newsdedup/")
    parser.add_argument("after", type=Path, help="a directory holding the new newsdedup/")
    parser.add_argument("corpus", type=Path, help="JSON Lines, one record with `text` a line")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--functions", default=",".join(_FUNCTIONS))
    args = parser.parse_args()
    codes = {"before": _package(args.before, "before"), "after": _package(args.after, "after")}
    with open(args.corpus, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()]
    texts = [json.loads(line)["text"] for line in lines]
    for code in codes.values():  # models and parsers loaded untimed
        code["language"].detect_language(texts[0] if texts else "")
        code["dates"]._human_date("Saturday, 10 January 2026")
    totals: dict[str, dict[str, float]] = {}
    for name in args.functions.split(","):
        total = dict.fromkeys(codes, 0.0)
        for lo in range(0, len(texts), 256):
            calls = {
                k: _work(c, lines[lo : lo + 256], texts[lo : lo + 256], name)
                for k, c in codes.items()
            }
            best = dict.fromkeys(codes, float("inf"))
            results: dict[str, Any] = {}
            for rep in range(args.reps):
                for k in ("before", "after") if rep % 2 == 0 else ("after", "before"):
                    start = time.process_time()
                    results[k] = calls[k]()
                    best[k] = min(best[k], time.process_time() - start)
            if results["before"] != results["after"]:
                raise SystemExit(f"{name}: the two codes disagree on documents {lo}-{lo + 255}")
            for k in codes:
                total[k] += best[k]
        totals[name] = {k: round(v, 3) for k, v in total.items()}
        totals[name]["change %"] = round(100 * (total["after"] / total["before"] - 1), 1)
    report = {"corpus": str(args.corpus), "documents": len(texts), "reps": args.reps}
    print(json.dumps(report | {"min_cpu_s": totals, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
