from __future__ import annotations

import itertools

import numpy as np
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st

from newsdedup.chrome import chrome_flags, reads_as_chrome
from newsdedup.fingerprint import (
    FingerprintOptions,
    _unicode_tokens,
    fingerprint,
    shingle_hashes,
    tokens,
)
from newsdedup.records import Segment


def _seg(i: int, text: str) -> Segment:
    return Segment(doc_id="d", index=i, start=0, end=len(text), text=text)


def test_normalisation_removes_house_style_differences() -> None:
    a = tokens("The U.S. economy “grew” 2.5% — analysts’ view")
    b = tokens('The US economy "grew" 2.5% - analysts\' view')
    assert a == b == ["the", "us", "economy", "grew", "2.5", "analysts", "view"]


_MIXED = st.sampled_from(
    [
        *"aZ09 .,'-_!?\n\t",
        *("U.S.", "e.g.", "colour", "\u2019", "\u201c", "\u2014", "\u2033", "\u00a0", "\u200b"),
        *("\u20ac", "\u00a9", "\U0001f525", "\ufb01", "\u212a", "\u2190", "\u0338", "\u0301"),
        *("\u00e9", "\u00df", "\u0130", "\u2028", "\x85", "\u00bd"),
    ]
)


@given(st.lists(_MIXED, max_size=60).map("".join))
def test_the_ascii_path_finds_the_tokens_of_the_full_unicode_path(text: str) -> None:
    assert tokens(text) == _unicode_tokens(text)


@given(st.lists(st.lists(_MIXED, max_size=30).map("".join), max_size=8))
def test_batched_chrome_flags_match_one_text_at_a_time(texts: list[str]) -> None:
    cues = itertools.cycle(["", " cookie", "The post x appeared on y"])
    texts = [text + cue for text, cue in zip(texts, cues, strict=False)]
    assert chrome_flags(texts).tolist() == [reads_as_chrome(t) for t in texts]


def test_shingles_are_stable_and_order_sensitive() -> None:
    words = ["one", "two", "three", "four", "five", "six"]
    first = shingle_hashes(words, 5)
    assert len(first) == 2 and first.dtype == np.uint32
    assert np.array_equal(first, shingle_hashes(list(words), 5))
    assert not np.array_equal(first, shingle_hashes(words[::-1], 5))
    assert len(shingle_hashes(words[:4], 5)) == 0


def test_signatures_are_bit_identical_to_datasketch() -> None:
    texts = [" ".join(f"word{(i * 7 + j) % 97}" for j in range(20 + i * 13)) for i in range(40)] + [
        "too short"
    ]
    opts = FingerprintOptions()
    fp = fingerprint([_seg(i, t) for i, t in enumerate(texts)], opts)
    assert not fp.indexed[-1]
    for row in range(len(texts) - 1):
        reference = MinHash(num_perm=opts.num_perm, seed=opts.seed, hashfunc=lambda v: v)
        reference.update_batch([int(h) for h in fp.shingle_set(row)])
        assert np.array_equal(reference.hashvalues, fp.signatures[row])
        lean = fp.lean_minhash(row, opts)
        assert lean.jaccard(lean) == 1.0


@given(st.lists(st.text(min_size=1, max_size=40), min_size=8, max_size=60))
def test_a_segment_always_matches_itself(words: list[str]) -> None:
    text = " ".join(words)
    fp = fingerprint([_seg(0, text), _seg(1, text)], FingerprintOptions())
    alone = fingerprint([_seg(0, text)], FingerprintOptions())
    assert np.array_equal(fp.signatures[0], fp.signatures[1])
    assert np.array_equal(fp.shingle_set(0), fp.shingle_set(1))
    assert np.array_equal(fp.shingle_set(1), alone.shingle_set(0))


_WORDS = (
    *("minister", "bank", "rates", "growth", "export", "harbour", "storm", "vote", "court"),
    *("trial", "league", "coach", "season", "market", "shares", "profit", "energy", "grid"),
    *("vaccine", "hospital", "election", "budget", "treaty", "drought", "river", "bridge"),
    *("factory", "strike", "union", "police", "border", "summit", "climate", "satellite"),
)


@given(
    st.lists(
        # Distinct words: a paragraph of one word repeated has a single shingle, too few to
        # verify (min_shared), as hypothesis found; real paragraphs are not like that.
        st.lists(st.sampled_from(_WORDS), min_size=25, max_size=35, unique=True),
        min_size=2,
        max_size=6,
    )
)
def test_an_article_published_twice_is_one_story(paragraphs: list[list[str]]) -> None:
    from newsdedup.pipeline import ScanOptions, scan_documents
    from newsdedup.records import Document

    text = "\n\n".join(" ".join(words).capitalize() + "." for words in paragraphs)
    result = scan_documents(
        [Document(id="a", text=text), Document(id="b", text=text)], ScanOptions(diffs=False)
    )
    assert any({v.version.doc_id for v in s.versions} == {"a", "b"} for s in result.stories)
