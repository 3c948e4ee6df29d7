"""Whole-pipeline property tests: copies of a real article with hostile text injected (issue 25).

Each example builds a story of 2-6 copies of a real article (the Reuters capture of the
samples), injects into the copies what pages and feeds really carry and parsers trip on
(attribution and source lines with brackets, ports, IPv6, percent-escapes, IDNs, RTL and
zero-width characters, lone surrogates, 10,000-character tokens, digit runs, datelines and
credits, HTML metadata and JSON-LD of the wrong types, front matter and JSON Lines fields of
every JSON type), writes each copy as a file of some format, scans the folder and asserts:

* the scan finishes, with no unexpected error anywhere (`failures` empty);
* every input is used or named: each file, and each line of a JSON Lines file, is a
  document or an `errors` entry;
* the JSON report validates against the published schema (docs/scan.schema.json), and the
  JSON Lines and terminal reports are written;
* every story's derivation tree is a tree;
* time stays linear in a page's length (a separate property: four times the run, well under
  sixteen times the time).

`pytest --hypothesis-profile fuzz` runs them long; the default profile (CI) runs them short.
"""

from __future__ import annotations

import html
import io
import json
import tempfile
import time
from pathlib import Path

import jsonschema
from conftest import ROOT, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdedup.pipeline import ScanOptions, ScanResult, check_tree, scan, scan_documents
from newsdedup.records import Document
from newsdedup.report import JsonlReporter, JsonReporter, TextReporter

