"""`diff._runs` (only an open run closed, a side without flags skipped) against its
definition, which asks every keyed sentence whether the run ends there, on sentences of
several pieces, chrome and bare marks, flagged at random."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsdedup.diff import Passage, _passage, _Piece, _runs, _Sentence, _Side, _Words

_ROW = st.tuples(st.integers(0, 2), st.booleans(), st.booleans(), st.booleans())


def _runs_each(side: _Side, flags: list[bool]) -> list[tuple[Passage, bool]]:
    """`_runs` as defined: a run closes at every keyed sentence not flagged, or standing in
    another piece or chrome than the run's first."""
    out: list[tuple[Passage, bool]] = []
    run: list[int] = []

    def close() -> None:
        if run:
            out.append((_passage(side, run), side.sentences[run[0]].boiler))
            run.clear()

    for n, (s, flag) in enumerate(zip(side.sentences, flags, strict=True)):
        if not s.words.keys:
            continue
        first = side.sentences[run[0]] if run else None
        if not flag or (first is not None and (first.piece, first.boiler) != (s.piece, s.boiler)):
            close()
        if flag:
            run.append(n)
    close()
    return out


@given(st.lists(_ROW, max_size=14))
def test_runs_are_the_runs_of_the_definition(rows: list[tuple[int, bool, bool, bool]]) -> None:
    """rows: (piece, chrome, keyed, flagged) per sentence, pieces in ascending order."""
    rows = sorted(rows, key=lambda r: r[0])
    text = "".join(f"s{n:02d}. " for n in range(len(rows)))
    pieces = [_Piece(0, 0, len(text), text, [])] * 3
    keyed, bare = _Words(("w",), ("w",), (False,)), _Words((), (), ())
    sentences = [
        _Sentence(piece, 5 * n, 5 * n + 4, n, piece, boiler, keyed if has_keys else bare)
        for n, (piece, boiler, has_keys, _) in enumerate(rows)
    ]
    side = _Side(pieces, sentences)
    flags = [flag for *_, flag in rows]
    assert _runs(side, flags) == _runs_each(side, flags)
