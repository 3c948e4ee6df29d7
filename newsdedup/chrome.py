"""Cue phrases of site chrome: a prior for boilerplate that only ever removes a passage from
linking, never creates a link. Frequency decides the rest (see cluster.py)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

import numpy as np

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

    Each phrase is found by `str.find` (C's fast substring search, which skips ahead
    over text that cannot hold it), where a regex scan tried every position: about a
    third of the time. No phrase contains the joining character, so a match lies in
    one text, and after one the search goes on from the next text.
    """
    lows = [text.lower() for text in texts]
    starts = list(itertools.accumulate((len(low) + 1 for low in lows), initial=0))
    joined = "\0".join(lows)
    flags = np.zeros(len(lows), dtype=bool)
    for phrase in _CHROME_PHRASES:
        at = joined.find(phrase)
        while at >= 0:
            row = bisect.bisect_right(starts, at) - 1
            flags[row] = True
            at = joined.find(phrase, starts[row + 1])
    at = joined.find(_APPEARED_ON)
    while at >= 0:
        row = bisect.bisect_right(starts, at) - 1
        flags[row] |= _THE_POST.search(lows[row]) is not None
        at = joined.find(_APPEARED_ON, starts[row + 1])
    return flags
