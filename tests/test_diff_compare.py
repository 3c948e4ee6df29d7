"""`diff._compare` reads a group's words as tuples (a side of one sentence: its own, not
copied): the same change, number notes and style edits as the definition below, which joins
every side's words into lists, on groups of one to three sentences a side whose words differ
in substance, in style (edge punctuation, case, quote marks), in figures and in credits."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from newsdedup.diff import (
    Change,
    Note,
    _compare,
    _edit,
    _Group,
    _numeric,
    _opcodes,
    _passage,
    _Piece,
    _restyled,
    _Sentence,
    _Side,
    _style_label,
    _Words,
)

# (raw, key): the same key in several raws (a style edit), figures, a credit's words
_WORDS = st.sampled_from(
    [
        ("said", "said"), ("said,", "said"), ("Said", "said"), ("the", "the"), ("The", "the"),
        ("5%", "5%"), ("5 per cent", "5%"), ("6%", "6%"), ("2030", "2030"), ("rose", "rose"),
        ("“quoted”", "quoted"), ('"quoted"', "quoted"), ("Reuters", "reuters"), ("-", "-"),
        ("colour", "color"), ("color", "color"), ("jan", "jan"), ("January", "jan"),
    ]
)  # fmt: skip
_SENTENCE = st.lists(st.tuples(_WORDS, st.booleans()), min_size=1, max_size=8)
_SIDE = st.lists(_SENTENCE, min_size=1, max_size=3)


def _side(sentences: list[list[tuple[tuple[str, str], bool]]]) -> _Side:
    rows, at = [], 0
    for words in sentences:
        raws = tuple(raw for (raw, _), _ in words)
        width = len(" ".join(raws))
        w = _Words(tuple(k for (_, k), _ in words), raws, tuple(c for _, c in words))
        rows.append(_Sentence(0, at, at + width, 0, 0, False, w))
        at += width + 1
    text = " ".join(" ".join(s.words.raws) for s in rows)
    return _Side([_Piece(0, 0, len(text), text, [])], rows)


def _compare_lists(
    g: _Group, c: _Side, p: _Side, notes: list[Note], style: Counter[tuple[str, str]]
) -> Change | None:
    """`_compare` as it was: each side's words joined into lists."""
    before = [p.sentences[j].words for j in g.ps]
    after = [c.sentences[i].words for i in g.cs]
    braw, araw = [x for w in before for x in w.raws], [x for w in after for x in w.raws]
    if braw == araw:
        return None
    bk, ak = [x for w in before for x in w.keys], [x for w in after for x in w.keys]
    bc, ac = [x for w in before for x in w.credit], [x for w in after for x in w.credit]
    edits: list[tuple[str, str]] = []
    numbers: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(bk, ak):
        if tag == "equal":
            was, now = braw[i1:i2], araw[j1:j2]
            if was != now:
                pairs = zip(was, now, strict=True)
                style.update(_style_label(x, y) for x, y in pairs if x != y and _restyled(x, y))
            continue
        if all(bc[i1:i2]) and all(ac[j1:j2]):
            continue
        edit = (" ".join(braw[i1:i2]), " ".join(araw[j1:j2]))
        edits.append(edit)
        if any(_numeric(k) for k in bk[i1:i2] + ak[j1:j2]):
            numbers.append(edit)
    if numbers:
        b_numbers = [k for k, x in zip(bk, bc, strict=True) if not x and _numeric(k)]
        a_numbers = [k for k, x in zip(ak, ac, strict=True) if not x and _numeric(k)]
        if b_numbers != a_numbers:
            notes.extend(Note("number-changed", _edit(e)) for e in numbers)
    if not edits:
        return None
    return Change(_passage(p, g.ps), _passage(c, g.cs), tuple(edits))


@given(_SIDE, _SIDE)
def test_a_group_compares_as_its_words_joined_into_lists(
    before: list[list[tuple[tuple[str, str], bool]]],
    after: list[list[tuple[tuple[str, str], bool]]],
) -> None:
    p, c = _side(before), _side(after)
    for ps, cs in ((range(len(before)), range(len(after))), ([0], [0])):
        group = _Group(list(cs), list(ps), 0)
        notes: list[Note] = []
        style: Counter[tuple[str, str]] = Counter()
        found = _compare(group, c, p, notes, style)
        plain_notes: list[Note] = []
        plain_style: Counter[tuple[str, str]] = Counter()
        assert found == _compare_lists(group, c, p, plain_notes, plain_style)
        assert (notes, style) == (plain_notes, plain_style)
