"""The names a page goes by: its site, the hosts of its URLs, the domains and copyright
holder its own chrome names, each squashed to one form (`core_name`), so that an
attribution, a credit and a page can be matched by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

from ..records import Document
from .cues import AGENCY_NAME, attribution_matches, domains, lines_with

_SELF_MENTION = re.compile(
    r"appeared (?:first )?on|no liability|all rights reserved|©|copyright|disclaimer|published by",
    re.IGNORECASE,
)
_SELF_MENTION_CUES = (  # a line lacking all of these cannot match _SELF_MENTION
    "appeared",
    "no liability",
    "rights reserved",
    "©",
    "copyright",
    "disclaimer",
    "published by",
)


# Site names of the agencies' own outlets, as `core_name` spells them: their domains and the
# names their pages give themselves (og:site_name "The Associated Press", "Bloomberg News").
AGENCY_SITES = {
    "Reuters": {"reuters", "thomsonreuters"},
    "AP": {"ap", "apnews", "associatedpress", "theassociatedpress"},
    "AFP": {"afp", "agencefrancepresse"},
    "Bloomberg": {"bloomberg", "bloombergnews"},
    "PA": {"pa", "pamedia", "pressassociation", "thepressassociation"},
    "dpa": {"dpa", "dpainternational", "deutschepresseagentur"},
    "EFE": {"efe", "agenciaefe"},
    "Xinhua": {"xinhua", "xinhuanet", "xinhuanewsagency"},
}


def mentionable(name: str) -> bool:
    """A site name long enough to be found inside running text, and no wire agency's (an
    agency named is a credit, read as one)."""
    return len(name) >= _MENTION_MIN and not any(name in s for s in AGENCY_SITES.values())


_MENTION_MIN = 6


@lru_cache(maxsize=4096)
def site_hints(doc: Document) -> frozenset[str]:
    """Names a page goes by: its site, hosts of its URLs, domains its own chrome mentions."""
    hints = {h for h in (doc.site, url_host(doc.url), _own_canonical(doc)) if h}
    for start, end in lines_with(doc.text, _SELF_MENTION_CUES, lowered(doc)):
        line = doc.text[start:end]
        if _SELF_MENTION.search(line) and not any(attribution_matches(line)):
            hints.update(d.lower() for d in domains(line))
            hints.update(_copyright_holders(line))
    return frozenset(filter(None, map(core_name, hints)))


@lru_cache(maxsize=64)
def lowered(doc: Document) -> str | None:
    """`doc.text.lower()` where each of its slices is the lower-casing of the text's slice, and
    also what `cues._folded` makes of it: the text holds none of the characters lower-cased
    apart ("ſ", "ı", "İ": `_folded` folds them, "İ" lower-cases to two characters) and no "Σ"
    (the one character whose lower case depends on its neighbours: σ or final ς). Else None.

    Read once a page for `site_hints`, and sliced for a version's text and for the rest of
    its page (`evidence.features`, `evidence.named_sites`), which each lower-cased their own
    text before: about two pages of lower-casing a version, where slices cost a copy."""
    text = doc.text
    return None if any(map(text.__contains__, _LOWERED_APART)) else text.lower()


_LOWERED_APART = "ſıİΣ"


def _copyright_holders(line: str) -> Iterator[str]:
    """The site a copyright line names ("© 2005 Market Pulse 24. All rights reserved."), with
    and without a leading "The": the page's publisher, as its masthead is. Never a wire
    agency: a copy carries the agency's copyright for the text it took ("© Reuters")."""
    for m in _COPYRIGHT.finditer(line):
        name = m.group("name").strip()
        if AGENCY_NAME.search(name):
            continue
        yield name
        if name.lower().startswith("the "):
            yield name[4:]


_COPYRIGHT = re.compile(
    r"(?i:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s+)?"
    r"(?P<name>[A-Z][\w&'’-]*(?: [A-Z0-9][\w&'’-]*){0,5})"
)


def _own_canonical(doc: Document) -> str | None:
    """The canonical link's host where it is the page's own: a copy's canonical link points to
    the page it took the text from (an attribution, `_attributions`), not to where it is."""
    host = url_host(doc.canonical_url)
    if host is None:
        return None
    if doc.url:
        return host if host == url_host(doc.url) else None
    return host if doc.site is None or core_name(doc.site) == core_name(host) else None


@lru_cache(maxsize=8192)
def url_host(url: str | None) -> str | None:
    """The host of a URL or bare domain, lower-cased; None for what is not one. Text from
    pages ("Source: [2]. China", "http://[x", a port past 65535) is no host, never an error."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # an unbalanced or invalid IPv6 bracket, a bad port
        return None
    return host.lower() if host else None


@lru_cache(maxsize=8192)
def goes_by(key: str, hints: frozenset[str]) -> bool:
    """Whether a page known by `hints` (`site_hints`) goes by the name `key` (`core_name`): one
    of its names, or the start of one. A site's domain is often its name cut short: a line
    naming "techbeat.example" names the page of "TechBeat Daily", "yahoo.com" "Yahoo News".
    Names shorter than `_PREFIX_MIN` match whole only ("bbc", "ap": too many names start so)."""
    return key in hints or (len(key) >= _PREFIX_MIN and any(h.startswith(key) for h in hints))


_PREFIX_MIN = 5


@lru_cache(maxsize=16384)
def core_name(name: str) -> str:
    """The name a site goes by: 'https://www.cryptopolitan.com/x' and 'Cryptopolitan.com' both
    become 'cryptopolitan', 'news.bbc.co.uk' becomes 'bbc' (the registered domain, by the
    Public Suffix List that tldextract ships; a host under no known suffix keeps its first
    label). Cached: a story asks for the same few names again and again (its pages' hosts,
    their attributions), and tldextract's look-up costs 30 us a name."""
    host = url_host(name) if ("/" in name or "." in name) else name
    host = (host or name).lower()
    found = _SUFFIXES(host)
    label = found.domain if found.suffix and found.domain else host.removeprefix("www.")
    return _NOT_ALNUM.sub("", label.split(".")[0])


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


# The suffix list tldextract ships: never fetched (no network at run time).
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
