"""The tracing stage's shortcuts answer as the plain code they stand for.

`sites.core_name` and `sites.url_host` are cached; `evidence.named_sites` finds a page's
source lines by one search for their cues (`_furniture`) and keeps its letters and digits
by a byte table (`_alnum`); `evidence._reading` leaves a row that already reads so as it is;
`cues.domains` runs DOMAIN only where a top-level domain stands; `when.self_contradicted`
looks for a dateline only where its credit stands; `matrices._common` compares small
families of sets as rows of bits; `cues.starts_of` finds many words in one pass (an
Aho-Corasick automaton) for `lines_with`, `credits_around` and the openers' offsets;
`when.datelines` tries the dateline pattern just before each credit; `sites.lowered` is a
page lower-cased once and sliced; `evidence.paragraph_readings` reads a story's repeated rows
once; `tree._preferred` keeps each child's best weight as it goes. Each is
checked against the plain code, on text built from the pieces the patterns read and the
characters that lower-casing treats apart.
"""

from __future__ import annotations

import re
from unittest import mock

import numpy as np
from helpers import set_ones
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.provenance import cues, matrices, sites, tree
from newsdedup.provenance.cues import (
    ATTRIBUTION_CUES,
    DOMAIN,
    WIRE_CREDIT,
    after_dateline,
    credits_around,
    domains,
    lines_with,
    starts_of,
)
from newsdedup.provenance.evidence import (
    Page,
    _alnum,
    _furniture,
    _reading,
    names_a_source,
    paragraph_readings,
)
from newsdedup.provenance.sites import core_name, url_host
from newsdedup.provenance.when import _DATELINE_CREDIT, _DATELINE_DAY, datelines
from newsdedup.records import Document

_PIECES = [
    *("Source: ", "Via: ", "via ", "Credit: ", "according to ", "According To ", "citing "),
    *("first appeared on ", "Originally published by ", "read the full story at ", "AFP"),
    *("Reuters", "example.com", "News.Example.CO.uk", "a.b.info", "x.comma", ".com", "co"),
    *("Global Newsdesk", "Market Pulse 24", "resources", "reported", "word", "the ", "1"),
    *("Oct 8 (Reuters) -", "Jan. 10 (AP) ", "(Reuters)", "(dpa)", "March 3 ", "(", ")"),
    *(" ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\xa0"),
    *("İ", "ı", "ſ", "K", "ß", "Σ", "ΑΣ", "é", "É", "’", "“", "\ud800", "新华社", "٣"),
    *("(Reporting by A)", "-- Reuters", "PA Media", "Bloomberg News", "© 2026 Site", "😀"),
]
_texts = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
_some = settings(max_examples=40)


@_some
@given(_texts)
def test_furniture_drops_the_lines_that_name_a_source(text: str) -> None:
    """One search for the cues over the lower-cased lines finds the lines each line's own
    check finds: lower-casing makes and takes no line break (every kind `splitlines` cuts
    at), and a cue lies within one line."""
    lines, lows = text.splitlines(), text.lower().splitlines()
    want = [line.lower() for line in lines if not names_a_source(line)]
    assert _furniture(lines, lows) == want


@_some
@given(_texts)
def test_alnum_keeps_what_the_plain_pattern_keeps(text: str) -> None:
    low = text.lower()
    assert _alnum(low) == re.sub(r"[^a-z0-9]", "", low)


@_some
@given(_texts)
def test_a_reading_is_its_words_after_the_dateline(text: str) -> None:
    assert _reading(text) == " ".join(after_dateline(text).split())


@_some
@given(_texts)
def test_domains_are_the_patterns_findings(text: str) -> None:
    assert domains(text) == DOMAIN.findall(text)


@_some
@given(_texts)
def test_a_dateline_holds_its_credit(text: str) -> None:
    """`self_contradicted` reads no dateline where no credit stands: every dateline holds one."""
    if _DATELINE_DAY.search(text):
        assert _DATELINE_CREDIT.search(text)


_DATELINE_PIECES = [
    *("September", "Sept", "Oct", "Ab", "Xinhuas", "x", ".", ". ", " ", "  ", "\n", ")", "(", "-"),
    *("30 ", "8", "1", "٣", "(AP)", "(AP", "(Reuters)", "(Bloomberg News)", "(Bloomberg)"),
    *("(Associated Press)", "(新华社)", "Jan. 10 (AP) ", "Oct 8 (Reuters) -", "(dpa)(AP)"),
    *("September. 30 ", "Sept. 8 ", "Ab 1 ", "Mayx. 12 "),  # the longest and shortest forms
]


