"""What `newsdedup check` reads from the repository: which files, which changed since a git
revision, front matter opt-outs, and where an offset of a document's text lies in its file.

Paths are shown and keyed relative to the current directory (POSIX separators),
the repository root in CI, so they are what GitHub annotations and SARIF need.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

import yaml

from ..extract import decode_bytes
from ..ingest import iter_documents
from ..records import Document, Skipped

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt", ".text"})
REFERENCE_SUFFIXES = ARTICLE_SUFFIXES | {".json", ".jsonl", ".ndjson"}
MARKUP_SUFFIXES = frozenset({".html", ".htm"})


class InputError(ValueError):
    """A path, git revision or opt-out that makes the check impossible; one line, exit 2."""


# -- paths and globs -------------------------------------------------------------


def display(path: str | os.PathLike[str]) -> str:
    """`path` as shown and keyed: relative to the current directory when inside it, else
    absolute; POSIX separators."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:  # another drive (Windows)
        return PurePath(absolute).as_posix()
    return PurePath(absolute if rel == ".." or rel.startswith(".." + os.sep) else rel).as_posix()


def walk(root: str, suffixes: frozenset[str]) -> list[str]:
    """Display paths of the files under `root` with one of `suffixes` (hidden entries and
    symbolic links to directories skipped, as a scan skips them), sorted; `root` itself if
    it is a file. A missing `root` is an `InputError`."""
    if os.path.isfile(root):
        return [display(root)]
    if not os.path.isdir(root):
        raise InputError(f"{root}: no such file or directory")
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))
        )
        for name in filenames:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in suffixes:
                found.append(display(os.path.join(dirpath, name)))
    return sorted(found)


@lru_cache(maxsize=256)
def _glob_pattern(glob: str) -> re.Pattern[str]:
    """A gitignore-like glob as a regex: `*` and `?` stay inside one directory, `**` spans
    any; a pattern without a slash matches at any depth, one ending in a slash matches
    everything below that directory."""
    anchored = "/" in glob.rstrip("/")
    body = glob.strip("/") if anchored else glob.rstrip("/")
    if glob.endswith("/"):
        body += "/**"
    out, i = [], 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        elif body[i] == "[" and (close := body.find("]", i + 1)) > i:
            out.append("[" + body[i + 1 : close].replace("!", "^", 1) + "]")
            i = close + 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + "".join(out) + r"\Z")


def matches(path: str, globs: Iterable[str]) -> bool:
    """Whether the display path `path` matches any of `globs` (see `_glob_pattern`)."""
    rel = path.removeprefix("./")
    return any(_glob_pattern(g).match(rel) for g in globs)


def select(
    roots: Sequence[str],
    include: Sequence[str],
    exclude: Sequence[str],
    outside: Sequence[str] = (),
    base: str = ".",
) -> list[str]:
    """Article files under `roots` that match `include` and not `exclude` (globs relative to
    `base`, the configuration's directory), and lie under none of the directories `outside`
    (the references), sorted and distinct."""
    fences = [_real(p) for p in outside]
    found = set()
    for root in roots:
        for path in walk(root, ARTICLE_SUFFIXES):
            rel = _relative(path, base)
            if (
                matches(rel, include)
                and not matches(rel, exclude)
                and not any(_under(_real(path), fence) for fence in fences)
            ):
                found.add(path)
    return sorted(found)


def _relative(path: str, base: str) -> str:
    try:
        return PurePath(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()
    except ValueError:
        return PurePath(path).as_posix()


def _real(path: str) -> str:
    return os.path.realpath(path)


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def read_documents(paths: Sequence[str], max_bytes: int) -> Iterator[Document | Skipped]:
    """`ingest.iter_documents` reduced to documents and what could not be read: an input an
    unexpected error cut short is reported as skipped, with its reason; notices of fields
    ingest ignored do not concern a check."""
    for item in iter_documents(paths, max_bytes=max_bytes):
        if isinstance(item, (Document, Skipped)):
            yield item
        elif (reason := getattr(item, "reason", None)) is not None:
            yield Skipped(str(getattr(item, "where", getattr(item, "path", ""))), str(reason))


# -- git -----------------------------------------------------------------------


def changed_since(revision: str) -> frozenset[str]:
    """Display paths of the files that differ from where the current branch left `revision`
    (their merge base; `revision` itself when there is none): committed, staged or not, plus
    untracked files git does not ignore; deleted files are not listed."""
    _git(["rev-parse", "--is-inside-work-tree"], "--changed-since needs a git repository")
    try:
        base = _git(["merge-base", revision, "HEAD"], "").strip()
    except InputError:
        _git(
            ["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
            f"--changed-since: unknown git revision '{revision}'",
        )
        base = revision
    listed = _git(
        ["diff", "--name-only", "-z", "--diff-filter=d", "--relative", base, "--"],
        f"--changed-since: cannot compare with '{revision}'",
    )
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], "git ls-files failed")
    names = [n for n in (listed + untracked).split("\0") if n]
    return frozenset(display(n) for n in names)


