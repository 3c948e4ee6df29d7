from __future__ import annotations

import dataclasses
import json

import pytest

from newsdedup import extract
from newsdedup.dates import normalize_date
from newsdedup.extract import (
    Extracted,
    decode_bytes,
    extract_html,
    extract_markdown,
    extract_plain,
)

# --- decode_bytes ----------------------------------------------------------------------------


def test_decode_cp1252_smart_quotes() -> None:
    assert decode_bytes(b"caf\xe9 \x93quoted\x94") == ("café “quoted”", "cp1252")


def test_decode_utf8_bom_is_stripped() -> None:
    assert decode_bytes(b"\xef\xbb\xbfcaf\xc3\xa9") == ("café", "utf-8-sig")


def test_decode_plain_utf8() -> None:
    assert decode_bytes("naïve “x”".encode()) == ("naïve “x”", "utf-8")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(codec: str) -> None:
    data = "\ufeffHello wörld".encode(codec)
    assert decode_bytes(data) == ("Hello wörld", codec)


def test_decode_detects_non_latin_legacy_encoding() -> None:
    text = "Привет, мир! Это новостная статья о политике и экономике."
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251")


def test_decode_falls_back_to_latin1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "_guess_encoding", lambda data: None)
    # 0x81 is undefined in cp1252, so only latin-1 can decode it.
    assert decode_bytes(b"a\x81b") == ("a\x81b", "latin-1")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\xff\xd8\xff\xe0", "JPEG"),
        (b"GIF89a....", "GIF"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"PK\x03\x04rest", "zip"),
    ],
)
def test_decode_rejects_binary_magic(data: bytes, kind: str) -> None:
    with pytest.raises(ValueError, match=f"binary content.*{kind}"):
        decode_bytes(data)


def test_decode_rejects_nul_bytes() -> None:
    with pytest.raises(ValueError, match="NUL"):
        decode_bytes(b"text\x00more")


def test_decode_rejects_content_contradicting_bom() -> None:
    with pytest.raises(ValueError, match="byte order mark"):
        decode_bytes(b"\xef\xbb\xbfok \xff")


# --- plain text and Markdown -----------------------------------------------------------------


def test_plain_normalizes_line_endings() -> None:
    assert extract_plain("a\r\nb\rc\n") == Extracted(text="a\nb\nc\n")


def test_extracted_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Extracted(text="x").text = "y"  # type: ignore[misc]


def test_markdown_front_matter() -> None:
    source = (
        "---\r\n"
        "title: Front Title\r\n"
        "url: https://example.com/story\r\n"
        "canonical: https://example.com/canonical\r\n"
        "source: Example Times\r\n"
        "date: 2026-01-10\r\n"
        "---\r\n"
        "# Heading\r\n\r\nBody text.\r\n"
    )
    assert extract_markdown(source) == Extracted(
        text="# Heading\n\nBody text.\n",
        title="Front Title",
        url="https://example.com/story",
        canonical_url="https://example.com/canonical",
        site="Example Times",
        published="2026-01-10",
        date_source="metadata",
    )


def test_markdown_datetime_and_string_dates() -> None:
    with_tz = extract_markdown("---\npublished_at: 2026-01-10 08:30:00+02:00\n---\nx")
    assert with_tz.published == "2026-01-10T08:30:00+02:00"
    textual = extract_markdown("---\npublished: Jan 10, 2026\npublisher: {name: P}\n...\nx")
    assert (textual.published, textual.site, textual.text) == ("2026-01-10", "P", "x")


def test_markdown_heading_becomes_title_and_stays_in_text() -> None:
    result = extract_markdown("\n# The Headline #\n\nParagraph.")
    assert result.title == "The Headline"
    assert result.text == "\n# The Headline #\n\nParagraph."


def test_markdown_heading_only_counts_when_leading() -> None:
    assert extract_markdown("Intro.\n\n# Later heading\n").title is None


def test_markdown_broken_yaml_keeps_body() -> None:
    result = extract_markdown("---\ntitle: [unclosed\n---\nBody only.")
    assert result == Extracted(
        text="Body only.",
        ignored=("front matter ignored: not YAML that can be read (ParserError)",),
    )


def test_markdown_unclosed_front_matter_is_body() -> None:
    source = "---\ntitle: x\nno closing line"
    assert extract_markdown(source) == Extracted(text=source)


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head>
<title>Head Title | Site</title>
<meta property="og:title" content="  OG   Title ">
<meta property="og:url" content="https://example.com/og">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://example.com/canonical">
<script type="application/ld+json">{LD}</script>
</head><body>
<header><a>Logo</a></header>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div role="navigation">Menu entries</div>
<div role="banner">Banner</div>
<article>
  <h1>Article   headline</h1>
  <p>First paragraph with <b>bold</b>
     and a line break.</p>
  <script>var tracking = "script text";</script>
  <div>Loose lead <p>Nested paragraph.</p> trailing words</div>
  <ul><li>Item one</li><li><p>Item two</p></li></ul>
  <blockquote><p>Quote one.</p><p>Quote two.</p></blockquote>
  <table><tr><td>Cell A</td><td>Cell<br>B</td></tr></table>
  <form>Subscribe now</form>