@settings(max_examples=200)
@given(st.lists(st.sampled_from(_DATELINE_PIECES), max_size=25).map("".join))
def test_datelines_are_the_patterns_findings(text: str) -> None:
    """The pattern tried just before each credit finds what it finds over the whole text:
    the same matches (spans and groups), in the same order."""
    found = [(m.span(), m.groupdict()) for m in datelines(text)]
    assert found == [(m.span(), m.groupdict()) for m in _DATELINE_DAY.finditer(text)]


def test_cached_site_names_answer_per_name() -> None:
    """The caches key on the whole name: each answer is the uncached function's, asked in
    any order and again."""
    names = ["https://www.cryptopolitan.com/x", "Cryptopolitan.com", "news.bbc.co.uk", "bbc"]
    names += ["Market Pulse 24", "http://[x", "example.com:99999", "a.b.example.co.uk/p", ""]
    for name in [*names, *reversed(names)]:
        assert core_name(name) == core_name.__wrapped__(name)
        assert url_host(name) == url_host.__wrapped__(name)
    assert core_name("https://www.cryptopolitan.com/x") == "cryptopolitan"
    assert core_name("news.bbc.co.uk") == "bbc"
    assert url_host("http://[x") is None


@settings(max_examples=25)
@given(st.data(), st.integers(0, 300), st.integers(1, 30), st.booleans())
def test_bits_count_the_shared_columns(
    data: st.DataObject, width: int, words: int, itself: bool
) -> None:
    """Sets wider than a word of bits, compared a few words at a time (the last run of
    words shorter), a family with itself: the counts of the set arithmetic."""
    a = data.draw(set_ones(width, 5, 60))
    b = a if itself else data.draw(set_ones(width, 5, 60))
    sets_a = [set(a.column[a.row == i].tolist()) for i in range(a.n)]
    sets_b = [set(b.column[b.row == j].tolist()) for j in range(b.n)]
    want = np.array([[len(x & y) for y in sets_b] for x in sets_a], dtype=np.int32)
    with mock.patch.object(matrices, "_PAIR_WORDS", words):
        found = matrices._common(a, b, width)
    assert found.dtype == np.int32
    assert np.array_equal(found, want.reshape(a.n, b.n))


# Every word list the automaton searches for, and small words that overlap each other.
_WORD_LISTS = [
    cues._ATTRIBUTION_OPENERS,
    cues._LINE_WORDS,
    cues._CREDIT_OPENERS,
    cues._CREDIT_LITERALS,
    ATTRIBUTION_CUES,
    sites._SELF_MENTION_CUES,
]
_small_words = st.lists(
    st.text("ab\n", min_size=1, max_size=3), min_size=1, max_size=5, unique=True
)


def _one_by_one(text: str, words: tuple[str, ...], start: int, end: int | None) -> list[int]:
    """Every offset of each word by `str.find`, from each offset past the last one found."""
    found = []
    for word in words:
        at = text.find(word, start, end)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1, end)
    return sorted(found)


