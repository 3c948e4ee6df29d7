"""Turn raw bytes and markup into article text plus metadata.

Pure functions only: no file access and no printing, so extraction can run in
worker processes and be tested with in-memory inputs. Failures that make an
input unusable are raised as `ValueError`; `ingest` turns them into `Skipped`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import urlsplit

import yaml
from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser, LexborNode
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from .dates import html_date, normalize_date, page_date


@dataclass(frozen=True, slots=True)
class Extracted:
    """Article text and whatever metadata the input carried; `ingest` wraps it in a `Document`."""

    text: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    published: str | None = None
    date_source: str | None = None  # "metadata", "markup" (htmldate) or "page" (a date line)
    ignored: tuple[str, ...] = ()  # a notice for each metadata field given but not usable


def _dated(text: str, published: str | None, source: str = "metadata") -> _Dated:
    """`published` and where it came from: the metadata's date, else the date line at the
    top of the article's text."""
    if published:
        return {"published": published, "date_source": source}
    found = page_date(text)
    return {"published": found, "date_source": "page" if found else None}


class _Dated(TypedDict):
    published: str | None
    date_source: str | None


# --- decoding -------------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive"),
    (b"PK\x05\x06", "zip archive"),
)

# Legacy encodings news sites actually used, in order of preference when the detector
# finds several equally clean readings (short Latin text decodes cleanly in most of them).
_LEGACY_ENCODINGS = [
    "cp1252", "cp1250", "cp1251", "koi8_r", "cp1253", "cp1254", "cp1257",
    "gb18030", "big5", "cp932", "euc_jp", "euc_kr", "cp1255", "cp1256",
]  # fmt: skip


def decode_bytes(
    data: bytes, *, content_type: str | None = None, html: bool = False
) -> tuple[str, str]:
    """Decode file content to text, returning (text, encoding name).

    As browsers do: a byte order mark first, then the charset the HTTP `Content-Type`
    declares (`content_type`, from a WARC record), then for a page (`html`) its own
    declaration (`<meta charset>`, `http-equiv`, an XML declaration), each read with
    w3lib and its labels resolved as the WHATWG encoding standard says (`latin1` and
    `iso-8859-1` are cp1252, `gb2312` is gb18030). A declaration the bytes contradict
    (a page saying UTF-8 in cp1252) is a lie, and detection decides: strict UTF-8,
    since valid UTF-8 is almost never an accident, then the statistical detector. So is a
    single-byte declaration over bytes that are valid UTF-8 beyond ASCII: a page saved
    again as UTF-8 that kept its old `<meta charset>` (no Czech or Russian text in a
    legacy encoding is also valid UTF-8).
    Raises ValueError for binary content or text that contradicts its BOM.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ValueError(f"binary content ({kind})")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_declared(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        name = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _decode_declared(data[2:], name, name)
    if b"\x00" in data[:8192]:
        raise ValueError("binary content (NUL bytes)")
    for declared in _declared(data, content_type, html):
        if not data.isascii() and _single_byte(declared) and _utf8(data):
            break  # re-encoded to UTF-8, the old declaration kept: no legacy text reads so
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in (_guess_encoding(data), "cp1252"):
        if encoding is not None:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    return data.decode("latin-1"), "latin-1"


def _single_byte(codec: str) -> bool:
    """Whether `codec` maps each byte to a character (cp1252, iso8859-2, koi8-r ...)."""
    try:
        return len(bytes(range(128, 256)).decode(codec, errors="replace")) == 128
    except LookupError:
        return False


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared(data: bytes, content_type: str | None, html: bool) -> Iterator[str]:
    """The encodings the HTTP header and the page itself declare, in that order, as Python
    codec names; labels no codec knows are passed over."""
    if content_type:
        found = http_content_type_encoding(content_type)
        if found:
            yield found
    if html:
        found = html_body_declared_encoding(data[:_DECLARATION_BYTES])
        if found:
            yield found


_DECLARATION_BYTES = 4096  # browsers look for `<meta charset>` in the first 1,024 bytes


def _decode_declared(data: bytes, codec: str, name: str) -> tuple[str, str]:
    """Decode text whose encoding a BOM declared; a mismatch means corrupt input, not a guess."""
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid {codec} despite its byte order mark") from exc


def _guess_encoding(data: bytes) -> str | None:
    """Best legacy encoding by the detector's mess score, ties broken by `_LEGACY_ENCODINGS`."""
    candidates = [
        (match.chaos, _LEGACY_ENCODINGS.index(encoding), encoding)
        for match in from_bytes(data, cp_isolation=_LEGACY_ENCODINGS)
        for encoding in match.could_be_from_charset
        if encoding in _LEGACY_ENCODINGS
    ]
    return min(candidates)[2] if candidates else None


# --- plain text and Markdown -----------------------------------------------------------------


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_plain(text: str, published: str | None = None) -> Extracted:
    """Plain text carries no metadata but the date line under its headline; line endings
    are unified so offsets are stable. `published`: a date the text comes with (a JSON
    record's own, which beats the page's): then no date line is looked for (`page_date`,
    a fifth of reading a record without it)."""
    text = _normalize_newlines(text)
    return Extracted(text=text, **_dated(text, published, "record"))


