"""Publication dates, read the way a reader finds them on a page.

The origin of a story is, other evidence equal, its earliest version, so a date
is worth reading wherever a reader would trust it: the page's metadata first,
then a date line at the top of the article ("Feb 9, 2005 10:51 GMT" under the
headline, "Published 10 Jan 2026, 14:48", "Posted on Saturday, January 10,
2026"). A date further down is not the article's (an embedded post, a related
link, an "updated" note), and a file's mtime never is (a copy or a checkout
resets it).

Parsing is left to well-kept libraries: `dateparser` for human date lines in
any of the languages wire copy comes in, `htmldate` for the many places HTML
hides a date (meta tags of every CMS, `<time>`, the URL). ISO 8601 and RFC 2822
strings, the forms metadata uses, are read by the standard library first,
since dateparser costs about 2 ms a call.

Every function returns an ISO 8601 string or None: a date that cannot be read
is "no date", never an error, since one bad field must not cost a document.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from functools import lru_cache
from typing import Any

# --- ISO 8601, RFC 2822 and plain month-name dates: the metadata forms ---------------------

_ISO = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)"
    r"(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?)?",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:[a-z]+,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# An optional time after the year: ", 14:48", " 09:06 GMT", " at 2:30 pm EST".
_CLOCK_PART = (
    r"(?:,?\s+(?:at\s+)?(\d{1,2})[:.](\d\d)(?::(\d\d))?\s*([ap]\.?m\.?)?"
    r"(?:\s*(?:([a-z]{1,4})|([+-]\d\d:?\d\d)))?)?"
)
_MONTH_DAY_YEAR = re.compile(
    _WEEKDAY + rf"([a-z]+)\.?\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})" + _CLOCK_PART, re.I
)
_DAY_MONTH_YEAR = re.compile(
    _WEEKDAY + rf"(\d{{1,2}}){_ORDINAL}\s+([a-z]+)\.?,?\s+(\d{{4}})" + _CLOCK_PART, re.I
)
# Zone names wire copy and English-language sites print; any other name goes to dateparser.
_ZONE_HOURS = {
    "gmt": 0, "utc": 0, "z": 0, "bst": 1, "cet": 1, "cest": 2,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# English names on purpose: strptime's %b follows the process locale.
_MONTHS = {name: i for i, full in enumerate(_MONTH_NAMES, 1) for name in (full, full[:3])}
_MONTHS["sept"] = 9
# Dates outside this range are typos or placeholders ("0001-01-01"), not publication dates.
_FIRST_YEAR, _LAST_YEAR = 1990, 2100


def normalize_date(value: object) -> str | None:
    """ISO 8601 form of a metadata date string, keeping a given UTC offset; None when it
    cannot be read (any type, an impossible day, an offset past a day, a year out of range).

    Dates are compared across copies to find the first publisher, so every
    source format has to land in one sortable representation.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        found = _iso(value) or _textual(value) or _rfc2822(value)
    except (ValueError, OverflowError):  # matched a pattern but names an impossible date
        return None
    return found if found and _FIRST_YEAR <= int(found[:4]) < _LAST_YEAR else None


def _iso(value: str) -> str | None:
    match = _ISO.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day)).isoformat()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    date = dt.date(int(year), int(month), int(day))
    clock = dt.time(int(hour), int(minute), int(second or 0), micro, tzinfo=_zone(zone))
    return dt.datetime.combine(date, clock).isoformat()


def _rfc2822(value: str) -> str | None:
    try:
        return email.utils.parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):  # TypeError: Python 3.10 on unparseable input
        return None


def _zone(zone: str | None) -> dt.timezone | None:
    if zone is None:
        return None
    if zone.upper() == "Z":
        return dt.timezone.utc
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
    return dt.timezone(dt.timedelta(minutes=minutes if zone[0] == "+" else -minutes))


def _textual(value: str) -> str | None:
    """Month-name dates such as 'Jan 10, 2026' or '10 January 2026', weekday optional, with
    an optional time and zone ('Feb 9, 2005 10:51 GMT', '10 Jan 2026, 14:48'): the English
    forms most pages print, read here because dateparser costs a hundred times more."""
    if match := _MONTH_DAY_YEAR.fullmatch(value):
        month, day, year, *clock = match.groups()
    elif match := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year, *clock = match.groups()
    else:
        return None
    number = _MONTHS.get(month.lower())
    if not number:
        return None
    date = dt.date(int(year), number, int(day))
    hour, minute, second, meridiem, name, offset = clock
    if hour is None:
        return date.isoformat()
    if name is not None and name.lower() not in _ZONE_HOURS:
        return None
    h = int(hour)
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem.lower().startswith("p") else 0)
    zone = (
        _zone(offset)
        if offset
        else dt.timezone(dt.timedelta(hours=_ZONE_HOURS[name.lower()]))
        if name
        else None
    )
    clock_time = dt.time(h, int(minute), int(second or 0), tzinfo=zone)
    return dt.datetime.combine(date, clock_time).isoformat()


