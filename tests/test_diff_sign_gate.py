"""`_bare`'s gate to the `str.split` path: `_signs_end_runs` (one search, `_SIGN_IN_RUN`) finds
a figure whose percent sign does not end its whitespace run exactly when the definition,
figure by figure (`_by_figures`), says some sign does not, on sentences built of figures, signs in every
case and spacing, and the whitespace and punctuation around them."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from newsdedup.diff import _WHITESPACE, _percent_figures, _percent_sign, _signs_end_runs

_PIECES = st.sampled_from(
    ["5", "3.5", "10,5", "٣", "0.", ",", ".", "%", "％", " ", "  ", "\t", "\n", "\u00a0",
     "\u2003", "per cent", "percent", "PerCent", "PER CENT", "per  cent", "per centre",
     "percentage", "pct", "Pct", "pct.", "x", "ab", "The", "-", "—", "“", "”", '"', "$",
     "_", "é", "5%", "5%-", "5%.", "5 %", "5 pct", "5per", "5 per", "cent"]
)  # fmt: skip


def _by_figures(sentence: str) -> bool:
    """The definition: every figure with a percent sign ends its whitespace run with it."""
    n = len(sentence)
    return all(
        (end == n or sentence[end].isspace()) and not _WHITESPACE.search(sentence, start, end)
        for start, end in _percent_figures(sentence, 0, n)
    )


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
    assert _signs_end_runs(sentence) == (not _percent_sign(sentence) or _by_figures(sentence))
    assert _signs_end_runs(sentence) == _by_figures(sentence)  # no sign: no figure with one
