"""Cue phrases of site chrome: a prior for boilerplate that only ever removes a passage from
linking, never creates a link. Frequency decides the rest (see cluster.py)."""

from __future__ import annotations

import re

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


_CHROME = re.compile("|".join(map(re.escape, _CHROME_PHRASES)))


def reads_as_chrome(text: str) -> bool:
    """Cue phrases of site chrome: literal phrases, as this runs on every segment."""
    low = text.lower()
    return _CHROME.search(low) is not None or (
        "appeared on" in low and _THE_POST.search(low) is not None
    )
