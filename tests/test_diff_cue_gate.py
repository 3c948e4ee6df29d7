"""Attributions read behind the automaton's gate (`cues.attribution_matches`: the pattern only
where one pass finds a cue word, as the diff and provenance read them) are the pattern's matches
over the whole text (`attributions_in`), on texts built of every cue word in several cases,
pieces of them, the pattern's openers and the characters that lower-case unevenly."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from newsdedup.provenance.cues import ATTRIBUTION_CUES, attribution_matches, attributions_in

_WORDS = st.sampled_from(
    [
        *ATTRIBUTION_CUES,
        *(c.upper() for c in ATTRIBUTION_CUES),
        *(c.title() for c in ATTRIBUTION_CUES),
        *(c[: len(c) // 2] for c in ATTRIBUTION_CUES),
        *(c[len(c) // 2 :] for c in ATTRIBUTION_CUES),
        *("Source:", "Via:", "Credit :", "Originally published on", "first appeared on"),
        *("according to", "the", "Reuters", "AP", "BBC News", "d'après", "d’après", "l’agence"),
        *("ſource", "İ", "ı", "APRÈS", "SEGÚN", "\ud800", "é", "x", "."),
    ]
)
_GLUE = st.sampled_from([" ", "", "\n", ", ", ": "])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, max_size=12))
    return "".join(w + draw(_GLUE) for w in words)


def _found(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


@given(_texts())
@example("According to Reuters, prices rose.")
@example("Source: The Guardian")
@example("The post first appeared on Example News.")
@example("no cue at all here")
@example("a lone \ud800 surrogate, according to AP")
@example("SELON L’AGENCE France")
def test_the_automaton_gate_reads_what_attribution_matches_reads(text: str) -> None:
    assert _found(attribution_matches(text)) == _found(attributions_in(text))


# One text for each form of ATTRIBUTION, most holding a single cue: a gate that missed a cue
# would lose its match.
_FORMS = (
    *("Source: AP", "Via: AP", "Originally published on AP", "Credit: AP"),
    *("It first appeared on example.com", "first published in The Times"),
    *("originally appeared on example.com", "Read the full story at example.com"),
    *("See the whole article on Example", "continue reading the original article at x.com"),
    *("read more of the rest of the story at x.com", "according to Reuters", "as per Reuters"),
    *("citing Reuters", "cited by Reuters", "as reported by Reuters", "selon l'agence AFP"),
    *("d'après AFP", "d’après AFP", "laut dpa", "según EFE", "SEGÚN la agencia EFE"),
)


def test_each_form_of_attribution_is_read() -> None:
    for form in _FORMS:
        for text in (form, f"Prices rose.\n{form}.\nNext line"):
            found = _found(attribution_matches(text))
            assert found, text
            assert found == _found(attributions_in(text))
