"""`diff._key`'s cheaper reads (a token of letters skips the digit scan, the currency signs
found by one pattern) against their definitions, character by character, on words built of
letters, digits of several scripts, currency signs, percent signs and punctuation."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from newsdedup.diff import _DIGITS, _GROUPING, _MONTHS, _PERCENT, _fold, _key
from newsdedup.fingerprint import fold_spelling, tokens

_CURRENCY = frozenset("$€£¥")
_PARTS = st.sampled_from(
    ["a", "Z", "é", "ß", "colour", "January", "sept", "5", "٣", "²", "①", "½", "Ⅻ", ",", ".",
     "'", "-", "$", "€", "£", "¥", "₹", "%", " per cent", "pct", "bn", "ǅ", "ª", "〇", "x"]
)  # fmt: skip


def _fold_scan(token: str) -> str:
    """`_fold` as defined: every token scanned for a digit."""
    if any(ch.isdigit() for ch in token):
        return _GROUPING.sub("", token)
    if token in _MONTHS:
        return _MONTHS[token]
    return fold_spelling(token)


def _key_scan(raw: str) -> str:
    """`_key` as defined: currency signs kept character by character."""
    if _PERCENT.search(raw) and (m := _DIGITS.search(raw)):
        return _GROUPING.sub("", m.group()) + "%"
    folded = [_fold_scan(t) for t in tokens(raw)]
    if not folded:
        return ""
    return "".join(ch for ch in raw if ch in _CURRENCY) + " ".join(folded)


@given(st.lists(_PARTS, min_size=1, max_size=8).map("".join))
@example("$4.35")
@example("€5bn")
@example("£1,000")
@example("²")
@example("¥$3")
def test_a_words_key_reads_as_its_definition(raw: str) -> None:
    assert _key(raw) == _key_scan(raw)
    for token in tokens(raw):
        assert _fold(token) == _fold_scan(token)


def test_no_letter_is_a_digit() -> None:
    """What `_fold`'s shortcut rests on, over every code point."""
    both = [c for c in map(chr, range(0x110000)) if c.isalpha() and c.isdigit()]
    assert both == []
