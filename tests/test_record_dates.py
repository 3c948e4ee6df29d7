"""A JSON record's own date beats its page's, so a record that has one is not searched for
another (`page_date`, `htmldate`): the same documents and notices as reading every record
whole, where the page's date was found and then dropped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup import extract, ingest

_LINES = st.sampled_from(
    [
        "Markets rally as rates fall",
        "January 17, 2026",
        "Published: 2026-02-03",
        "Updated 2026-03-01 10:00",
        "By Staff | 5 March 2025",
        "BERLIN, Jan 17 (Reuters) - Ticket sales in Berlin gained 21.7% this year.",
        "",
    ]
)
_TEXT = st.lists(_LINES, max_size=5).map("\n".join)
_PUBLISHED = st.sampled_from(
    [None, "2026-01-10", "2026-01-10T10:00:00+02:00", " 2026-01-10 ", "not a date", "", 20260110]
)
_HTML = st.sampled_from(
    [
        None,
        "<html><body><article><p>{}</p></article></body></html>",
        '<html><head><meta property="article:published_time" content="2024-05-06"></head>'
        "<body><article><p>{}</p></article></body></html>",
        '<html><head><meta property="article:published_time" content="soon"></head>'
        "<body><article><time datetime='2023-01-02'>x</time><p>{}</p></article></body></html>",
    ]
)


def _whole(record: dict[str, object]) -> list[object]:
    """`_record` as it read before: the page searched for a date whatever the record has."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            ingest, "extract_plain", lambda text, published=None: extract.extract_plain(text)
        )
        patch.setattr(
            ingest, "extract_html", lambda html, published=None: extract.extract_html(html)
        )
        return ingest._record(record, "f.jsonl:1", "f.jsonl#1", "f.jsonl", "jsonl")


@settings(max_examples=25, deadline=None)
@given(_TEXT, _PUBLISHED, _HTML, st.booleans())
def test_a_record_with_its_own_date_reads_as_read_whole(
    text: str, published: object, html: str | None, with_text: bool
) -> None:
    record: dict[str, object] = {"id": "a", "published": published}
    if with_text or html is None:
        record["text"] = text
    if html is not None:
        record["html"] = html.format(text.replace("\n", " ") or "Body words here.")
    assert ingest._record(record, "f.jsonl:1", "f.jsonl#1", "f.jsonl", "jsonl") == _whole(record)


def test_a_record_without_a_usable_date_takes_its_page_date() -> None:
    for published in (None, "not a date"):
        record = {"id": "a", "text": "Headline\nJanuary 17, 2026\n\nBody.", "published": published}
        [document, *_] = ingest._record(record, "w", "f#1", "f", "jsonl")
        assert isinstance(document, ingest.Document)
        assert (document.published, document.date_source) == ("2026-01-17", "page")
