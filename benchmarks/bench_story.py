"""Time one story copied by many sites: python -m benchmarks.bench_story [--copies 10 50 100 1000]

A big wire story is republished by hundreds of sites, most of them verbatim;
every copy is then as good a parent as the next, which is where a derivation
tree's cost hides. The origin is a generated wire article; each copy wraps it
in its own site header and footer and, half the time, cuts one paragraph
(seeded, so runs compare). The scan runs in one process with diffs; the
figures are the wall time of each stage that depends on the story's width,
and the scaling exponent of tracing time against the number of copies. The
default sizes straddle the change of regime at 16 versions (any direction
below, earlier versions only above: `provenance.tree.candidate_parents`), where a
story of 44-64 versions once took 5-22 s to trace.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import time

from benchmarks.corpus import generate
from newsdedup.pipeline import ScanOptions, scan_documents
from newsdedup.records import Document


def story(copies: int, seed: int = 7) -> list[Document]:
    origin = next(d for d in generate(40, seed=3).documents if d.kind == "origin")
    paragraphs = origin.text.split("\n\n")
    rng = random.Random(seed)
    docs = [Document(id="origin", text=origin.text, published="2026-01-10T08:00:00+00:00")]
    for n in range(copies):
        body = list(paragraphs)
        if rng.random() < 0.5 and len(body) > 4:
            del body[rng.randrange(2, len(body))]
        page = [f"Site {n} News | Markets | World", *body, f"© 2026 Site {n}. All rights reserved."]
        docs.append(Document(id=f"copy-{n:05d}", text="\n\n".join(page)))
    return docs


def measure(copies: int) -> dict[str, float]:
    docs = story(copies)
    finished: dict[str, float] = {}  # a stage's last report: one story reports only its end
    began = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        finished[stage] = time.perf_counter() - began

    result = scan_documents(docs, ScanOptions(), jobs=1, progress=progress)
    assert len(result.stories) == 1 and len(result.stories[0].versions) == copies + 1
    return {
        "copies": copies,
        "tracing_s": round(finished["tracing"] - finished["clustering"], 2),
        "diffing_s": round(finished["diffing"] - finished["tracing"], 2),
        "total_s": round(time.perf_counter() - began, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, nargs="+", default=[10, 50, 100, 1000])
    args = parser.parse_args()
    rows = [measure(n) for n in args.copies]
    for before, after in itertools.pairwise(rows):
        after["tracing_exponent"] = round(
            math.log(after["tracing_s"] / max(before["tracing_s"], 1e-3))
            / math.log(after["copies"] / before["copies"]),
            2,
        )
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
