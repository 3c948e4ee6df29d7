"""Cue phrases of site chrome: a prior for boilerplate that only ever removes a passage from
linking, never creates a link. Frequency decides the rest (see cluster.py)."""

from __future__ import annotations

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


def _anchored(phrases: Sequence[str]) -> re.Pattern[str]:
    """One pattern finding exactly the phrases, each anchored at its rarest letter.

    The regex engine tries a match only where the first character can start
    one; at a rare letter (v, k, q, ...) that is about one position in nine,
    where the plain alternation tries at half of them (a, t, s, ...). The rest
    of each phrase is checked behind and ahead of the anchor.
    """
    rarity = "etaoinshrdlcumwfgypbvkjxqz"  # English letters, most frequent first
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        k = max(range(len(phrase)), key=lambda i: rarity.find(phrase[i]))
        behind, ahead = re.escape(phrase[: k + 1]), re.escape(phrase[k + 1 :])
        groups.setdefault(phrase[k], []).append(f"(?<={behind}){ahead}")
    return re.compile("|".join(f"{re.escape(c)}(?:{'|'.join(a)})" for c, a in groups.items()))


_CHROME = _anchored(_CHROME_PHRASES)


def reads_as_chrome(text: str) -> bool:
    """Cue phrases of site chrome: literal phrases, as this runs on every segment."""
    low = text.lower()
    return _CHROME.search(low) is not None or (
        _APPEARED_ON in low and _THE_POST.search(low) is not None
    )


def chrome_flags(texts: Sequence[str]) -> np.ndarray:
    """`reads_as_chrome` of each text (bool array), from one search of them all joined.

    No phrase contains the joining character, so a match lies in one text.
    """
    lows = [text.lower() for text in texts]
    starts = np.cumsum([0, *(len(low) + 1 for low in lows)])
    joined = "\0".join(lows)
    flags = np.zeros(len(lows), dtype=bool)
    found = [m.start() for m in _CHROME.finditer(joined)]
    flags[np.searchsorted(starts, found, side="right") - 1] = True
    at = joined.find(_APPEARED_ON)
    while at >= 0:
        row = int(np.searchsorted(starts, at, side="right")) - 1
        flags[row] |= _THE_POST.search(lows[row]) is not None
        at = joined.find(_APPEARED_ON, int(starts[row + 1]))
    return flags