# --- date lines at the top of a page -----------------------------------------------------

# How far down a date still belongs to the article: the masthead, navigation, headline,
# standfirst and byline of a captured page come first. Past that, a date is some other
# item's (a related link, an embedded post, a correction note).
_TOP_LINES = 8
_TOP_CHARS = 1500
# A date line is short: a label, a byline, the date and its time. A longer line is prose,
# whose dates are the events it reports ("on Jan 10, 2026 the board met").
_DATE_LINE_WORDS = 12
_LABEL_WORDS = 3  # "Published on", "Posted by Jane Doe on", "Veröffentlicht am"
# A year 1990-2099 not inside a longer number. Written to open with a literal digit (the
# lookbehind after it) so that the regex engine skips to the 1s and 2s of a line at C speed:
# a pattern that opens with a lookbehind is tried at every position (2.6x slower here).
_YEAR = re.compile(r"(?:1(?<!\d1)99|2(?<!\d2)0\d)\d(?!\d)")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}(?:[:h]\d{2}|\s*[ap]\.?m\b)", re.IGNORECASE)
# Parts of a date line: "By Jane Doe | Jan 10, 2026 · 3 min read".
_PARTS = re.compile(r"\s*(?:[|·•]|\s[-–—]\s)\s*")
# An "updated" date is after publication: it is no evidence of who was first.
_UPDATED = re.compile(
    r"\b(?:updated?|modified|last edited|edited|corrected|mis à jour|actualisé|aktualisiert"
    r"|actualizado|aggiornato|atualizado|bijgewerkt)\b",
    re.IGNORECASE,
)
# "date 2026-01-10 …" at the top of a page whose header line is long (site chrome run
# together): a labelled ISO date is a date line whatever surrounds it.
_LABELLED_ISO = re.compile(
    r"\b(?:date|published|posted)\s*:?\s*(?P<date>\d{4}-\d{2}-\d{2})(?!\d)", re.IGNORECASE
)
_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "zh", "ja")  # zh, ja: "2026年1月10日"


def page_date(text: str) -> str | None:
    """The publication date shown at the top of an article's text, or None.

    The first `_TOP_LINES` non-blank lines are read, each a short line holding a
    year (a headline, a byline, a date line); a part labelled as an update is
    passed over. A time is kept when the line gives one (with its zone, UTC
    when none is named); otherwise the date is a day.
    """
    head = text[:_TOP_CHARS]
    lines = [line for line in head.split("\n") if line.strip()][:_TOP_LINES]
    for line in lines:
        if not _YEAR.search(line):
            continue
        prose = len(line.split()) > _DATE_LINE_WORDS
        labelled = _LABELLED_ISO.search(line) if prose else None
        if labelled and (found := normalize_date(labelled.group("date"))):
            return found
        for part in _PARTS.split(line.strip()):
            if len(part.split()) > _DATE_LINE_WORDS:
                break  # the prose has begun: "Digest - July 3, 2005 | Today's stories: ..."
            dated = _YEAR.search(part) and not _UPDATED.search(part)
            # in a long line only a part that is a date and nothing else: prose mentions dates
            if dated and (found := _date_in(part, labels=0 if prose else _LABEL_WORDS)):
                return found
    return None


def _date_in(part: str, labels: int) -> str | None:
    """The date a short line part gives, after up to `labels` leading label words."""
    words = part.split()
    for skip in range(min(labels, len(words) - 1) + 1):
        if skip and any(c.isdigit() for c in words[skip - 1]):
            return None  # a label holds no digits: this part is not "label + date"
        candidate = " ".join(words[skip:]).strip(" ,;:()[]")
        if found := normalize_date(candidate):
            return found
        if _starts_like_date(candidate) and (found := _human_date(candidate)):
            return found
    return None


def _starts_like_date(candidate: str) -> bool:
    """Whether a string opens as dates do, with a number or a month or weekday name in one
    of `_LANGUAGES`: dateparser costs milliseconds a call, most lines are not dates."""
    first = candidate.split(maxsplit=1)[0].strip(".,").lower() if candidate else ""
    return first[:1].isdigit() or first in _date_words()