_ATX_H1 = re.compile(r"#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")


def extract_markdown(text: str) -> Extracted:
    """Markdown body kept verbatim (offsets must match what users see) minus YAML front matter.

    A front matter field of the wrong type, or a date or URL that cannot be read, is
    ignored and named in `ignored`; the body is used whatever the front matter holds."""
    ignored: list[str] = []
    meta, body = _split_front_matter(_normalize_newlines(text), ignored)
    title = _first_text(meta, ignored, "title") or _leading_heading(body)
    url = _url(_first_text(meta, ignored, "url"), "front matter 'url'", ignored)
    canonical = _first_text(meta, ignored, "canonical_url", "canonical")
    return Extracted(
        text=body,
        title=title,
        url=url,
        canonical_url=_url(canonical, "front matter canonical URL", ignored),
        site=_first_text(meta, ignored, "site", "source", "publisher"),
        **_dated(body, _first_date(meta, ignored, "date", "published", "published_at")),
        ignored=tuple(ignored),
    )


def readable_url(value: str) -> str | None:
    """`value` if it reads as a URL (or a relative one), else None: an unbalanced or
    invalid IPv6 bracket ("http://[::1"), characters NFKC turns into URL syntax
    ("http://［x"), a port past 65535. Such a URL names no page, so it names nothing."""
    try:
        parts = urlsplit(value)
        _ = parts.port, parts.hostname  # each raises ValueError on a bad netloc
    except ValueError:
        return None
    return value


def _url(value: str | None, label: str, ignored: list[str]) -> str | None:
    """`value` if it is a URL that can be read; else None, noted in `ignored`."""
    if value is None or readable_url(value) is not None:
        return value
    ignored.append(f"{label} ignored: {_quoted(value)} is not a URL that can be read")
    return None


def _split_front_matter(text: str, ignored: list[str]) -> tuple[dict[object, object], str]:
    """Return (front matter mapping, body); broken YAML loses its metadata (noted in
    `ignored`) but not the body."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        return {}, text
    body = "\n".join(lines[end + 1 :])
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_FrontMatterLoader)  # a SafeLoader
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        ignored.append(f"front matter ignored: not YAML that can be read ({type(exc).__name__})")
        return {}, body
    if meta is not None and not isinstance(meta, dict):
        ignored.append("front matter ignored: not a mapping of fields")
    return (meta if isinstance(meta, dict) else {}), body


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a timestamp naming no real day or time
    (`date: 2026-02-30`) stays the string it is, for the date reader to decline,
    instead of failing the whole front matter."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _leading_heading(body: str) -> str | None:
    """Title from a first-line `# Heading`, the usual way Markdown articles name themselves."""
    first = next((line for line in body.split("\n") if line.strip()), "")
    match = _ATX_H1.fullmatch(first.strip())
    return _text(match.group(1)) if match else None


def _first_text(meta: dict[object, object], ignored: list[str], *keys: str) -> str | None:
    """The first of `keys` holding text; a key holding something else is noted in `ignored`."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, dict):  # e.g. publisher: {name: ...}
            value = value.get("name")
        if found := _text(value):
            return found
        if value is not None and not isinstance(value, str):
            ignored.append(f"front matter '{key}' ignored: not text")
    return None


def _first_date(meta: dict[object, object], ignored: list[str], *keys: str) -> str | None:
    """The first of `keys` holding a readable date; one holding anything else is noted."""
    for key in keys:
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, dt.datetime | dt.date):  # YAML already parsed it
            found = normalize_date(value.isoformat())
        else:
            found = normalize_date(value)
        if found:
            return found
        ignored.append(f"front matter '{key}' ignored: {_quoted(value)} is no date")
    return None


def _quoted(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:59] + "…"


