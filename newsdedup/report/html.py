"""The HTML report: one self-contained page for people, built from the JSON contract.

The page is a function of the scan's JSON dict (`json.result_json`, or a saved `--format json`
file read back), so `scan --format html` and `report scan.json` give the same bytes. It holds
the data once, as JSON in `<script type="application/json">` blocks (the overview, then one
block per story's details), and a small script (`assets/report.js`, inlined with
`assets/report.css`) that draws the overview a page at a time and parses a story's block, to
draw its tree and diffs, only when it is opened: a report of thousands of stories opens at
once, and the file needs no network (no CDN, no fonts), so it opens by double-click and can
be mailed.

Text from scanned pages is hostile: in the data block every `<`, `>` and `&` is a JSON escape,
so no `</script>` or `<!--` in an article can end the block, and the script inserts text with
`textContent` only, never as markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from importlib.resources import files
from typing import Any, TextIO

from ..pipeline import ScanResult
from .json import SCHEMA_VERSION, result_json

_ASSETS = files(__package__) / "assets"
_HEADLINE_NOTE = "headline-changed"
_ARROW = " → "
_ELLIPSIS = "…"
# A credit fact a child holds about its parent: "Reuters credit of the parent dropped",
# "Reuters credit or dateline" (kept).
_PARENT_CREDIT = re.compile(r"^(?P<agency>.+?) credit (?:of the parent|or dateline)")
# In the data block: no markup character survives as itself (`</script>`, `<!--`), and the
# line separators that older parsers took for line ends are escaped too.
_UNSAFE_IN_SCRIPT = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")


class ScanFileError(ValueError):
    """A file given to `newsdedup report` is not a scan this version can read."""


def read_scan(raw: bytes) -> dict[str, Any]:
    """A saved scan's bytes as its JSON dict (`check_scan`); `ScanFileError` says why not."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScanFileError("not a newsdedup scan (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ScanFileError(
            f"not a newsdedup scan (not one JSON document: {exc.msg} at line {exc.lineno}; "
            "want the output of scan --format json)"
        ) from None
    return check_scan(data)


def newer_than_us(scan: dict[str, Any]) -> bool:
    """Written by a newer newsdedup (a later minor version): the fields it added are not shown."""

    def minor(version: str) -> int:
        head = version.split(".")[1] if "." in version else "0"
        return int(head) if head.isdigit() else 0

    return minor(str(scan.get("schema_version", ""))) > minor(SCHEMA_VERSION)


def check_scan(data: Any) -> dict[str, Any]:
    """`data` if it is a newsdedup scan (`--format json`) whose major schema version is ours;
    else `ScanFileError` saying what it is. A newer minor version only adds fields, which the
    report ignores."""
    if not isinstance(data, dict) or not isinstance(data.get("tool"), dict):
        raise ScanFileError("not a newsdedup scan (want the output of scan --format json)")
    if data["tool"].get("name") != "newsdedup" or not isinstance(data.get("stories"), list):
        raise ScanFileError("not a newsdedup scan (want the output of scan --format json)")
    version = str(data.get("schema_version", ""))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ScanFileError(
            f"schema version {version or '(none)'} is not readable by this newsdedup "
            f"(it reads {SCHEMA_VERSION.split('.')[0]}.x)"
        )
    return data


def render(scan: dict[str, Any]) -> str:
    """The whole page for a scan's JSON dict: deterministic, nothing from the clock or machine."""
    overview, details = page_data(scan)
    title = f"newsdedup report: {len(scan['stories'])} stories"
    blocks = "".join(
        f'<script type="application/json" id="story-{n}">{_script_json(d)}</script>\n'
        for n, d in enumerate(details)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing is fetched: inline style and script only, no network, no form posts.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#stories">Skip to the stories</a>\n'
        '<header><h1>newsdedup report</h1><p id="summary"></p></header>\n'
        '<main id="app"><noscript>This report needs JavaScript to draw its stories; '
        "the data is in the page's source as JSON.</noscript></main>\n"
        f'<script type="application/json" id="scan-data">{_script_json(overview)}</script>\n'
        # the list is drawn while the stories' blocks are still being read
        f"<script>\n{_asset('report.js')}</script>\n{blocks}</body>\n</html>\n"
    )


class HtmlReporter:
    """`render` of the scan's JSON dict: the same page `newsdedup report` makes from the file."""

    def write(self, result: ScanResult, out: TextIO) -> None:
        out.write(render(json.loads(json.dumps(result_json(result), ensure_ascii=False))))


# What the overview keeps of a version: enough to list, search and draw the small tree.
_OVERVIEW_FIELDS = ("document", "segment", "parent", "relation", "confidence", "headline", "date")
# Notes the diff table shows as its rows: not repeated as notes.
_ROW_NOTES = {"paragraphs-added", "paragraphs-removed"}