def _git(args: list[str], failure: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, check=False, encoding="utf-8"
        )
    except FileNotFoundError:
        raise InputError("--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        said = next((line for line in done.stderr.splitlines() if line.strip()), "")
        raise InputError(f"{failure} ({said.strip()})" if said and failure else failure)
    return done.stdout


# -- opt-outs --------------------------------------------------------------------

OPT_OUT_KEY = "newsdedup"
REASON_KEY = "newsdedup-reason"
_META = re.compile(
    r"<meta\s+[^>]*?name\s*=\s*[\"']?(newsdedup(?:-reason)?)[\"']?[^>]*?>", re.IGNORECASE
)
_CONTENT = re.compile(r"content\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class OptOut:
    """A checked article whose front matter says `newsdedup: ignore`, with the reason given."""

    path: str
    line: int
    reason: str


def read_opt_out(path: str, raw: str) -> OptOut | None:
    """The opt-out of a file's front matter (Markdown) or meta tags (HTML), or None.

    Markdown: `newsdedup: ignore` and `newsdedup-reason: "..."` in the YAML front
    matter. HTML: `<meta name="newsdedup" content="ignore">` and `<meta
    name="newsdedup-reason" content="...">`. An opt-out without a reason, or a
    `newsdedup` value other than `ignore`, is an `InputError`.
    """
    suffix = os.path.splitext(path)[1].lower()
    if suffix in MARKUP_SUFFIXES:
        found = _meta_values(raw)
    elif suffix in (".md", ".markdown"):
        found = _front_matter_values(raw)
    else:
        return None
    if OPT_OUT_KEY not in found:
        return None
    (value, line), reason = found[OPT_OUT_KEY], found.get(REASON_KEY, ("", 0))[0]
    if value.strip().lower() != "ignore":
        raise InputError(f"{path}:{line}: '{OPT_OUT_KEY}' must be 'ignore', got {value!r}")
    if not reason.strip():
        raise InputError(f"{path}:{line}: '{OPT_OUT_KEY}: ignore' needs a reason in '{REASON_KEY}'")
    return OptOut(path, line, " ".join(reason.split()))


def _front_matter_values(raw: str) -> dict[str, tuple[str, int]]:
    lines = normalize_newlines(raw).split("\n")
    if lines[0].lstrip("\ufeff").rstrip() != "---":
        return {}
    end = next((n for n in range(1, len(lines)) if lines[n].rstrip() in ("---", "...")), None)
    if end is None:
        return {}
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return {}
    if not isinstance(meta, dict):
        return {}
    found = {}
    for key in (OPT_OUT_KEY, REASON_KEY):
        if key in meta:
            where = next(
                (n + 1 for n in range(1, end) if re.match(rf"{re.escape(key)}\s*:", lines[n])), 1
            )
            found[key] = ("" if meta[key] is None else str(meta[key]), where)
    return found


def _meta_values(raw: str) -> dict[str, tuple[str, int]]:
    found = {}
    for m in _META.finditer(raw):
        content = _CONTENT.search(m.group())
        value = next((g for g in content.groups() if g is not None), "") if content else ""
        found[m.group(1).lower()] = (value, raw.count("\n", 0, m.start()) + 1)
    return found


# -- lines -----------------------------------------------------------------------


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str) -> str:
    """A file's text as ingest decodes it (BOM, legacy encodings), newlines normalised."""
    with open(path, "rb") as handle:
        data = handle.read()
    text, _ = decode_bytes(data, html=os.path.splitext(path)[1].lower() in MARKUP_SUFFIXES)
    return normalize_newlines(text)


_SNIPPET_WORDS = (8, 5, 3)


def locate(raw: str, text: str, offset: int) -> tuple[int, int]:
    """(line, column), both from 1, in the file `raw` of the character `offset` of the
    document `text` extracted from it.

    A text or Markdown document is the end of its file (the body after any front
    matter), so the offset maps exactly. An HTML page's text was extracted from
    markup: the words at the offset are looked for in the file (the first 8, 5 or
    3 words, any whitespace or tags between them), else line 1 is given.
    """
    at = _position(raw, text, offset)
    line = raw.count("\n", 0, at) + 1
    return line, at - (raw.rfind("\n", 0, at) + 1) + 1


def _position(raw: str, text: str, offset: int) -> int:
    offset = max(0, min(offset, len(text)))
    while offset < len(text) and text[offset].isspace():
        offset += 1
    if raw.endswith(text):
        return len(raw) - len(text) + offset
    words = text[offset : offset + 400].split()
    for n in _SNIPPET_WORDS:
        if len(words) < n:
            continue
        gap = r"(?:\s|<[^>]*>|&nbsp;)+"
        pattern = gap.join(_word_pattern(w) for w in words[:n])
        if m := re.search(pattern, raw):
            return m.start()
    return 0


def _word_pattern(word: str) -> str:
    """A word as it may stand in HTML: its characters, or their entities (`&amp;`, `&#8217;`)."""
    return "".join(
        re.escape(ch) if ch.isalnum() else f"(?:{re.escape(ch)}|&#?\\w+;)" for ch in word
    )


def is_markup(path: str) -> bool:
    return Path(path).suffix.lower() in MARKUP_SUFFIXES
