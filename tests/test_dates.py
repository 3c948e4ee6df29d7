"""Publication dates read the way a reader finds them: metadata, else a date line at the top."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdedup.dates import _human_date, html_date, normalize_date, page_date
from newsdedup.extract import extract_html, extract_plain

BODY = "\n\n".join(
    [
        "The central bank raised its benchmark interest rate by a quarter point on Tuesday.",
        "Policymakers said inflation in services remained stubbornly high this year.",
    ]
)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Feb 9, 2005 10:51 GMT", "2005-02-09T10:51:00+00:00"),
        ("Published 10 Jan 2026, 14:48", "2026-01-10T14:48:00"),
        ("Published: 2026-01-10T14:48:00Z", "2026-01-10T14:48:00+00:00"),
        ("Posted on Saturday, January 10, 2026", "2026-01-10"),
        ("By Jane Doe | Jan 10, 2026 · 3 min read", "2026-01-10"),
        ("Jan 10, 2026 at 2:30 pm EST", "2026-01-10T14:30:00-05:00"),
        ("10 janvier 2026 à 14h48", "2026-01-10T14:48:00+00:00"),
        ("Veröffentlicht am 12. März 2026, 10:15 Uhr", "2026-03-12T10:15:00+00:00"),
        ("Publicado el 3 de junio de 2024", "2024-06-03"),
    ],
)
def test_a_date_line_under_the_headline_is_the_pages_date(head: str, expected: str) -> None:
    text = f"SITE NAME\nHome | News | Sport\n\nRates rise again\n{head}\n\n{BODY}"
    assert page_date(text) == expected
    assert extract_plain(text).published == expected
    assert extract_plain(text).date_source == "page"


@pytest.mark.parametrize(
    "text",
    [
        # a date far down the page belongs to something else (an embedded post, a link)
        "Rates rise again\n\n" + "\n\n".join([BODY] * 5) + "\n\nRelated: Jan 10, 2026",
        # prose that mentions a date is not a date line
        "Rates rise again\n\nThe board, which met on Jan 10, 2026 in the capital, raised the rate "
        "by a quarter of a point for the third time this year.",
        # an update is after publication: no evidence of who was first
        "Rates rise again\nUpdated Jan 12, 2026 09:00 GMT\n\n" + BODY,
        # a year alone is not a date
        "Budget 2026 passes\n\n" + BODY,
    ],
)
def test_dates_that_are_not_the_articles_are_not_read(text: str) -> None:
    assert page_date(text) is None


def test_a_digest_line_gives_the_date_in_its_header() -> None:
    line = (
        "Morning Digest - July 3, 2005 22:47 GMT | Today's top stories: [1] Immigration to be "
        "election issue. Immigration and asylum have normally been issues politicians avoid."
    )
    assert page_date(line) == "2005-07-03T22:47:00+00:00"


@pytest.mark.parametrize(
    "value",
    [
        "Feb 9, 2005 10:51 GMT",
        "10 Jan 2026, 14:48",
        "April 11, 2005 09:06 UTC",
        "Saturday, January 10, 2026",
        "Jan 10, 2026 at 2:30 pm EST",
        "10 January 2026 14:48 +05:30",
        "Sept 3, 2005",
    ],
)
def test_the_fast_english_reading_agrees_with_dateparser(value: str) -> None:
    """The month-name forms are read without dateparser (a hundred times cheaper): the same
    instant either way (no zone means UTC)."""
    fast, slow = normalize_date(value), _human_date(value)
    assert fast is not None and slow is not None
    assert _instant(fast) == _instant(slow)


def _instant(value: str) -> str:
    import datetime as dt

    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).isoformat()


def test_html_metadata_first_then_markup_from_the_pages_own_url_never_the_canonical() -> None:
    page = (
        '<html><head><meta property="og:url" content="https://copy.example/2005/08/13/story">'
        '<link rel="canonical" href="https://source.example/2005/08/11/story"></head>'
        "<body><article><h1>Story</h1><p>" + BODY + "</p></article></body></html>"
    )
    found = extract_html(page)
    assert found.published == "2005-08-13" and found.date_source == "markup"
    with_meta = page.replace(
        "<head>", '<head><meta property="article:published_time" content="2005-08-12T10:00:00Z">'
    )
    assert extract_html(with_meta).published == "2005-08-12T10:00:00+00:00"
    assert extract_html(with_meta).date_source == "metadata"
    assert html_date("<html><p>no date</p></html>", None) is None


@given(st.text(max_size=400))
def test_any_text_reads_as_a_date_or_none(text: str) -> None:
    """A line that cannot be read is no date, never an error."""
    found = page_date(text)
    assert found is None or normalize_date(found) is not None


def test_the_days_a_page_gives_itself() -> None:
    import datetime as dt

    from newsdedup.dates import contradicted, month_day, url_day

    assert url_day("https://x.example/2005/06/18/story") == dt.date(2005, 6, 18)
    assert url_day("https://x.example/news/2005-6-8-story") == dt.date(2005, 6, 8)
    assert url_day("https://x.example/2005/13/40/story") is None
    assert url_day(None) is None and url_day("https://x.example/story-2005") is None
    assert month_day("Oct", "8", 2005) == dt.date(2005, 10, 8)
    assert month_day("Sept.", "31", 2005) is None and month_day("Foo", "1", 2005) is None
    day = dt.date(2026, 1, 12)
    noon = dt.datetime(2026, 1, 12, 12, tzinfo=dt.timezone.utc).timestamp()
    assert not contradicted((noon, noon), day)
    two_days_before = noon - 2 * 86400
    assert contradicted((two_days_before, two_days_before), day)
    # half a day before the local day is a time zone (Auckland is ahead of UTC), not an error
    assert not contradicted((noon - 86400, noon - 86400), day)
    # a copy published days after its dateline is ordinary; days after its URL's day is not
    later = noon + 3 * 86400
    assert contradicted((later, later), day) and not contradicted(
        (later, later), day, before_only=True
    )
