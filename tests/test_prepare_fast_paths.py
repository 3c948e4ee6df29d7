"""Reading's and segmenting's fast paths (issue 24, twelfth session) against the plain forms
they replace: the same languages, lines, segment rows and fingerprints on random and hostile
input."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import LanguageIdentifier

from newsdedup import pipeline
from newsdedup.fingerprint import Fingerprints, fingerprint
from newsdedup.language import _identifier, sample
from newsdedup.pipeline import Limits, ScanOptions, _Packed, _prepare, scan_documents
from newsdedup.records import Document, Failure, Notice
from newsdedup.segment import SegmentOptions, SegmentTable, _line_spans, segment, segment_spans


@pytest.fixture(scope="module")
def as_shipped() -> LanguageIdentifier:
    """py3langid's identifier over the model as it ships (float16 weights), sharing the rest
    of the model with ours."""
    ours = _identifier()
    return LanguageIdentifier(
        np.asarray(ours.nb_ptc, dtype=np.float16),  # type: ignore[attr-defined]
        ours.nb_pc,  # type: ignore[attr-defined]
        ours.nb_classes,  # type: ignore[attr-defined]
        ours.tk_nextmove,  # type: ignore[attr-defined]
        ours.tk_output,  # type: ignore[attr-defined]
        norm_probs=True,
        tk_row=ours.tk_row,  # type: ignore[attr-defined]
    )


# Prose of several scripts and languages, and what a page also holds.
_WORDS = st.sampled_from(
    [
        *("the", "officials", "said", "on", "Tuesday", "le", "gouvernement", "a", "annoncé"),
        *("die", "Regierung", "hat", "el", "gobierno", "ha", "правительство", "заявило"),
        *("政府", "表示", "東京", "のニュース", "حكومة", "सरकार", "ने", "κυβέρνηση", "2026"),
        *("—", "“", "”", "’", ".", ",", "\n", "\n\n", " ", "🔥", "\u0301", "\ud800", "ß", "İ"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=120).map(" ".join))
def test_the_identifier_reads_as_the_model_as_shipped(
    as_shipped: LanguageIdentifier, text: str
) -> None:
    """Weights cast to float32 once give the very scores numpy's per-document cast gave:
    the same language and the same confidence, bit for bit, on any sample."""
    ours = _identifier()
    for part in (text, sample(text), sample(text)[:120], text.upper()):
        assert ours.classify(part) == as_shipped.classify(part)


def test_the_identifier_reads_hostile_samples_as_shipped(as_shipped: LanguageIdentifier) -> None:
    rng = random.Random(7)
    texts = ["", " ", "1234567890" * 20, "\x00" * 50, "\ufeff" * 10, "a" * 4000]
    texts += ["".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(200)) for _ in range(30)]
    for text in texts:
        assert _identifier().classify(text) == as_shipped.classify(text)


def _plain_line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-blank lines of text[start:end], stripped: the loop the regex replaced."""
    spans, pos = [], start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        left, right = pos, stop
        while left < stop and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if right > left:
            spans.append((left, right))
        pos = stop + 1
    return spans


# Every kind of white space `str.isspace` knows, line breaks that are not "\n" among them.
_LINE_PIECES = st.sampled_from(
    [
        *("a", "é", ".", "\n", "\n\n", " ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85"),
        *("\u00a0", "\u2028", "\u2029", "\u3000", "\u200b", "word"),
    ]
)


@settings(max_examples=200)
@given(st.lists(_LINE_PIECES, max_size=80).map("".join), st.data())
def test_lines_are_the_stripped_lines_of_the_plain_loop(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert list(_line_spans(text, start, end)) == _plain_line_spans(text, start, end)


def test_the_line_pattern_strips_what_isspace_strips_over_all_of_unicode() -> None:
    """Its `\\s` (and so `\\S`) against `str.isspace`, every code point at once."""
    every = "".join(map(chr, range(0x110000)))
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]
    text = f"a{every}b"
    assert list(_line_spans(text, 0, len(text))) == _plain_line_spans(text, 0, len(text))