@lru_cache(maxsize=1)
def _date_words() -> frozenset[str]:
    """Month and weekday names (and their abbreviations) of `_LANGUAGES`, from dateparser's
    own locale data."""
    from dateparser.languages import default_loader

    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    words: set[str] = set()
    for language in _LANGUAGES:
        info = default_loader.get_locale(language).info
        for key in (*_MONTH_NAMES, *days):
            words.update(str(w).lower().rstrip(".") for w in info.get(key, ()))
    return frozenset(words)


@lru_cache(maxsize=4096)
def _human_date(value: str) -> str | None:
    """dateparser's reading of a whole date string (day, month and year required), cached:
    the pages of one site repeat their date format, and often their dates."""
    year = _YEAR.search(value)
    if year is None:
        return None
    try:
        data = _parser().get_date_data(value)
    except Exception:  # dateparser raises several types on odd input: no date, never a crash
        return None
    when = data.date_obj
    if not isinstance(when, dt.datetime) or str(when.year) != year.group():
        return None
    if not _FIRST_YEAR <= when.year < _LAST_YEAR:
        return None
    if not _CLOCK.search(value):
        return when.date().isoformat()
    return when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


@lru_cache(maxsize=1)
def warm() -> None:
    """Pay dateparser's first-use cost now, in a process about to fork workers, so that they
    inherit it instead of each paying it again: importing it and the first line it reads
    (about a quarter of a second of CPU). That line, like any with a word no language of
    `_LANGUAGES` knows, has every language's patterns compiled to find none of them
    applicable, and dateparser's time-zone patterns to strip a zone first.

    Reads no date: the line is parsed straight by `_parser`, not through `_human_date`'s
    cache, and the parser keeps no state from one line to the next (it is built without
    `try_previous_locales`), so every date read afterwards is the one read without this."""
    _date_words()
    _parser().get_date_data(_WARMING_LINE)


_WARMING_LINE = "1 x 2026"  # a year, a number and a word no language knows: every locale tried


@lru_cache(maxsize=1)
def _parser() -> Any:
    """One dateparser instance (building one loads its language data)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=list(_LANGUAGES),
        settings={
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": "UTC",
            "TO_TIMEZONE": "UTC",
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["absolute-time"],
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


def html_date(html: str, own_url: str | None) -> str | None:
    """The publication date `htmldate` finds in a page's markup (meta tags of the common
    publishing systems, `<time>` elements, JSON-LD, the page's own URL), never in its prose;
    None when it finds none. Used after the metadata `extract` reads itself.

    The URL is the page's own (`og:url`): left to itself htmldate reads the canonical
    link's, and a copy's canonical link points to the page it was taken from, whose date
    is the source's, not the copy's.
    """
    from htmldate import find_date

    try:
        found = find_date(
            html,
            url=own_url or "",
            extensive_search=False,
            original_date=True,
            deferred_url_extractor=True,
        )
    except Exception:  # htmldate on broken markup: no date, never a crash
        return None
    return normalize_date(found) if isinstance(found, str) else None


# --- dates a page gives itself, against which its published date is checked ----------------

# "/2005/06/18/", "/2005-06-18-": the day a page's URL was minted, the day it was published.
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/-]|$)")
# A day printed in local time is 14 hours ahead of UTC at most (and 12 behind): a date off by
# less than that from the page's own day is a time zone, not a contradiction.
_ZONE_SLACK = 14 * 3600.0
_SECONDS_A_DAY = 86400.0


def url_day(url: str | None) -> dt.date | None:
    """The day in a URL's path ("/2005/06/18/"), or None."""
    if not url or not (m := _URL_DAY.search(url)):
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def month_day(month: str, day: str, year: int) -> dt.date | None:
    """The date of an English month name and day in `year` ("Oct", "8", 2005), or None."""
    number = _MONTHS.get(month.lower().rstrip("."))
    try:
        return dt.date(year, number, int(day)) if number else None
    except ValueError:
        return None


def contradicted(when: tuple[float, float], day: dt.date, *, before_only: bool = False) -> bool:
    """Whether a published date (`when`, POSIX seconds it may lie between) is impossible
    beside a day the page gives itself (its URL's, its dateline's): further from that day
    than time zones explain. `before_only`: only a date before the day counts (a dateline
    says when the story was filed; a copy may be published days later)."""
    start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()
    if when[1] < start - _ZONE_SLACK:
        return True
    return not before_only and when[0] > start + _SECONDS_A_DAY + _ZONE_SLACK