</article>
<aside><article><p>Related story that is not the article.</p></article></aside>
<footer>Copyright footer</footer>
<div role="contentinfo">Contact info</div>
</body></html>"""

LD_LIST = json.dumps(
    [
        {"@type": "BreadcrumbList", "name": "crumbs"},
        {
            "@type": "NewsArticle",
            "headline": "LD Headline",
            "datePublished": "2026-01-10T08:00:00Z",
            "publisher": {"@type": "Organization", "name": "LD Publisher"},
        },
    ]
)


def test_html_article_text_drops_chrome_and_splits_blocks() -> None:
    result = extract_html(PAGE.replace("{LD}", LD_LIST))
    assert result.text.split("\n\n") == [
        "Article headline",
        "First paragraph with bold and a line break.",
        "Loose lead",
        "Nested paragraph.",
        "trailing words",
        "Item one",
        "Item two",
        "Quote one.",
        "Quote two.",
        "Cell A",
        "Cell B",
    ]


def test_html_metadata_from_open_graph_and_canonical() -> None:
    result = extract_html(PAGE.replace("{LD}", LD_LIST))
    assert result.title == "OG Title"
    assert result.url == "https://example.com/og"
    assert result.canonical_url == "https://example.com/canonical"
    assert result.site == "Example News"
    assert result.published == "2026-01-10T08:00:00+00:00"  # JSON-LD list member


def test_html_chrome_is_dropped_inside_the_content_root() -> None:
    chrome = [
        "<header>Header</header>",
        "<nav>Nav</nav>",
        "<aside>Aside</aside>",
        "<footer>Footer</footer>",
        "<form>Form</form>",
        "<noscript>Enable JS</noscript>",
        "<style>p { color: red }</style>",
        "<script>track()</script>",
        "<svg><text>Svg</text></svg>",
        "<iframe>Frame</iframe>",
        '<div role="navigation">Role nav</div>',
        '<div role="banner">Role banner</div>',
        '<div role="contentinfo">Role info</div>',
    ]
    html = "<body>" + "".join(chrome) + "<p>Only this.</p></body>"
    assert extract_html(html).text == "Only this."


def test_html_jsonld_graph_fills_missing_metadata() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Not this"},
            {
                "@type": ["ReportageNewsArticle"],
                "headline": "Graph Headline",
                "datePublished": "2026-01-09",
                "mainEntityOfPage": {"@type": "WebPage", "@id": "https://example.com/graph"},
                "publisher": {"name": "Graph Publisher"},
            },
        ],
    }
    html = f'<script type="application/ld+json">{json.dumps(ld)}</script><p>Body text.</p>'
    result = extract_html(html)
    assert result == Extracted(
        text="Body text.",
        title="Graph Headline",
        url="https://example.com/graph",
        site="Graph Publisher",
        published="2026-01-09",
        date_source="metadata",
    )


def test_html_malformed_jsonld_is_ignored() -> None:
    html = (
        '<script type="application/ld+json">{"@type": "NewsArticle", oops</script>'
        '<script type="application/ld+json">{"@type": "Article", "url": "https://x.test/a"}'
        "</script><p>Still extracted.</p>"
    )
    result = extract_html(html)
    assert (result.text, result.url) == ("Still extracted.", "https://x.test/a")


def test_html_meta_published_time_wins_and_is_normalized() -> None:
    html = (
        '<meta property="article:published_time" content="2026-01-10T09:15:00+0100">'
        "<article><time datetime='2020-01-01'>old</time><p>Text.</p></article>"
    )
    assert extract_html(html).published == "2026-01-10T09:15:00+01:00"


def test_html_time_in_article_header_is_last_date_fallback() -> None:
    html = (
        "<time datetime='1999-01-01'>outside</time>"
        "<article><header><time datetime='2026-01-08T07:00:00Z'>Jan 8</time></header>"
        "<p>Text.</p></article>"
    )
    assert extract_html(html).published == "2026-01-08T07:00:00+00:00"


def test_html_picks_largest_article() -> None:
    html = (
        "<article><p>Short teaser.</p></article>"
        "<article><p>The long main story with many more words in it.</p></article>"
    )
    assert extract_html(html).text == "The long main story with many more words in it."


def test_html_main_then_body_fallback() -> None:
    assert extract_html("<div>Outside</div><main><p>In main.</p></main>").text == "In main."
    assert extract_html("<div>Only body <span>text</span></div>").text == "Only body text"


def test_html_title_fallbacks() -> None:
    assert extract_html("<title> Tab  title </title><h1>H</h1><p>x</p>").title == "Tab title"
    assert extract_html("<h1>First <i>h1</i></h1><h1>Second</h1>").title == "First h1"


def test_html_without_body_text() -> None:
    html = "<html><head><title>T</title></head><body><nav>Menu</nav><script>x()</script></body>"
    result = extract_html(html)
    assert (result.text, result.title) == ("", "T")


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-10", "2026-01-10"),
        (" 2026-01-10T10:20:30Z ", "2026-01-10T10:20:30+00:00"),
        ("2026-01-10T10:20:30.25-05:00", "2026-01-10T10:20:30.250000-05:00"),
        ("2026-01-10T10:20+0530", "2026-01-10T10:20:00+05:30"),
        ("2026-01-10 10:20:30", "2026-01-10T10:20:30"),
        ("Jan 10, 2026", "2026-01-10"),
        ("Saturday, January 10th, 2026", "2026-01-10"),
        ("10 January 2026", "2026-01-10"),
        ("10 Sept. 2026", "2026-09-10"),
        ("Sat, 10 Jan 2026 10:20:30 +0000", "2026-01-10T10:20:30+00:00"),
        ("Sat, 10 Jan 2026 10:20:30 -0800", "2026-01-10T10:20:30-08:00"),
        ("2026-02-30", None),
        ("2026-01-10T24:30", None),
        ("Smarch 10, 2026", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_normalize_date(value: str, expected: str | None) -> None:
    assert normalize_date(value) == expected