_PROSE = st.sampled_from(
    [
        *("Word", "word", "Mr.", "U.S.", "end.", "Next", "“Quote.”", "3", "é", "\u2028", "\x1c"),
        *(" ", " ", " ", "\n", "\n\n", "\t", "\u00a0", "\u3000"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_PROSE, max_size=400).map("".join),
    st.integers(1, 12),
    st.integers(0, 12),
    st.integers(0, 40),
)
def test_segments_cut_at_a_limit_are_the_first_of_all(
    text: str, window: int, extra: int, limit: int
) -> None:
    """The spans a scan keeps (`segment_spans`, cut lazily at its limit) are the rows of the
    records `segment` gives, and a limit keeps the first of them."""
    opts = SegmentOptions(max_words=window + extra, window_words=window)
    doc = Document(id="d", text=text)
    records = segment(doc, opts)
    assert all(text[s.start : s.end] == s.text for s in records)
    assert segment_spans(doc, opts) == [(s.start, s.end, s.block) for s in records]
    assert segment_spans(doc, opts, limit) == [(s.start, s.end, s.block) for s in records][:limit]


def _columns(fp: Fingerprints) -> dict[str, object]:
    table = fp.table
    arrays = {
        "bounds": table.bounds,
        "start": table.start,
        "end": table.end,
        "block": table.block,
        "shingles": fp.shingles,
        "offsets": fp.offsets,
        "indexed": fp.indexed,
        "chrome": fp.chrome,
    }
    return {"doc_ids": table.doc_ids} | {
        name: (a.dtype.str, a.tolist()) for name, a in arrays.items()
    }


def _documents(rng: random.Random, n: int) -> list[Document]:
    words = ["the", "Minister", "said.", "Share", "this", "article", "U.S.", "“rates”", "é"]
    words += ["newsletter", "cookie", "政府", "\u00a0", "\n", "\n\n", "—", "2026", "Mr."]
    texts = ["", "   \n\n  ", "one"]  # no segments; one short one
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 400))) for _ in range(n)]
    return [Document(id=f"doc{k:03d}", text=t) for k, t in enumerate(texts)]


def test_a_batch_prepared_from_spans_is_the_batch_of_segment_records() -> None:
    """`_prepare` (spans, texts sliced, `SegmentTable.of_spans`, `fingerprint_texts`) gives the
    arrays that fingerprinting `segment`'s records gives, with and without a truncation."""
    rng = random.Random(24)
    docs = [*_documents(rng, 60), Document(id="long", text="Word. " * 3000)]
    for limit in (Limits().max_segments, 3):
        options = ScanOptions(limits=Limits(max_segments=limit))
        prepared = _prepare((tuple(_Packed.of(d) for d in docs), options, False))
        records = [s for d in docs for s in segment(d, options.segment, limit + 1)[:limit]]
        plain = fingerprint(records, options.fingerprint)
        assert _columns(prepared.fingerprints) == _columns(plain.without_signatures())
        cut = [d for d in docs if len(segment(d, options.segment)) > limit]
        assert [n.path for n in prepared.notices] == [d.id for d in cut]
        assert all(isinstance(n, Notice) for n in prepared.notices)


def test_a_table_of_spans_is_the_table_of_their_records() -> None:
    rng = random.Random(5)
    docs = _documents(rng, 20)
    records = [s for d in docs for s in segment(d)]
    spans = [(d.id, segment_spans(d)) for d in docs]
    assert _columns_of(SegmentTable.of_spans(spans)) == _columns_of(SegmentTable.of(records))
    assert _columns_of(SegmentTable.of_spans([])) == _columns_of(SegmentTable.of([]))


def _columns_of(table: SegmentTable) -> tuple[object, ...]:
    return (
        table.doc_ids,
        *((a.dtype.str, a.tolist()) for a in (table.bounds, table.start, table.end, table.block)),
    )


def test_a_bug_while_fingerprinting_one_document_costs_only_that_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The batch fails as a whole, then each document alone finds the one at fault."""
    real = pipeline.fingerprint_texts

    def fingerprint_texts(texts, table, opts):  # type: ignore[no-untyped-def]
        if "bad" in table.doc_ids:
            raise ValueError("a bug in fingerprinting")
        return real(texts, table, opts)

    monkeypatch.setattr(pipeline, "fingerprint_texts", fingerprint_texts)
    paragraph = " ".join(f"word{k}" for k in range(40))
    docs = [Document(id=k, text=f"{paragraph}\n\n{paragraph} more") for k in ("a", "b", "bad")]
    result = scan_documents(docs, ScanOptions())
    assert result.failures == (
        Failure("bad", "fingerprinting", "ValueError: a bug in fingerprinting"),
    )
    assert result.segments_of("bad") == ()
    assert len(result.segments_of("a")) == len(result.segments_of("b")) == 2
