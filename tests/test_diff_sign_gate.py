"""`_bare`'s gate to the `str.split` path: `_SIGN_IN_RUN` (one search) finds a figure whose
percent sign does not end its whitespace run exactly when `_signs_end_runs` (the definition,
figure by figure) says some sign does not, on sentences built of figures, signs in every
case and spacing, and the whitespace and punctuation around them."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from newsdedup.diff import _SIGN_IN_RUN, _no_sign, _percent_sign, _signs_end_runs

_PIECES = st.sampled_from(
    ["5", "3.5", "10,5", "٣", "0.", ",", ".", "%", "％", " ", "  ", "\t", "\n", "\u00a0",
     "\u2003", "per cent", "percent", "PerCent", "PER CENT", "per  cent", "per centre",
     "percentage", "pct", "Pct", "pct.", "x", "ab", "The", "-", "—", "“", "”", '"', "$",
     "_", "é", "5%", "5%-", "5%.", "5 %", "5 pct", "5per", "5 per", "cent"]
)  # fmt: skip


def _gate(sentence: str) -> bool:
    """The gate as `_bare` reads it."""
    return _no_sign(sentence) or not _SIGN_IN_RUN.search(sentence)


@given(st.lists(_PIECES, max_size=24).map("".join))
@example("rose 5%.")
@example("rose 5 per cent")
@example("a 5%-owned unit")
@example("Exports rose 5.2% in May and 3% in June")
@example("5 percentage points")
@example("5percent_")
@example("5pct")
@example("rose 5per cent")
@example("a 5.%-owned unit")
def test_one_search_finds_a_sign_inside_a_run_as_the_figures_do(sentence: str) -> None:
    assert _gate(sentence) == (not _percent_sign(sentence) or _signs_end_runs(sentence))
    assert _gate(sentence) == _signs_end_runs(sentence)  # no sign: no figure with one