@settings(max_examples=60)
@given(
    _texts | st.text("ab\n", max_size=30),
    st.sampled_from(_WORD_LISTS) | _small_words.map(tuple),
    st.data(),
)
def test_one_pass_finds_every_offset_of_every_word(
    text: str, words: tuple[str, ...], data: st.DataObject
) -> None:
    """`starts_of` (the automaton; word by word for a lone surrogate) finds what one `str.find`
    a word finds, overlapping matches and a word inside another included, in any span."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.none() | st.integers(start, len(text)))
    assert sorted(starts_of(text, words, start, end)) == _one_by_one(text, words, start, end)
    low = text.lower()
    if len(low) == len(text):
        lines = list(lines_with(text, words, low))
        want, at = [], 0
        for line in text.split("\n"):
            if any(w in line.lower() for w in words if "\n" not in w):
                want.append((at, at + len(line)))
            at += len(line) + 1
        if not any("\n" in w for w in words):
            assert lines == want


@settings(max_examples=60)
@given(_texts)
def test_credits_are_read_on_the_lines_of_the_credit_words(text: str) -> None:
    """`credits_around` reads the lines holding one of `_CREDIT_LITERALS` (and their
    neighbours): the lines holding a match of `_CREDIT_WORDS`, the words every credit holds."""
    words = (m.start() for m in cues._CREDIT_WORDS.finditer(text))
    want = [
        (m.span(), m.groupdict())
        for start, end in cues._lines_around(text, words, neighbours=1)
        for m in WIRE_CREDIT.finditer(text, start, end)
    ]
    assert [(m.span(), m.groupdict()) for m in credits_around(text)] == want


def test_the_credit_literals_are_the_credit_words() -> None:
    """Each literal is a match of `_CREDIT_WORDS`, and each of its alternatives, in every form
    (with and without its optional words), holds one."""
    for word in cues._CREDIT_LITERALS:
        assert cues._CREDIT_WORDS.fullmatch(word), word
    pattern = cues._CREDIT_WORDS.pattern
    assert pattern.startswith("(?:") and pattern.endswith(")")
    for alternative in pattern[3:-1].split("|"):
        for form in (re.sub(r"\(\?:(.*?)\)\?", g, alternative) for g in ("", r"\1")):
            assert cues._CREDIT_WORDS.fullmatch(form), form
            assert any(word in form for word in cues._CREDIT_LITERALS), form


@settings(max_examples=100)
@given(
    st.dictionaries(
        st.tuples(st.integers(1, 6), st.integers(0, 6)).filter(lambda k: k[0] != k[1]),
        st.sampled_from([-1.0, 0.0, 0.5, 2.0, 2.0 + 1e-9]),  # ties, and near ties
    )
)
def test_each_child_prefers_its_first_heaviest_link(weight: dict[tuple[int, int], float]) -> None:
    """`tree._preferred` keeps each child's best weight as it goes: the parent is the one of
    the child's heaviest link, the first in `weight`'s order on a tie, as the plain reading."""
    want = {}
    for c in dict.fromkeys(c for c, _ in weight):
        links = [(p, w) for (k, p), w in weight.items() if k == c]
        want[c] = next(p for p, w in links if w == max(w for _, w in links))
    assert tree._preferred(weight) == want
    if weight:
        assert max(map(max, weight)) == max(max(k) for k in weight)


_GREEK = ["ΑΣ", "Σ", "ΑΣΑ", "α", "σ", "ς", " ", "\n", "'", "İ", "ı", "ſ", "K", "source: "]


@settings(max_examples=150)
@given(st.lists(st.sampled_from(_PIECES + _GREEK), max_size=30).map("".join), st.data())
def test_a_lowered_page_slices_as_its_slices_lower(text: str, data: st.DataObject) -> None:
    """Where `sites.lowered` gives the page lower-cased, its slices joined by line breaks are
    the slices' joined text lower-cased, and folded as `cues._folded` folds it; what
    `source_matches` reads from that folding is what it reads folding the text itself."""
    at = st.integers(0, len(text))
    cuts = [(0, len(text)), *data.draw(st.lists(st.tuples(at, at), max_size=6))]
    cuts += [c for i, x in enumerate(text) if x == "Σ" for c in ((0, i + 1), (i, len(text)))]
    low = sites.lowered(Document(id="d", text=text))
    if low is None:
        assert any(c in text for c in "ſıİΣ")
        return
    assert low == text.lower()
    joined = "\n".join(text[a:b] for a, b in cuts)
    sliced = "\n".join(low[a:b] for a, b in cuts)
    assert sliced == joined.lower() == cues._folded(joined)
    assert cues.source_matches(joined, sliced) == cues.source_matches(joined)


@settings(max_examples=60)
@given(
    st.lists(
        st.lists(st.sampled_from(["", *_PIECES[:12], "LONDON, Jan 10 (Reuters) - x"]), max_size=6),
        min_size=1,
        max_size=4,
    )
)
def test_rows_read_once_a_story_read_as_each_alone(pages: list[list[str]]) -> None:
    """The readings kept across a story's pages (`known`) are each page's rows read alone:
    a row repeated on another page reads as it did there."""
    known: dict[str, str] = {}
    for rows in pages:
        text, start, end = "", [], []
        for row in rows:
            start.append(len(text))
            text += row
            end.append(len(text))
            text += "\n\n"
        doc, page = Document(id="d", text=text), Page(0, start, end, list(range(len(rows))))
        alone = tuple(_reading(row) for row in rows)
        assert paragraph_readings(doc, page, known) == alone == paragraph_readings(doc, page)