def page_data(scan: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What the page needs of a scan, in two parts: the overview, read as the page opens
    (the documents of the stories without their segment lists, and each story with the
    fields of its versions the list and the small tree show), and each story's details
    (evidence, candidates, diffs), one block per story read when the story is opened; a
    report of thousands of stories opens without parsing every diff. Stories are sorted by
    size, then their origin's date, then id; each version carries the headline the diffs
    show it under and its date, each story its origin's credit."""
    documents = {doc["id"]: doc for doc in scan.get("documents", [])}
    details = sorted((_story(s, documents) for s in scan["stories"]), key=_size_then_date)
    used = sorted({v["document"] for s in details for v in s["versions"]})
    overview = {
        "schema_version": scan.get("schema_version"),
        "tool": scan.get("tool"),
        "summary": scan.get("summary"),
        "documents": [
            {k: v for k, v in documents[d].items() if k != "segments"}
            for d in used
            if d in documents
        ],
        "stories": [
            {
                "id": s["id"],
                "error": s.get("error"),
                "credit": s["credit"],
                "versions": [{k: v.get(k) for k in _OVERVIEW_FIELDS} for v in s["versions"]],
            }
            for s in details
        ],
        "errors": scan.get("errors", []),
        "warnings": scan.get("warnings", []),
    }
    return overview, details


def _size_then_date(story: dict[str, Any]) -> tuple[int, bool, str, str]:
    origin = _key(story.get("origin"))
    date = next((v["date"] for v in story["versions"] if _key(v) == origin), None) or ""
    return (-len(story["versions"]), not date, date, story["id"])


def _story(story: dict[str, Any], documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    versions = [_version(ver, documents) for ver in story["versions"]]
    heads = headlines(story["versions"])
    for ver in versions:  # a scan before schema 1.8 names no headline: the diffs' guess
        ver["headline"] = ver.get("headline") or heads.get(_key(ver))
    return {**story, "versions": versions, "credit": origin_credit(story)}


def _version(ver: dict[str, Any], documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A version as the page shows it: its date (the document's, else the one tracing used),
    no segment list, and no notes that repeat the diff's rows."""
    out = {k: v for k, v in ver.items() if k != "segments"}
    fact = next((e["detail"] for e in ver.get("evidence", []) if e["kind"] == "date"), None)
    out["date"] = documents.get(ver["document"], {}).get("published") or (
        fact.split(" ")[0] if fact else None
    )
    if ver.get("diff"):
        notes = [n for n in ver["diff"]["notes"] if n["kind"] not in _ROW_NOTES]
        out["diff"] = {**ver["diff"], "notes": notes}
    return out


def _key(ref: dict[str, Any] | None) -> tuple[str, int] | None:
    return None if ref is None else (ref["document"], ref["segment"])


def headlines(versions: list[dict[str, Any]]) -> dict[tuple[str, int] | None, str]:
    """Each version's headline as its diffs show it, where one does.

    The JSON holds no article text, but a diff names a changed headline ("old → new",
    each cut at 80 characters and then found whole among the diff's passages). A version
    whose diff against its parent notes no headline change shares its parent's; that is
    carried down and up the tree until nothing more is learnt. A version no diff reaches
    keeps none (the page then shows its document's title or name)."""
    heads: dict[tuple[str, int] | None, str] = {}
    same: list[tuple[tuple[str, int] | None, tuple[str, int] | None]] = []
    for ver in versions:
        diff = ver.get("diff")
        if not diff:
            continue
        note = next((n for n in diff["notes"] if n["kind"] == _HEADLINE_NOTE), None)
        if note is None:
            same.append((_key(ver), _key(ver.get("parent"))))
            continue
        old, _, new = note["detail"].partition(_ARROW)
        heads[_key(ver)] = _whole(new, _side(diff, "after", "added"))
        heads.setdefault(_key(ver.get("parent")), _whole(old, _side(diff, "before", "removed")))
    for _ in range(len(versions)):
        learnt = False
        for child, parent in same:
            for a, b in ((child, parent), (parent, child)):
                if a not in heads and b in heads:
                    heads[a] = heads[b]
                    learnt = True
        if not learnt:
            break
    heads.pop(None, None)
    return heads


def _side(diff: dict[str, Any], changed_side: str, listed: str) -> Iterable[str]:
    yield from (p["text"] for p in diff[listed])
    yield from (c[changed_side]["text"] for c in diff["changed"])


def _whole(short: str, texts: Iterable[str]) -> str:
    """`short`, a headline cut with "…", made whole from the passage it was cut from."""
    if not short.endswith(_ELLIPSIS):
        return short
    prefix = short[: -len(_ELLIPSIS)]
    for text in texts:
        flat = " ".join(text.split())
        if flat.startswith(prefix):
            return flat
    return short


def origin_credit(story: dict[str, Any]) -> str | None:
    """The agency credited on the origin, as its children's credit facts name it."""
    origin = _key(story.get("origin"))
    for ver in story["versions"]:
        if _key(ver.get("parent")) != origin:
            continue
        for item in ver.get("evidence", []):
            found = _PARENT_CREDIT.match(item["detail"]) if item["kind"] == "credit" else None
            if found:
                return found["agency"]
    return None


def _script_json(value: Any) -> str:
    """`value` as JSON that can sit inside a `<script>` element whatever its strings hold."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # a file name that is not UTF-8 holds lone surrogates: written as JSON escapes
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    for char, escaped in _UNSAFE_IN_SCRIPT:
        text = text.replace(char, escaped)  # str.replace: 20x faster than str.translate here
    return text


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")
