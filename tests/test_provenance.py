"""Provenance rules on small, readable cases: credits, attributions, dates, copy of a copy."""

from __future__ import annotations

import itertools
from unittest import mock

import numpy as np
import pytest
from helpers import doc, run
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.evaluate import CONFIDENT
from newsdedup.cluster import Version
from newsdedup.fingerprint import FingerprintOptions, fingerprint
from newsdedup.provenance import (
    ATTRIBUTION,
    WIRE_CREDIT,
    attribution_matches,
    credit_agency,
    credit_matches,
    matrices,
)
from newsdedup.provenance.cues import after_dateline, source_matches
from newsdedup.provenance.evidence import _attributions, _pointers, names_a_source
from newsdedup.provenance.matrices import _VARIANT_FLOOR, Columns, Overlap, PageHeld
from newsdedup.provenance.scores import _before
from newsdedup.provenance.sites import _copyright_holders, goes_by
from newsdedup.provenance.tree import (
    _FREE_ORDER_MAX,
    AMBIGUOUS_MARGIN,
    MAX_CANDIDATES,
    Choices,
    best_tree,
    candidate_parents,
    other_parents,
)
from newsdedup.records import Document
from newsdedup.segment import segment

# Words of the credit and attribution forms, in any case, among ordinary words and line ends.
_CREDIT_PARTS = (
    *("(Reuters) -", "(AP) —", "— AFP", "-- dpa", "Reporting by", "With assistance from"),
    *("By Jane Smith, PA", "Press Association", "Bloomberg News", "Source:", "Via:", "Credit:"),
    *("first appeared on", "first published in", "Originally published by", "according to"),
    *("as per", "citing", "cited by", "as reported by", "report by"),
    *("The", "Times", "example.com", "said", ";", "(", ")", "-", "\n", " ", "Lin", "2026"),
)


def test_credit_and_attribution_gates_drop_no_match() -> None:
    """The cheap word checks before the two patterns skip only texts the patterns cannot
    match: every run of three parts, as written and in capitals."""
    for parts in itertools.product(_CREDIT_PARTS, repeat=3):
        for text in (" ".join(parts), " ".join(parts).upper()):
            spans = [m.span() for m in WIRE_CREDIT.finditer(text)]
            assert [m.span() for m in credit_matches(text)] == spans, text
            spans = [m.span() for m in ATTRIBUTION.finditer(text)]
            assert [m.span() for m in attribution_matches(text)] == spans, text


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("BEIJING, Jan 10 (Reuters) - China can narrow the gap.", "Reuters"),
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", "AP"),
        ("PARIS (AFP) - Farmers blocked roads.", "AFP"),
        ("BERLIN (dpa) - The coalition agreed a budget.", "dpa"),
        ("By Jane Smith, PA\nThe minister resigned.", "PA"),
        ("--With assistance from Alex Wong.", "Bloomberg"),
        ("(Reporting by Laurie Chen; Editing by Emelia Sithole-Matarise)", "Reuters"),
        ("The bank said profits rose in the third quarter.", None),
    ],
)
def test_wire_credits_of_six_agencies(text: str, agency: str | None) -> None:
    assert credit_agency(text) == agency


def test_attribution_lines_name_sources_but_not_the_own_agency() -> None:
    page = Document(id="p", text="")
    text = "Output rose, Reuters reported.\nSource: https://www.example.com/story\nAs per a Bloomberg report, prices fell."
    assert _attributions(text, page, None) == (
        "bloomberg",
        "https://www.example.com/story",
        "reuters",
    )
    assert "reuters" not in _attributions(text, page, "Reuters")


