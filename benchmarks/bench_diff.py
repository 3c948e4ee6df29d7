"""Time the diff stage on two 5,000-word articles: python -m benchmarks.bench_diff

The parent is built from generated wire paragraphs; the child cuts two
paragraphs, swaps two, changes a figure in every fourth paragraph and adds
site junk, the edits a copier makes. Best of five runs is reported.
"""

from __future__ import annotations

import json
import time

from benchmarks.corpus import generate
from newsdedup.diff import _build, diff_versions
from newsdedup.records import Document
from newsdedup.segment import segment


def articles(words: int = 5000) -> tuple[str, str]:
    paragraphs: list[str] = []
    for doc in generate(400, seed=3).documents:
        if doc.kind == "origin":
            paragraphs += [p for p in doc.text.split("\n\n")[1:] if len(p.split()) > 20]
        if sum(len(p.split()) for p in paragraphs) >= words:
            break
    child = [p.replace("%", " percent", 1) if i % 4 == 0 else p for i, p in enumerate(paragraphs)]
    child[3], child[7] = child[7], child[3]
    del child[10], child[20]
    child.insert(5, "Sign up for our newsletter to get the day's top stories every morning.")
    return "\n\n".join(paragraphs), "\n\n".join(child)


def main() -> None:
    parent_text, child_text = articles()
    parent = segment(Document(id="parent", text=parent_text))
    child = segment(Document(id="child", text=child_text))
    times = []
    for _ in range(5):
        _build.cache_clear()  # each repeat builds both sides, as a first diff of a page does
        start = time.perf_counter()
        found = diff_versions(child, parent)
        times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "parent_words": len(parent_text.split()),
                "child_words": len(child_text.split()),
                "best_seconds": round(min(times), 4),
                "summary": found.summary(),
            }
        )
    )


if __name__ == "__main__":
    main()