ARTICLE = (SAMPLES / "001_30272b82ea5a8e97.txt").read_text(encoding="utf-8").split("\n", 2)[2]
PARAGRAPHS = [p for p in ARTICLE.split("\n\n") if p.strip()]
SCHEMA = json.loads((ROOT / "docs" / "scan.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
LINE = jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": "#/$defs/jsonl_line"})

# A sixth of the profile's examples: each one is a whole scan (60 -> 10; fuzz 5,000 -> 833).
WHOLE = settings(
    max_examples=max(8, settings.default.max_examples // 6),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- what pages carry ---------------------------------------------------------------------------

_ODD_CHARACTERS = ["\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "\udc00", "\ud800", "\x00"]
_HOSTS = st.sampled_from(
    [
        "http://[::1",
        "http://[x",
        "http://[v1.x]",
        "[2]. China",
        "http://x:99999/a",
        "http://x:-1",
        "http://x：80/a",
        "http://news．example．com／a",
        "http://％41.com",
        "http://a%zz%41.com/%",
        "http://例え.jp/ü",
        "http://xn--zz--.com",
        "http://\u200bexample.com",
        "http://\u202emoc.elpmaxe",
        "https://user:pw@[2001:db8::1]:8080/x?q=[1]#[",
        "//",
        "http://",
        "reuters.com]",
        "www..com",
        ".",
    ]
)
_RUNS = st.builds(
    lambda unit, n: (unit * (n // len(unit) + 1))[:n],
    st.sampled_from(["7", "a", "a.", "7-", "A.", "By Ab ", "(", '"', "“", "%", "x\n", "$1,"]),
    st.integers(1, 10_000),
)
_LINES = st.one_of(
    st.builds(lambda h: f"Source: {h}", _HOSTS),
    st.builds(lambda h: f"This story first appeared on {h}", _HOSTS),
    st.builds(lambda h: f"Originally published by {h}", _HOSTS),
    st.builds(lambda h: f"Via: {h}", _HOSTS),
    st.builds(lambda h: f"according to {h} reported", _HOSTS),
    st.builds(lambda h: f"© 2026 {h}. All rights reserved.", _HOSTS),
    st.sampled_from(
        [
            "BEIJING, Jan 10 (Reuters) -",
            "(Reporting by [Jane] Doe; Editing by )",
            "By Jane Doe, PA",
            "-- With assistance from ",
            "Published 10 Jan 2026, 14:48",
            "Feb 30, 2026 99:99 GMT",
            "Jan 10, 2026 99999999999999999999:00",
            "date 0001-01-01",
            "Posted on Saturday, January 10, 10000",
            "Updated 31/02/2026",
        ]
    ),
    _RUNS,
    st.builds("".join, st.lists(st.sampled_from(_ODD_CHARACTERS), min_size=1, max_size=5)),
    st.text(max_size=200),
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | _HOSTS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
_FIELDS = ("title", "url", "canonical_url", "site", "published", "date", "id", "publisher")


@st.composite
def _copy_text(draw: st.DrawFn) -> str:
    """The article, maybe cut by a paragraph, with hostile lines and characters put in."""
    paragraphs = list(PARAGRAPHS)
    if draw(st.booleans()):
        del paragraphs[draw(st.integers(1, len(paragraphs) - 1))]
    for line in draw(st.lists(_LINES, max_size=3)):
        at = draw(st.integers(0, len(paragraphs)))
        if draw(st.booleans()):
            paragraphs.insert(at, line)
        else:  # into a paragraph, mid-sentence
            k = min(at, len(paragraphs) - 1)
            cut = draw(st.integers(0, len(paragraphs[k])))
            paragraphs[k] = paragraphs[k][:cut] + " " + line + " " + paragraphs[k][cut:]
    return "\n\n".join(paragraphs)


def _attribute(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return html.escape(text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))


@st.composite
def _page(draw: st.DrawFn, n: int) -> tuple[str, bytes]:
    """(file name, bytes) of one copy, in a format of its own, with hostile metadata."""
    text = draw(_copy_text())
    meta = draw(st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=5))
    fmt = draw(st.sampled_from(["txt", "md", "html", "jsonl", "json"]))
    raw = text.encode("utf-8", "surrogatepass")  # a page may hold what UTF-8 cannot
    if fmt == "txt":
        return f"copy{n}.txt", raw
    if fmt == "md":
        front = "\n".join(f"{k}: {json.dumps(v)}" for k, v in meta.items())
        return f"copy{n}.md", f"---\n{front}\n---\n".encode("utf-8", "surrogatepass") + raw
    if fmt == "html":
        ld = {"@type": draw(st.sampled_from(["NewsArticle", ["Article"], 7, None]))}
        ld |= {k: v for k, v in meta.items() if k in ("url", "publisher")}
        ld |= {"headline": draw(_JSON), "datePublished": draw(_JSON)}
        tags = "".join(
            f'<meta property="{prop}" content="{_attribute(draw(_JSON))}">'
            for prop in ("og:url", "og:title", "og:site_name", "article:published_time")
        )
        body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
        canonical = f'<link rel="canonical" href="{_attribute(draw(_HOSTS))}">'
        page = (
            f"<html><head>{tags}{canonical}<script type='application/ld+json'>"
            f"{json.dumps(ld)}</script></head><body><article>{body}</article></body></html>"
        )
        return f"copy{n}.html", page.encode("utf-8", "surrogatepass")
    record = {**meta, "text": text}
    if draw(st.booleans()):
        record["html"] = draw(_JSON)
    if fmt == "json":
        return f"copy{n}.json", json.dumps([record, draw(_JSON)]).encode()
    lines = [json.dumps(record), json.dumps(draw(_JSON)), "{not json", ""]
    return f"copy{n}.jsonl", "\n".join(lines).encode()


# -- what a scan must give ------------------------------------------------------------------------


def _accounted_for(result: ScanResult, files: dict[str, bytes]) -> None:
    """Every file, and every record line of a JSON Lines file, is a document or named."""
    report = json.loads(_written(JsonReporter(), result))
    used = {d["source"] for d in report["documents"]}
    named = {e["path"] for e in report["errors"]}
    for name, data in files.items():
        if name.endswith(".jsonl"):
            lines = data.decode("utf-8", "replace").split("\n")
            for n, line in enumerate(lines, 1):
                if line.strip():
                    assert f"{name}:{n}" in used | named, f"{name}:{n} passed over"
        elif name.endswith(".json"):
            assert any(p == name or p.startswith(f"{name}#") for p in used | named), name
        else:
            assert name in used | named, f"{name} passed over"


def _written(reporter: JsonReporter | JsonlReporter | TextReporter, result: ScanResult) -> str:
    out = io.StringIO()
    reporter.write(result, out)
    return out.getvalue()


def _check(result: ScanResult, files: dict[str, bytes]) -> None:
    assert result.failures == (), [f.reason for f in result.failures]
    report = json.loads(_written(JsonReporter(), result))
    VALIDATOR.validate(report)
    for line in _written(JsonlReporter(), result).split("\n")[:-1]:  # not at U+2028
        LINE.validate(json.loads(line))
    _written(TextReporter(details=True), result)
    for story in result.stories:
        check_tree(story)
    _accounted_for(result, files)


@WHOLE
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(*(_page(k) for k in range(n)))))
def test_hostile_copies_of_an_article_never_crash_lose_or_loop(
    pages: tuple[tuple[str, bytes], ...],
) -> None:
    files = dict(pages)
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        result = scan([tmp], ScanOptions())
    _check(result, files)


@WHOLE
@given(st.lists(_copy_text(), min_size=2, max_size=6), st.data())
def test_every_story_of_hostile_copies_is_a_tree_whatever_the_pages_repeat(
    texts: list[str], data: st.DataObject
) -> None:
    """Pages that repeat a copy (once or twice, on separate lines or one long line) are
    where a version once became its own parent."""
    docs = []
    for k, text in enumerate(texts):
        repeat = data.draw(st.sampled_from([1, 1, 2, 3]))
        joiner = data.draw(st.sampled_from(["\n\n", " "]))
        body = joiner.join([text if joiner == "\n\n" else " ".join(text.split("\n\n"))] * repeat)
        docs.append(Document(id=f"copy{k}", text=body))
    result = scan_documents(docs, ScanOptions(diffs=data.draw(st.booleans())))
    assert result.failures == ()
    for story in result.stories:
        check_tree(story)
        keys = [r.version.key for r in story.versions]
        assert len(keys) == len(set(keys))


@settings(max_examples=max(4, settings.default.max_examples // 15), deadline=None)
@given(
    unit=st.sampled_from(
        ["7", "a.", "7-", "A.", "By Ab ", "(", "“", "$1,", "x ", "Source: [", "@"]
    ),
    frame=st.sampled_from(["{}", "Source: {}", "© {}", "first appeared on {}", "(Reuters) - {}"]),
)
def test_time_stays_linear_in_the_length_of_a_hostile_run(unit: str, frame: str) -> None:
    """Four times the run takes well under sixteen times the time (what a quadratic pattern
    takes); with slack for a loaded machine and for the scan's fixed cost."""

    def timed(length: int) -> float:
        run = (unit * (length // len(unit) + 1))[:length]
        paragraphs = [*PARAGRAPHS[:-1], frame.format(run), PARAGRAPHS[-1]]
        docs = [Document(id="a", text=ARTICLE), Document(id="b", text="\n\n".join(paragraphs))]
        started = time.process_time()  # this process's: not what the machine's others take
        result = scan_documents(docs, ScanOptions())
        assert result.failures == ()
        return time.process_time() - started

    timed(1_000)  # warm caches
    short, long = timed(8_000), timed(32_000)
    assert long < 8 * short + 1.0, (short, long)


# -- the "done when": a corpus with one page in a hundred hostile -----------------------

_HOSTILE_LINES = [
    "Source: [2]. China",
    "This story first appeared on http://[x and http://x：80/a",
    "© 2026 " + "a." * 5_000,
    "(Reuters) - " + "By Ab " * 2_000,
    "7" * 20_000,
    "Posted on Feb 30, 2026 99:99 \u202e\u200b GMT",
]


def test_a_corpus_with_one_page_in_a_hundred_hostile_keeps_the_stories_of_its_clean_pages(
    tmp_path: Path,
) -> None:
    """Three of 300 generated pages carry hostile lines (a text capture, a Markdown page with
    broken front matter, a JSON Lines record the feed garbled): the scan finishes with the
    same stories on the 297 clean pages as a scan without the hostile ones, and names every
    hostile page it could not use."""
    from benchmarks.corpus import generate

    texts = [d.text for d in generate(300, seed=4).documents]
    clean, hostile = tmp_path / "clean", tmp_path / "hostile"
    clean.mkdir()
    hostile.mkdir()
    for k, text in enumerate(texts):
        (clean / f"{k:04d}.txt").write_text(text, encoding="utf-8")
        if k % 100 != 50:
            (hostile / f"{k:04d}.txt").write_text(text, encoding="utf-8")
    lines = "\n\n".join(_HOSTILE_LINES)
    (hostile / "0050.txt").write_text(f"{texts[50]}\n\n{lines}", encoding="utf-8")
    front = '---\ntitle: [1, 2]\ndate: 2026-02-30\nurl: "http://[::1"\nsite: {a: [}\n---\n'
    (hostile / "0150.md").write_text(front + lines + "\n\n" + texts[150], encoding="utf-8")
    record = json.dumps({"id": "0250", "text": texts[250] + lines, "published": [1]})
    (hostile / "0250.jsonl").write_text(record[: len(record) // 2] + "\n", encoding="utf-8")

    def stories(result: ScanResult) -> set[frozenset[str]]:
        on_clean = (
            frozenset(d.split(".", 1)[0] for d in {v.version.doc_id for v in s.versions})
            - {"0050", "0150", "0250"}
            for s in result.stories
        )
        return {docs for docs in on_clean if len(docs) >= 2}

    # The clean pages' stories (which documents each joins) need no diffs: a third of the
    # scan's time saved. The hostile pages are scanned whole, diffs too, where they could fail.
    before = scan([str(clean)], ScanOptions(diffs=False))
    after = scan([str(hostile)], ScanOptions())
    assert after.failures == ()
    assert stories(after) == stories(before) and len(stories(before)) > 20
    used = {d.id for d in after.documents}
    assert {"0050.txt", "0150.md"} <= used
    assert [(s.path, s.reason.split(":")[0]) for s in after.skipped] == [
        ("0250.jsonl:1", "invalid JSON")
    ]
    assert {n.path for n in after.notices} >= {"0150.md"}