PARAGRAPHS = [
    "The central bank raised its benchmark interest rate by a quarter of a percentage point on Tuesday, its third increase this year, citing stubborn inflation.",
    "Policymakers said inflation in services remained high while the labour market stayed tight and wage growth showed few signs of slowing down soon.",
    "Two members of the nine-person committee voted to keep rates unchanged, arguing that earlier increases had yet to work through the wider economy.",
    "Markets had largely priced in the move, and the currency was little changed against the dollar in late trading after the announcement was made.",
]


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_copy_of_a_copy_points_at_the_copy_it_came_from() -> None:
    wire = _text("LONDON, March 3 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:])
    edited = [p.replace("Tuesday", "Wednesday").replace("wider", "broader") for p in PARAGRAPHS]
    first_copy = _text(*edited)
    second_copy = _text(*edited, "Source: firstcopy.example.com")
    result = run(
        Document(id="wire", text=wire, published="2026-03-03T09:00:00"),
        Document(
            id="first",
            text=first_copy,
            site="firstcopy.example.com",
            published="2026-03-03T11:00:00",
        ),
        Document(id="second", text=second_copy, published="2026-03-03T15:00:00"),
    )
    (story,) = result.stories
    parents = {v.version.doc_id: (v.parent.doc_id if v.parent else None) for v in story.versions}
    assert parents == {"wire": None, "first": "wire", "second": "first"}
    second = next(v for v in story.versions if v.version.doc_id == "second")
    assert any(e.kind == "attribution" for e in second.evidence)


MORE = [
    "The bank's governor told reporters that further increases could not be ruled out if price pressures in the service sector failed to ease over the coming months.",
    "Business groups warned that higher borrowing costs would weigh on investment plans, while unions said households already squeezed by rents would bear the brunt.",
]


def _parents(*docs: Document) -> dict[str, str | None]:
    (story,) = run(*docs).stories
    return {v.version.doc_id: (v.parent.doc_id if v.parent else None) for v in story.versions}


def test_the_copyright_line_names_the_site_but_never_an_agency() -> None:
    assert list(_copyright_holders("© 2026 The Market Pulse. All rights reserved.")) == [
        "The Market Pulse",
        "Market Pulse",
    ]
    assert list(_copyright_holders("Copyright 2019-2026 Daily Ledger | Privacy")) == [
        "Daily Ledger"
    ]
    assert not list(_copyright_holders("Copyright © 2026 Thomson Reuters. All rights reserved"))
    assert not list(_copyright_holders("copyright laws apply"))


@pytest.mark.parametrize(
    ("masthead", "source"),
    [
        # the named site's whole name, shown only in the first copy's copyright line
        ("Market Pulse 24", "https://www.marketpulse24.com/2026/03/03/rates"),
        # the domain is the site's name cut short ("TechBeat Daily")
        ("TechBeat Daily", "https://techbeat.example/2026/03/03/rates"),
    ],
)
def test_a_source_url_names_a_text_page_by_its_copyright_line(masthead: str, source: str) -> None:
    """Two copies of the wire, word for word; the second names the first's site in its
    Source line, and the first says who it is only in its copyright line."""
    wire = _text("LONDON, March 3 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:])
    copy = _text(wire, f"© 2026 {masthead}. All rights reserved.")
    recopy = _text(wire, f"Source: {source}")
    parents = _parents(
        Document(id="wire", text=wire, published="2026-03-03T09:00:00"),
        Document(id="copy", text=copy, published="2026-03-03T10:00:00"),
        Document(id="recopy", text=recopy, published="2026-03-03T12:00:00"),
    )
    assert parents == {"wire": None, "copy": "wire", "recopy": "copy"}


def test_a_site_goes_by_the_start_of_its_name_but_not_by_a_short_one() -> None:
    assert goes_by("techbeat", frozenset({"techbeatdaily"}))
    assert not goes_by("bbc", frozenset({"bbcnews"}))  # too short to be a name's start
    assert not goes_by("techbeatdaily", frozenset({"techbeat"}))


@pytest.mark.parametrize(
    ("first_date", "second_date"),
    [(None, None), ("2026-03-03", "2026-03-03"), (None, "2026-03-03T12:00:00")],
)
def test_a_copy_reading_a_paragraph_as_the_wire_does_was_not_taken_from_one_that_reworded_it(
    first_date: str | None, second_date: str | None
) -> None:
    """The first copy rewords two paragraphs; the second keeps those and rewords a third
    itself. The first holds all of the second's wording but one paragraph, which it reads as
    the wire does: it was not taken from the second (whose own readings it lacks), the
    second was taken from it, whatever their dates leave open."""
    wire = [*PARAGRAPHS, *MORE]
    first = [p.replace("labour market", "jobs market") for p in wire]
    first = [p.replace("investment plans", "spending plans") for p in first]
    second = [p.replace("wider economy", "broader economy") for p in first]
    parents = _parents(
        Document(
            id="wire",
            text=_text("LONDON (Reuters) - " + wire[0], *wire[1:]),
            published="2026-03-03T09:00:00",
        ),
        Document(id="first", text=_text(*first), published=first_date),
        Document(id="second", text=_text(*second), published=second_date),
    )
    assert parents == {"wire": None, "first": "wire", "second": "first"}


def test_read_the_full_story_names_the_excerpts_source_not_the_origin() -> None:
    assert _pointers("Read the full story at Market Pulse.\nSee more") == {"market pulse"}
    # uncredited, the first text and its repost differ only by the repost's masthead
    wire = _text(*PARAGRAPHS, *MORE)
    copy = _text("MARKET PULSE", wire, "© 2026 Market Pulse. All rights reserved.")
    excerpt = _text(*PARAGRAPHS[:2], "Read the full story at Market Pulse.")
    parents = _parents(
        Document(id="wire", text=wire, published="2026-03-03T09:00:00"),
        Document(id="copy", text=copy, published="2026-03-03T10:00:00"),
        Document(id="excerpt", text=excerpt, published="2026-03-03T12:00:00"),
    )
    # the page pointed to is the excerpt's parent
    assert parents == {"wire": None, "copy": "wire", "excerpt": "copy"}


def test_a_copy_that_reads_word_for_word_as_another_copy_was_taken_from_it() -> None:
    """Two excerpts dropped the wire's dateline, as copies do each on their own: that alone
    does not make the second a copy of the first (the wire holds every paragraph it kept).
    When the first also changed a word the second carries, the second reads as the first,
    word for word, and as no other page. A full repost makes the wire's version the whole
    text, of which an excerpt is a part."""
    wire = _text("LONDON, March 3 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:], *MORE)
    edited = PARAGRAPHS[1].replace("said", "stated")
    for second, parent in ((PARAGRAPHS[1], "wire"), (edited, "copy")):
        parents = _parents(
            Document(id="wire", text=wire, published="2026-03-03T09:00:00"),
            Document(id="repost", text=wire, published="2026-03-03T09:30:00"),
            Document(id="copy", text=_text(PARAGRAPHS[0], edited), published="2026-03-03T10:00"),
            Document(id="recopy", text=_text(PARAGRAPHS[0], second), published="2026-03-03T12:00"),
        )
        assert parents == {"wire": None, "repost": "wire", "copy": "wire", "recopy": parent}


@pytest.mark.parametrize(
    ("paragraph", "kept"),
    [
        ("LONDON, March 3 (Reuters) - The bank raised rates.", "The bank raised rates."),
        (
            "(Bloomberg) -- British children enjoy the highest income.",
            "British children enjoy the highest income.",
        ),
        ("BERLIN (dpa) — Die Bank hob die Zinsen an.", "Die Bank hob die Zinsen an."),
        (PARAGRAPHS[0] + " (Reuters) - more.", PARAGRAPHS[0] + " (Reuters) - more."),
        ("The bank raised rates, Reuters reported.", "The bank raised rates, Reuters reported."),
    ],
)
def test_a_paragraph_reads_as_it_does_after_its_dateline(paragraph: str, kept: str) -> None:
    assert after_dateline(paragraph) == kept


def _at(doc_id: str, hour: int, text: str, site: str | None = None) -> Document:
    """A page published on 3 March 2026 at `hour`:00."""
    return Document(id=doc_id, text=text, site=site, published=f"2026-03-03T{hour:02d}:00:00")


def test_the_wording_a_copy_carries_outranks_the_agency_its_credit_line_names() -> None:
    """A rewording copy runs first; a later page reposts it word for word but credits the
    agency ("originally published by dpa"). Its text says it was taken from the rewording,
    its credit line names where the story first ran."""
    wire = _text("BERLIN (dpa) - " + PARAGRAPHS[0], *PARAGRAPHS[1:], *MORE)
    reworded = [
        p.replace("Tuesday", "Wednesday").replace("wider", "broader").replace("said", "stated")
        for p in (*PARAGRAPHS, *MORE)
    ]
    repost = _text(*reworded, "This article was originally published by dpa.")
    parents = _parents(
        _at("wire", 9, wire, site="dpa"),
        _at("rewording", 11, _text(*reworded)),
        _at("repost", 15, repost),
    )
    assert parents == {"wire": None, "rewording": "wire", "repost": "rewording"}


def test_a_source_line_naming_the_copys_own_site_points_at_the_page_it_was_carried_from() -> None:
    """The wire's own site reposts a copy that named the wire's site as its source: the line
    names the repost's own site, so it says only that the repost carried it from the copy
    bearing the same line, not that it was taken from its own site's page."""
    wire = _text(*PARAGRAPHS, *MORE)
    source = "Source: https://www.globalnews.com/2026/03/03/rates"
    parents = _parents(
        _at("wire", 9, wire, site="globalnews.com"),
        _at("copy", 10, _text(wire, source, "© 2026 Metro Bulletin. All rights reserved.")),
        _at("repost", 12, _text(wire, source, "© 2026 Global News. All rights reserved.")),
    )
    assert parents == {"wire": None, "copy": "wire", "repost": "copy"}


def test_a_copy_carrying_another_sites_name_in_its_furniture_was_taken_from_that_site() -> None:
    """Two reposts of the wire, word for word; a third page carries the second's disclaimer,
    naming it: that page is where it was taken from, though the first is older."""
    wire = _text(*PARAGRAPHS, *MORE)
    disclaimer = "Disclaimer: the views expressed do not reflect the position of Market Pulse 24."

    def reposted(site: str, *lines: str) -> str:  # masthead, text, furniture, copyright
        return _text(site.upper(), wire, *lines, f"© 2026 {site}. All rights reserved.")

    parents = _parents(
        _at("wire", 9, wire),
        _at("early", 10, reposted("Daily Ledger")),
        _at("pulse", 11, reposted("Market Pulse 24", disclaimer)),
        _at("later", 12, reposted("Syndicate Times", disclaimer)),
    )
    assert parents["later"] == "pulse"


def test_a_page_crediting_a_site_was_not_where_that_sites_page_came_from() -> None:
    """Global Newsdesk ran the wire on 1 March (without its dateline) and, undated, an edit of
    it (last paragraph cut); a page dated 3 March carries the edit word for word with a Source link to
    Global Newsdesk's story of 3 March (a rewording, which its text overrules). The text alone
    cannot tell the edit and the dated page apart, and the dated one would win on its date;
    the credit can: the page naming Global Newsdesk as its source is the copy, not the
    source of Global Newsdesk's page."""
    wire = _text("LONDON, March 1 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:], *MORE)
    desk = "© 2026 Global Newsdesk. All rights reserved."
    edited = _text(*PARAGRAPHS, *MORE[:-1])
    reworded = _text(*(p.replace("said", "stated") for p in (*PARAGRAPHS, *MORE)), desk)
    source = "Source: https://globalnewsdesk.example/2026/03/03/rates"
    parents = _parents(
        Document(id="wire", text=wire, published="2026-03-01T08:00:00"),
        Document(id="desk", text=_text(*PARAGRAPHS, *MORE, desk), published="2026-03-01T10:00:00"),
        Document(id="reworded", text=reworded, published="2026-03-03T09:00:00"),
        Document(id="edit", text=_text(edited, desk)),
        _at("bulletin", 12, _text(edited, source, "© 2026 Metro Bulletin. All rights reserved.")),
    )
    assert parents["bulletin"] == "edit"
    assert parents["edit"] in {"wire", "desk"}


def test_a_close_copy_was_taken_from_the_wire_unless_its_text_names_an_intermediary() -> None:
    """The wire and an undated repost that cut its dateline; a later copy cut it too. Cutting
    a dateline is what every copy does, so the repost's text shows nothing the copy took from
    it (no reading, figure or paragraph order of its own), though it resembles the copy a
    little more than the wire does: the copy was taken from the wire."""
    body = (*PARAGRAPHS, *MORE)
    wire = _text("LONDON, March 3 (Reuters) - " + body[0], *body[1:])
    parents = _parents(
        _at("wire", 9, wire),
        Document(id="repost", text=_text(*body)),
        _at("copy", 12, _text(*body[:-1], body[-1].replace("said", "added"))),
    )
    assert parents["copy"] == "wire"


def test_a_story_first_run_on_a_digest_page_is_copied_from_there() -> None:
    """A digest of two stories ran first; a repost and an excerpt of the first story follow.
    Pages that collect others' stories are rarely copied, but a digest that is the story's
    origin is where its copies came from: the excerpt was taken from it, not from the
    repost that merely reads the same."""
    other = [p.replace("bank", "fund") for p in MORE]
    digest = _text("[1]", *PARAGRAPHS, "[2]", *other)
    result = run(
        Document(id="digest", text=digest, published="2026-03-03T08:00:00"),
        _at("repost", 10, _text(*PARAGRAPHS)),
        _at("excerpt", 12, _text(*PARAGRAPHS[:3])),
        _at("other", 11, _text(*other)),
    )
    parents = {
        v.version.doc_id: v.parent.doc_id if v.parent else None
        for story in result.stories
        for v in story.versions
        if v.version.doc_id != "other"
    }
    assert parents == {"digest": None, "repost": "digest", "excerpt": "digest"}


def test_a_page_dated_by_its_day_only_is_not_earlier_than_one_timed_that_morning() -> None:
    """The wire ran at 05:21; a verbatim copy is dated only "2026-03-03" (some time that day).
    Compared as a whole, by its middle, the day does not come before the wire's morning."""
    wire = _text("LONDON, March 3 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:], *MORE)
    (story,) = run(
        Document(id="a-copy", text=wire, published="2026-03-03"),
        Document(id="wire", text=wire, published="2026-03-03T05:21:00"),
        _at("later", 15, wire),
    ).stories
    assert story.origin.doc_id == "wire"


def test_a_page_dated_by_its_day_only_is_first_as_likely_as_its_day_makes_it() -> None:
    """A copy dated "2026-03-03" (some time that day) and the wire timed 16:00 that day, the
    same text: by its middle the day comes first, but only two times in three. The copy's
    head start by date weighs that much of `earliest`."""
    wire = _text("LONDON, March 3 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:], *MORE)
    (story,) = run(
        Document(id="a-copy", text=wire, published="2026-03-03"),
        _at("wire", 16, wire),
        Document(id="later", text=wire, published="2026-03-04T09:00:00"),
    ).stories
    origin = next(v for v in story.versions if v.parent is None)
    assert origin.version.doc_id == "a-copy"
    assert dict((e.kind, e.detail) for e in origin.evidence)["earliest"] == "+1.33"


@pytest.mark.parametrize(("hour", "parent"), [(10, {"day": "timed"}), (14, {"timed": "day"})])
def test_of_two_copies_of_one_edit_the_likelier_first_is_the_parent(
    hour: int, parent: dict[str, str]
) -> None:
    """The wire at 08:00 and two copies of one edit of it: one timed `hour`:00, the other
    dated "2026-03-03" only. Their texts cannot tell which copied which, so the likelier
    first is the parent: a day runs past a copy timed 10:00 more often than not (14 hours
    in 24), and before one timed 14:00. Ranked by its start (midnight) the day would
    always come first."""
    wire = _text("LONDON, March 3 (Reuters) - " + FIGURES[0], *FIGURES[1:])
    edit = _text(*(p.replace("2.5%", "2.7%").replace("weighed on", "hurt") for p in FIGURES))
    (story,) = run(
        _at("wire", 8, wire),
        _at("timed", hour, edit),
        Document(id="day", text=edit, published="2026-03-03"),
    ).stories
    parents = {v.version.doc_id: v.parent.doc_id for v in story.versions if v.parent}
    assert {k: parents[k] for k in parent} == parent
    assert set(parents.values()) == {"wire", *parent.values()}


@pytest.mark.parametrize(("hour", "parent"), [(20, {"twin": "undated"}), (9, {"undated": "twin"})])
def test_a_page_without_a_date_counts_as_published_when_most_of_its_story_was(
    hour: int, parent: dict[str, str]
) -> None:
    """The wire at 08:00, a copy of it at 11:00, and two pages of one edit of the wire: one
    timed `hour`:00, the other with no date. Their texts cannot tell which copied which.
    Nothing says the undated page came last, so it stands at the middle of its story's dates
    (11:00 beside a twin at 20:00, the last of the story: the undated is the parent), and a
    twin timed before that middle (09:00) still goes first."""
    wire = _text("LONDON, March 3 (Reuters) - " + FIGURES[0], *FIGURES[1:])
    edit = _text(*(p.replace("2.5%", "2.7%").replace("weighed on", "hurt") for p in FIGURES))
    (story,) = run(
        _at("wire", 8, wire),
        _at("copy", 11, wire),
        _at("twin", hour, edit),
        Document(id="undated", text=edit),
    ).stories
    parents = {v.version.doc_id: v.parent.doc_id for v in story.versions if v.parent}
    assert {k: parents[k] for k in parent} == parent
    assert set(parents.values()) == {"wire", *parent.values()}


def test_a_copy_carrying_a_digest_sites_furniture_was_taken_from_the_digest() -> None:
    """A digest page of two stories ran the wire's story with its newsletter plug; a later
    digest reposts both, plug included, naming the first digest's site. Pages that collect
    stories are rarely copied (`aggregator`), but a copy carrying one's furniture says it
    was: the plug outweighs the discount and the wire's being the origin (`from_origin`)."""
    other = [p.replace("bank", "fund") for p in MORE]
    plug = "Sign up for the TechBeat Daily newsletter and get the top stories every morning."
    mark = "© 2026 TechBeat Daily. All rights reserved."
    result = run(
        _at("wire", 8, _text(*PARAGRAPHS)),
        _at("digest", 9, _text("[1]", *PARAGRAPHS, plug, "[2]", *other, mark)),
        _at("other", 10, _text(*other)),
        _at("repost", 12, _text("[1]", *PARAGRAPHS, plug, "[2]", *other, "© Newsfeed Central")),
    )
    (story,) = (s for s in result.stories if s.origin.doc_id == "wire")
    parents = {v.version.doc_id: v.parent.doc_id if v.parent else None for v in story.versions}
    assert parents == {"wire": None, "digest": "wire", "repost": "digest"}


@pytest.mark.parametrize(
    ("a", "b", "chance"),
    [
        ((0.0, 24.0), (16.0, 16.0), 16 / 24),  # a day against an instant that day
        ((5.0, 5.0), (0.0, 24.0), 19 / 24),
        ((0.0, 24.0), (0.0, 24.0), 0.5),  # the same day
        ((0.0, 24.0), (12.0, 36.0), 7 / 8),  # two days overlapping by half
        ((0.0, 24.0), (30.0, 54.0), 1.0),
        ((1.0, 1.0), (1.0, 1.0), 0.5),
        ((2.0, 2.0), (1.0, 1.0), 0.0),
    ],
)
def test_the_chance_one_span_comes_before_another(
    a: tuple[float, float], b: tuple[float, float], chance: float
) -> None:
    assert _before(a, b) == pytest.approx(chance)
    assert _before(a, b) + _before(b, a) == pytest.approx(1.0)


def test_an_agency_story_on_a_republishers_page_is_not_the_agencys_own() -> None:
    """The wire's text names no publisher; two sites carry it with the credit under their own
    copyright lines, one of them dated (wrongly) the day before. A page that names another
    publisher than the agency it credits republished the agency's story: the origin is the
    wire, the only version that could be the agency's own, whatever the early date says."""
    wire = _text("LONDON (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:], *MORE)
    early = _text(wire, "© 2026 Market Pulse 24. All rights reserved.")
    later = _text(wire, "© 2026 Daily Ledger. All rights reserved.")
    (story,) = run(
        Document(id="wire", text=wire),
        Document(id="early", text=early, published="2026-03-02T08:00:00"),
        _at("later", 12, later),
    ).stories
    assert story.origin.doc_id == "wire"
    origin = next(v for v in story.versions if v.parent is None)
    assert not any(e.kind == "republished" for e in origin.evidence)
    # A page naming the early republisher as its source makes it that page's source, not
    # the story's origin.
    credits_early = _text(wire, "Source: https://marketpulse24.example/2026/03/02/rates")
    (story,) = run(
        Document(id="wire", text=wire),
        Document(id="early", text=early, published="2026-03-02T08:00:00"),
        _at("later", 12, later),
        _at("credits-early", 14, credits_early),
    ).stories
    assert story.origin.doc_id == "wire"
    parents = {v.version.doc_id: v.parent.doc_id if v.parent else None for v in story.versions}
    assert parents["credits-early"] == "early"
    # Without a version that could be the agency's, the rule says nothing: dates decide.
    (story,) = run(
        Document(id="early", text=early, published="2026-03-02T08:00:00"),
        _at("later", 12, later),
    ).stories
    assert story.origin.doc_id == "early"


@pytest.mark.parametrize("site", ["apnews.com", "The Associated Press", "AP News"])
def test_the_agencys_own_page_is_known_by_the_name_it_gives_itself(site: str) -> None:
    """The AP's page calls itself "The Associated Press" (og:site_name); a republisher's copy
    shows an earlier time. The agency's page is the agency's, by any of its names."""
    wire = _text("WASHINGTON (AP) — " + PARAGRAPHS[0], *PARAGRAPHS[1:], *MORE)
    (story,) = run(
        Document(id="ap", text=wire, site=site, published="2026-03-03T10:00:00"),
        _at("copy", 9, _text(wire, "© 2026 Daily Ledger. All rights reserved.")),
    ).stories
    assert story.origin.doc_id == "ap"


def test_a_date_in_page_junk_is_not_evidence() -> None:
    wire = _text("LONDON, March 3 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:])
    junk_page = _text(*PARAGRAPHS, "Related: Bitcoin news 2025/09/18 02:13 from our archive")
    result = run(doc("wire", wire), doc("repost", junk_page))
    (story,) = result.stories
    assert story.origin.doc_id == "wire"
    repost = next(v for v in story.versions if v.version.doc_id == "repost")
    assert not any(e.kind == "date" for e in repost.evidence)


FIGURES = [
    "Factory output in the region grew 2.5% in the third quarter from a year earlier, the statistics office said on Friday, beating the forecasts of most economists.",
    "The office said new orders for machinery and electrical equipment rose for a fourth straight month, while orders for building materials fell back again.",
    "Employment at manufacturers reached 310,000 people at the end of September, the highest level since the statistics office began keeping such records.",
    "Economists said the figures suggested the industrial recovery was broadening, though high energy costs and weak demand abroad still weighed on smaller firms.",
]


def test_a_copy_ranked_before_its_parent_still_descends_from_it() -> None:
    """The parent need not come first in the origin ranking: the tree decides.

    `edited` changes a figure (2.5% -> 2.7%) and a word; `recopy` takes that
    text but cuts the employment paragraph. Undated, `recopy` ranks above the
    dated `edited`, so a parent chosen among earlier-ranked versions only
    would be the wire; but `recopy` holds `edited`'s own figure and wording,
    and `edited` holds a figure of the wire (310,000) that `recopy` lacks, so
    `edited` cannot descend from `recopy`.
    """
    wire = _text("FRANKFURT, Oct 10 (Reuters) - " + FIGURES[0], *FIGURES[1:])
    changed = [p.replace("2.5%", "2.7%").replace("weighed on", "hurt") for p in FIGURES]
    result = run(
        Document(id="wire", text=wire, published="2026-10-10T09:00:00"),
        Document(id="edited", text=_text(*changed), published="2026-10-10T13:00:00"),
        Document(id="recopy", text=_text(changed[0], changed[1], changed[3])),
    )
    (story,) = result.stories
    parents = {v.version.doc_id: (v.parent.doc_id if v.parent else None) for v in story.versions}
    assert parents == {"wire": None, "edited": "wire", "recopy": "edited"}


def test_two_copies_of_one_text_say_their_order_is_unknown() -> None:
    """Two undated copies with the same edited text: one took from the other, but which
    one is a coin toss. The link between them is reported at confidence 0.5 with
    the other tree (the wire as parent) among the candidates."""
    wire = _text("FRANKFURT, Oct 10 (Reuters) - " + FIGURES[0], *FIGURES[1:])
    changed = _text(*(p.replace("2.5%", "2.7%").replace("weighed on", "hurt") for p in FIGURES))
    result = run(
        Document(id="wire", text=wire, published="2026-10-10T09:00:00"),
        Document(id="first", text=changed),
        Document(id="second", text=changed),
    )
    (story,) = result.stories
    copies = [v for v in story.versions if v.parent and v.parent.doc_id != "wire"]
    assert len(copies) == 1
    (copy,) = copies
    assert copy.confidence == 0.5
    assert [c.doc_id for c, _ in copy.candidates] == ["wire"]


@pytest.mark.parametrize(
    ("dateline", "url", "trusted"),
    [
        ("PARIS, Jan 12 (Reuters) - ", None, False),  # dated two days before its own dateline
        ("", "https://copy.example/2026/01/12/story", False),  # two days off its own URL
        ("PARIS, Jan 10 (Reuters) - ", "https://copy.example/2026/01/10/story", True),
    ],
)
def test_a_date_the_page_itself_contradicts_is_no_evidence(
    dateline: str, url: str | None, trusted: bool
) -> None:
    """A copy whose page says Jan 10, while its own dateline or URL says Jan 12, shows a
    wrong date: it must not make the copy the first publisher of a wire story filed on
    Jan 12."""
    wire = _text("LONDON, Jan 12 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:])
    copy = _text(
        "Site header of a news portal with links", dateline + PARAGRAPHS[0], *PARAGRAPHS[1:]
    )
    result = run(
        Document(id="wire", text=wire, published="2026-01-12T09:00:00+00:00"),
        Document(id="copy", text=copy, url=url, published="2026-01-10T08:00:00+00:00"),
        Document(id="late", text=_text(*PARAGRAPHS), published="2026-01-13T09:00:00+00:00"),
    )
    (story,) = result.stories
    copy_report = next(v for v in story.versions if v.version.doc_id == "copy")
    dated = any(e.kind == "date" for e in copy_report.evidence) or (
        copy_report.parent is None and any(e.kind == "earliest" for e in copy_report.evidence)
    )
    assert dated == trusted
    if not trusted:
        assert story.origin.doc_id == "wire"


def test_dates_compare_as_instants_across_utc_offsets() -> None:
    """10:00 in Karachi (+05:00) is 05:00 UTC, two hours before 07:00 UTC; as strings it
    sorts after it. The earlier publisher is the origin."""
    text = _text(*PARAGRAPHS)
    result = run(
        Document(id="later", text=text, published="2026-03-03T07:00:00+00:00"),
        Document(id="earlier", text=text, published="2026-03-03T10:00:00+05:00"),
    )
    (story,) = result.stories
    assert story.origin.doc_id == "earlier"
    later = next(v for v in story.versions if v.version.doc_id == "later")
    assert later.parent is not None and later.parent.doc_id == "earlier"


def test_a_copy_that_kept_the_paragraph_order_was_not_taken_from_one_that_swapped_them() -> None:
    """`lead` takes the wire's first four paragraphs; `moved` swapped the second and third
    and cut the last. `moved` holds every word of `lead` and is the smaller text, so
    only the order of the paragraphs says `lead` came from the wire (`full`, a verbatim
    copy, makes the wire's last paragraph part of the story)."""
    wire = [*PARAGRAPHS, FIGURES[0], FIGURES[3]]
    result = run(
        Document(id="wire", text=_text(*wire), published="2026-03-03T09:00:00"),
        Document(id="full", text=_text(*wire), published="2026-03-03T12:00:00"),
        Document(
            id="moved",
            text=_text(wire[0], wire[2], wire[1], wire[3], wire[4]),
            published="2026-03-03T10:00:00",
        ),
        Document(id="lead", text=_text(*wire[:4]), published="2026-03-03T11:00:00"),
    )
    (story,) = result.stories
    lead = next(v for v in story.versions if v.version.doc_id == "lead")
    assert lead.parent is not None and lead.parent.doc_id == "wire"


@st.composite
def _link_weights(draw: st.DrawFn) -> dict[tuple[int, int], float]:
    """Allowed links among 2..7 versions, every child with a link to the root 0 (as in a
    story), cycles and tied weights included."""
    n = draw(st.integers(2, 7))
    weight = {}
    for child in range(1, n):
        weight[child, 0] = draw(st.sampled_from([-1.0, 0.0, 1.5, 3.0]))
        for parent in range(1, n):
            if parent != child and draw(st.booleans()):
                weight[child, parent] = draw(st.sampled_from([-1.0, 0.0, 1.5, 3.0, 6.0]))
    return weight


@given(_link_weights(), st.data())
def test_runner_up_trees_are_the_best_trees_without_the_parents_before_them(
    weight: dict[tuple[int, int], float], data: st.DataObject
) -> None:
    """The shortcut (walk up the preferred parents) against Chu-Liu/Edmonds run afresh for
    each runner-up, as the definition says."""
    child = data.draw(st.sampled_from(sorted({c for c, _ in weight})))
    tree = best_tree(weight)
    total = sum(weight[c, p] for c, p in tree.items())
    expected, banned = [], {tree[child]}
    while len(expected) < MAX_CANDIDATES:
        rest = {k: w for k, w in weight.items() if k[0] != child or k[1] not in banned}
        if not any(c == child for c, _ in rest):
            break
        alternative = best_tree(rest)
        behind = total - sum(rest[c, p] for c, p in alternative.items())
        expected.append((alternative[child], behind))
        if behind >= AMBIGUOUS_MARGIN:
            break
        banned.add(alternative[child])
    found = other_parents(child, tree, Choices.of(weight))
    assert [p for p, _ in found] == [p for p, _ in expected]
    assert [b for _, b in found] == pytest.approx([b for _, b in expected], abs=1e-9)


def test_a_story_of_many_identical_copies_lists_a_few_candidates() -> None:
    """Every copy of one text is as good a parent as the next: the report names a few and
    says the call is open (below `CONFIDENT`; the origin's prior as the parent of a close
    copy is all that tips it), rather than listing (and scoring a tree for) each of them."""
    copies = [doc(f"copy-{n:02d}", _text(*FIGURES)) for n in range(12)]
    (story,) = run(*copies).stories
    assert len(story.versions) == 12
    for report in story.versions:
        assert len(report.candidates) == MAX_CANDIDATES
        assert report.parent is None or report.parent == story.origin
        assert report.parent is None or 0.5 < report.confidence < CONFIDENT


def test_past_the_free_order_a_child_scores_the_origin_and_the_earlier_versions_closest_to_it() -> (
    None
):
    n = 2 * _FREE_ORDER_MAX + 10
    order = [Version(f"v{k:03d}", (0,), "copy") for k in range(n)]
    shared = np.array([[(a * b) % 97 for b in range(n)] for a in range(n)], dtype=np.int32)
    overlap = Overlap({v: k for k, v in enumerate(order)}, shared, np.ones(n, dtype=np.int64))
    child = n - 1
    picked = candidate_parents(child, order, overlap)
    by_closeness = sorted(range(1, child), key=lambda j: (-shared[child, j], j))
    assert picked == [0, *sorted(by_closeness[:_FREE_ORDER_MAX])]
    assert candidate_parents(5, order, overlap) == [0, 1, 2, 3, 4]  # early: every earlier one
    middle = order[:_FREE_ORDER_MAX]  # past 16 versions only earlier ones, at any size
    assert candidate_parents(3, middle, overlap) == [0, 1, 2]
    small = order[: _FREE_ORDER_MAX // 4]  # any direction: the tree decides
    assert candidate_parents(3, small, overlap) == [j for j in range(len(small)) if j != 3]


# Few words, so pages share some shingles but not all; a full stop before a capital ends a
# sentence, and a paragraph of up to 90 words is cut into overlapping windows, which repeat
# shingles within a version.
_WORDS = st.sampled_from(["rates", "rose", "again.", "The", "bank"])
_PARAGRAPH = st.lists(_WORDS, min_size=8, max_size=90).map(" ".join)


@given(st.lists(st.lists(_PARAGRAPH, min_size=1, max_size=4), min_size=2, max_size=4), st.data())
def test_story_matrices_count_what_the_sets_hold(
    pages: list[list[str]], data: st.DataObject
) -> None:
    """Shared shingles, the page-held shares of the parent score and the share in either of
    two versions, read off the matrix products and columns, equal the set arithmetic."""
    docs = [Document(id=f"p{k}", text="\n\n".join(paras)) for k, paras in enumerate(pages)]
    fp = fingerprint([s for d in docs for s in segment(d)], FingerprintOptions(min_words=5))
    versions, shingles = [], {}
    for d in docs:
        rows = fp.table.rows(d.id)
        picked = data.draw(st.sets(st.sampled_from(range(len(rows))), min_size=1))
        version = Version(d.id, tuple(sorted(picked)), "copy")
        versions.append(version)
        shingles[version] = frozenset(
            int(h) for i in picked for h in fp.shingle_set(rows.start + i).tolist()
        )
    page_sets = {
        d.id: frozenset(
            fp.shingles[
                fp.offsets[fp.table.rows(d.id).start] : fp.offsets[fp.table.rows(d.id).stop]
            ].tolist()
        )
        for d in docs
    }
    columns = Columns.of(versions, fp)
    origin = data.draw(st.sampled_from(versions))
    # small products run in numpy's integer loop, large ones in BLAS: both count the same
    blas = data.draw(st.booleans())
    with mock.patch.object(matrices, "_SMALL_PRODUCT", -1 if blas else matrices._SMALL_PRODUCT):
        overlap = Overlap.of(columns)
        held = PageHeld.of(origin, columns)
    first, last = versions[0], versions[-1]
    for c in versions:
        own = shingles[c] - page_sets[origin.doc_id]
        assert overlap.size(c) == len(shingles[c])
        either = len(shingles[c] & (shingles[first] | shingles[last])) / max(len(shingles[c]), 1)
        assert columns.share_in_either(c, first, last) == either
        for p in versions:
            page = page_sets[p.doc_id]
            assert overlap.count(c, p) == len(shingles[c] & shingles[p])
            assert held.explains(c, p) == len(shingles[c] & page) / max(len(shingles[c]), 1)
            share = len(own & page) / max(len(own), 1)
            expected = max(0.0, (share - _VARIANT_FLOOR) / (1 - _VARIANT_FLOOR))
            assert held.variants(c, p) == (expected if len(own) >= 5 else 0.0)


_LINE_WORDS = st.sampled_from(
    [
        "Source:",
        "via",
        "Reuters",
        "originally published by",
        "AFP",
        "Read the full story at",
        "https://www.example.com/a",
        "the",
        "bank",
        "said",
        "According to",
        "SOURCE",
        "ΣΟΦΙΑ",
        "İ",
    ]
)


@given(st.lists(_LINE_WORDS, max_size=12).map(" ".join))
def test_a_line_names_a_source_as_the_two_patterns_say(line: str) -> None:
    """The cue-word search in front of the patterns changes no answer."""
    assert names_a_source(line) == (any(attribution_matches(line)) or bool(source_matches(line)))
