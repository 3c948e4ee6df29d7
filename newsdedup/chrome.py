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


def _anchored(phrases: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    """Patterns that together find exactly the phrases, one per anchor: each phrase's
    rarest letter.

    A pattern that starts with one literal letter is scanned for at C speed and
    tried only where that letter is (v, k, q, ...: about one position in nine
    for all of them), where one alternation of the phrases is tried at half of
    all positions (a, t, s, ...). The rest of a phrase is checked behind and
    ahead of its anchor.
    """
    rarity = "etaoinshrdlcumwfgypbvkjxqz"  # English letters, most frequent first
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        k = max(range(len(phrase)), key=lambda i: rarity.find(phrase[i]))
        behind, ahead = re.escape(phrase[: k + 1]), re.escape(phrase[k + 1 :])
        groups.setdefault(phrase[k], []).append(f"(?<={behind}){ahead}")
    return tuple(re.compile(f"{re.escape(c)}(?:{'|'.join(a)})") for c, a in groups.items())


_CHROME = _anchored(_CHROME_PHRASES)


def reads_as_chrome(text: str) -> bool:
    """Cue phrases of site chrome: literal phrases, as this runs on every segment."""
    low = text.lower()
    return any(pattern.search(low) for pattern in _CHROME) or (
        _APPEARED_ON in low and _THE_POST.search(low) is not None
    )


def chrome_flags(texts: Sequence[str]) -> np.ndarray:
    """`reads_as_chrome` of each text (bool array), searching them all joined at once.

    No phrase contains the joining character, so a match lies in one text; a
    match that hides an overlapping one lies in the same text.
    """
    lows = [text.lower() for text in texts]
    starts = np.cumsum([0, *(len(low) + 1 for low in lows)])
    joined = "\0".join(lows)
    flags = np.zeros(len(lows), dtype=bool)
    found = [m.start() for pattern in _CHROME for m in pattern.finditer(joined)]
    flags[np.searchsorted(starts, found, side="right") - 1] = True
    at = joined.find(_APPEARED_ON)
    while at >= 0:
        row = int(np.searchsorted(starts, at, side="right")) - 1
        flags[row] |= _THE_POST.search(lows[row]) is not None
        at = joined.find(_APPEARED_ON, int(starts[row + 1]))
    return flags
