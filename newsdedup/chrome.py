"""Cue phrases of site chrome: a prior for boilerplate that only ever removes a passage from
linking, never creates a link. Frequency decides the rest (see cluster.py)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

import numpy as np
from ahocorasick_rs import BytesAhoCorasick

# Phrases that mark site chrome rather than reporting. They only ever remove a
# passage from linking, never create a link, and they back up the frequency
# rule on small corpora where a footer is seen only twice.
_CHROME_PHRASES = (
    "all rights reserved",
    "appeared first on",
    "not financial advice",
    "not investment advice",
    "not trading advice",
    "no liability",
    "privacy policy",
    "terms of service",
    "terms of use",
    "cookie",
    "subscribe to",
    "sign up for",
    "newsletter",
    "follow us on",
    "share this article",
    "share this story",
    "click here",
    "read more",
    "advertisement",
    "disclaimer",
    "with a qualified professional",
    "with a financial adviser",
)
_THE_POST = re.compile(r"\bthe post\b.{0,300}\bappeared on\b")
_APPEARED_ON = "appeared on"


def reads_as_chrome(text: str) -> bool:
    """Cue phrases of site chrome: literal phrases, as this runs on every segment."""
    low = text.lower()
    return any(phrase in low for phrase in _CHROME_PHRASES) or (
        _APPEARED_ON in low and _THE_POST.search(low) is not None
    )


def chrome_flags(texts: Sequence[str]) -> np.ndarray:
    """`reads_as_chrome` of each text (bool array), searching them all joined at once.

    Every phrase (and "appeared on", which asks for `_THE_POST`) is found in one pass by an
    Aho-Corasick automaton (`ahocorasick_rs`, compiled: a third of the time of a
    `bytes.find` a phrase, a fifth of a `str.find` a phrase over the texts lowered as text)
    over the texts' UTF-8 bytes joined, lower-cased as bytes: every phrase is ASCII, and an
    ASCII byte of UTF-8 is always an ASCII character, so a phrase lies in the bytes exactly
    where it lies in the lowered text, one byte a character and no `str.lower`.
    `bytes.lower` lowers ASCII only, where `str.lower` also turns two other characters into
    ASCII (`_ASCII_FROM_LOWER`: the Kelvin sign is "k"); a text holding one is lowered as
    text first. No phrase contains the joining NUL, so a match lies in one text: the one
    whose bytes start last at or before it.
    """
    parts = [text.encode("utf-8", "surrogatepass") for text in texts]
    data = b"\0".join(parts)
    if _lowers_to_ascii(data):
        parts = [
            text.lower().encode("utf-8", "surrogatepass") if _lowers_to_ascii(part) else part
            for text, part in zip(texts, parts, strict=True)
        ]
        data = b"\0".join(parts)
    starts = list(itertools.accumulate((len(part) + 1 for part in parts), initial=0))
    flags = np.zeros(len(texts), dtype=bool)
    for phrase, at, _ in _PHRASES.find_matches_as_indexes(data.lower(), overlapping=True):
        row = bisect.bisect_right(starts, at) - 1
        if phrase < len(_CHROME_PHRASES):
            flags[row] = True
        elif not flags[row]:  # "appeared on"
            flags[row] = _THE_POST.search(texts[row].lower()) is not None
    return flags


_PHRASES = BytesAhoCorasick([p.encode("ascii") for p in (*_CHROME_PHRASES, _APPEARED_ON)])
# The UTF-8 of the only characters that `str.lower` turns into ASCII (İ into "i" and a
# combining dot, the Kelvin sign into "k"), found by lowering all of Unicode (a test does).
_ASCII_FROM_LOWER = tuple(char.encode() for char in ("\u0130", "\u212a"))


def _lowers_to_ascii(data: bytes) -> bool:
    """Whether UTF-8 `data` holds a character of `_ASCII_FROM_LOWER`. Its last byte is
    looked for first: one byte is found by `memchr`, ten times faster than a search for
    two or three, and these bytes are rare in news text (B0 also ends a degree sign)."""
    return any(code[-1:] in data and code in data for code in _ASCII_FROM_LOWER)