def _text(value: object) -> str | None:
    """Whitespace-collapsed string, or None for non-strings and blanks."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


# --- HTML ------------------------------------------------------------------------------------

_CHROME = (
    "script, style, noscript, nav, aside, footer, header, form, iframe, svg, "
    '[role~="navigation"], [role~="banner"], [role~="contentinfo"]'
)
_BLOCKS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "td", "th",
        "tr", "table", "ul", "ol", "dl", "dt", "dd", "section", "article", "main", "body",
        "figure", "figcaption", "caption", "address", "details", "summary", "hr",
    }
)  # fmt: skip
_ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"})


def extract_html(html: str, published: str | None = None) -> Extracted:
    """Main article text as blank-line separated paragraphs, plus page metadata.

    Metadata is read before page chrome is removed, because headers and scripts
    (JSON-LD) carry it. An empty `text` means the page had no article body.
    `published`: a date the page comes with (a JSON record's own, which beats the page's):
    then it is the date, and the page's markup and text are not searched for one
    (`htmldate`, `page_date`); its metadata dates are still read, for their notices.
    """
    tree = LexborHTMLParser(_normalize_newlines(html), scripting=True)
    article_times = _article_times(tree)
    ld = _jsonld_article(tree)
    title = (
        _meta(tree, "og:title")
        or _node_text(tree.css_first("title"))
        or _text(ld.get("headline"))
        or _node_text(tree.css_first("h1"))
    )
    ignored: list[str] = []
    own_url = _meta(tree, "og:url") or _text(ld.get("url")) or _entity_url(ld)
    url = _url(own_url, "page URL", ignored)
    canonical = _attr(tree.css_first('link[rel~="canonical"]'), "href")
    canonical_url = _url(canonical, "canonical link", ignored)
    site = _meta(tree, "og:site_name") or _publisher_name(ld)
    dates = [
        ("article:published_time", _meta(tree, "article:published_time")),
        ("JSON-LD datePublished", ld.get("datePublished")),
    ]
    for node in tree.css(_CHROME):
        node.decompose()
    root = _content_root(tree)
    if root is not None:
        dates.append(("<time datetime>", article_times.get(root.mem_id)))
    readings = [(name, value, normalize_date(value)) for name, value in dates]
    own = next((d for _, _, d in readings if d), None)
    ignored += [
        f"{name} ignored: {_quoted(value)} is no date"
        for name, value, d in readings
        if value is not None and d is None
    ]
    text = "\n\n".join(_paragraphs(root)) if root is not None else ""
    if published:
        dated = _dated(text, published, "record")
    else:
        found = None if own else html_date(html, url)
        dated = _dated(text, own or found, "markup" if found else "metadata")
    return Extracted(
        text=text,
        title=title,
        url=url,
        canonical_url=canonical_url,
        site=site,
        **dated,
        ignored=tuple(ignored),
    )


def _article_times(tree: LexborHTMLParser) -> dict[int, str | None]:
    """`<time datetime>` per article, taken before chrome removal drops article headers."""
    return {
        node.mem_id: time.attributes.get("datetime")
        for node in tree.css("article")
        if (time := node.css_first("time[datetime]")) is not None
    }


def _meta(tree: LexborHTMLParser, name: str) -> str | None:
    """`<meta property=...>` (Open Graph) or the common `name=` misspelling of it."""
    node = tree.css_first(f'meta[property="{name}"]') or tree.css_first(f'meta[name="{name}"]')
    return _attr(node, "content")


def _attr(node: LexborNode | None, name: str) -> str | None:
    return _text(node.attributes.get(name)) if node is not None else None


def _node_text(node: LexborNode | None) -> str | None:
    return _text(node.text()) if node is not None else None


def _jsonld_article(tree: LexborHTMLParser) -> dict[str, object]:
    """First JSON-LD object typed as an article; malformed blocks are skipped, never raised."""
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text())
        except (ValueError, RecursionError):
            continue
        for item in _jsonld_items(data):
            types = item.get("@type")
            if not isinstance(types, list):
                types = [types]
            if any(t in _ARTICLE_TYPES for t in types if isinstance(t, str)):
                return item
    return {}


def _jsonld_items(data: object) -> Iterator[dict[str, object]]:
    """Objects of a JSON-LD block: a dict, a list of dicts, and their `@graph` members."""
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (node for node in graph if isinstance(node, dict))


def _entity_url(ld: dict[str, object]) -> str | None:
    entity = ld.get("mainEntityOfPage")  # a URL string or a WebPage object
    if isinstance(entity, dict):
        return _text(entity.get("@id")) or _text(entity.get("url"))
    return _text(entity)


def _publisher_name(ld: dict[str, object]) -> str | None:
    publisher = ld.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    return _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)


def _content_root(tree: LexborHTMLParser) -> LexborNode | None:
    """Largest non-empty `<article>`, else `<main>`, else `<body>`."""
    articles = [(len(node.text(strip=True)), node) for node in tree.css("article")]
    articles = [(size, node) for size, node in articles if size]
    if articles:
        return max(articles, key=lambda pair: pair[0])[1]
    main = tree.css_first("main")
    return main if main is not None and main.text(strip=True) else tree.body


def _paragraphs(root: LexborNode) -> list[str]:
    """One paragraph per block element; inline text is joined, whitespace collapsed.

    Iterative walk (a stack with `None` as the "block ends" marker) so deeply
    nested markup cannot hit the recursion limit.
    """
    paragraphs: list[str] = []
    pending: list[str] = []
    stack: list[LexborNode | None] = [root]
    while stack:
        node = stack.pop()
        if node is None or node.tag in _BLOCKS:
            if text := " ".join("".join(pending).split()):
                paragraphs.append(text)
            pending.clear()
        if node is None:
            continue
        if node.is_text_node:
            pending.append(node.text_content or "")
        elif node.tag == "br":
            pending.append(" ")
        elif node.is_element_node:
            if node.tag in _BLOCKS:
                stack.append(None)
            stack.extend(reversed(list(node.iter(include_text=True))))
    return paragraphs
