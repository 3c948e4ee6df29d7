"""Normalise segment text, shingle it, and compute MinHash signatures in numpy blocks.

Signatures are bit-identical to `datasketch.MinHash(num_perm, seed=seed,
hashfunc=<identity on our 32-bit shingle hashes>)` with datasketch 2.x's default
`affine32` scheme, so they can be stored as `LeanMinHash` and loaded into a
`MinHashLSH` by a persistent index; a test asserts the identity. Computing them
here in blocks avoids building one `MinHash` object (and its permutation
arrays) per segment, the dominant cost of the naive pipeline.
"""

from __future__ import annotations

import collections
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import regex
import xxhash
from datasketch import LeanMinHash, MinHash

from .chrome import chrome_flags
from .language import UNSPACED
from .records import Segment
from .segment import SegmentTable

SCHEME = "affine32"
"""datasketch permutation scheme; a stored index must refuse any other."""

NORMALISATION = "2"
"""Version of the text normalisation and shingle hashing (`tokens`, `fold_spelling`,
`shingle_sets`): bump it with any change that gives the same text other shingles, so that
an archive index built before refuses to compare its signatures with new ones."""


@dataclass(frozen=True, slots=True)
class FingerprintOptions:
    """Parameters that define a signature. Stored with any persisted index and compared."""

    num_perm: int = 128
    shingle_size: int = 5
    seed: int = 1
    min_words: int = 8

    def __post_init__(self) -> None:
        if self.num_perm < 8 or self.shingle_size < 1 or self.min_words < self.shingle_size:
            raise ValueError("need num_perm >= 8, shingle_size >= 1, min_words >= shingle_size")


@dataclass(frozen=True, eq=False)
class Fingerprints:
    """Shingle sets and signatures of many segments, as arrays.

    Row `i` describes row `i` of `table`. Shingle hashes of row `i` are the
    sorted, unique values `shingles[offsets[i]:offsets[i + 1]]`; a segment
    with fewer than `min_words` words has no shingles and an all-max
    signature, and is never indexed (`indexed[i]` is False). `signatures`
    may be empty (zero rows) once candidates are found: nothing later reads them.
    """

    table: SegmentTable
    shingles: np.ndarray  # uint32, concatenated per segment
    offsets: np.ndarray  # int64, len(table) + 1
    signatures: np.ndarray  # uint32, (len(table), num_perm), or (0, num_perm)
    indexed: np.ndarray = field(repr=False)  # bool, len(table)
    chrome: np.ndarray = field(repr=False)  # bool, len(table): reads as site chrome

    def __len__(self) -> int:
        return len(self.table)

    def without_signatures(self) -> Fingerprints:
        return replace(self, signatures=self.signatures[:0])

    def documents(self, doc_ids: Sequence[str]) -> Fingerprints:
        """Whole documents only, in the given order: what one story's provenance needs of
        the corpus. Signatures are left out: only candidate generation reads them."""
        table, rows = self.table.take_documents(doc_ids)
        return self.take_rows(rows, table)

    def take_rows(self, rows: np.ndarray, table: SegmentTable | None = None) -> Fingerprints:
        """Rows `rows`, in that order, described by `table` (default: the rows' columns under
        no document, for work that reads rows only, such as verifying pairs of them)."""
        if table is None:
            table = SegmentTable(
                doc_ids=(),
                bounds=np.zeros(1, dtype=np.int64),
                start=self.table.start[rows],
                end=self.table.end[rows],
                block=self.table.block[rows],
            )
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        lengths = ends - starts
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        take = np.repeat(starts - offsets[:-1], lengths) + np.arange(int(offsets[-1]))
        return Fingerprints(
            table=table,
            shingles=self.shingles[take],
            offsets=offsets,
            signatures=self.signatures[:0],
            indexed=self.indexed[rows],
            chrome=self.chrome[rows],
        )

    def shingle_set(self, row: int) -> np.ndarray:
        return self.shingles[self.offsets[row] : self.offsets[row + 1]]

    def lean_minhash(self, row: int, opts: FingerprintOptions) -> LeanMinHash:
        """The row's signature as a datasketch sketch, for a persistent `MinHashLSH`."""
        return LeanMinHash(seed=opts.seed, hashvalues=self.signatures[row], scheme=SCHEME)


# Acronyms lose their dots ("U.S." -> "US") and typographic variants collapse,
# so house style does not hide a copy.
_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u00a0": " ",
        "\u200b": "",
    }
)
# A word is a run of letters, digits and combining marks (UAX #29's letters and their
# Extend characters: Devanagari, Thai or Arabic vowel signs are inside a word, where
# `[^\W_]` cut "हिन्दी" into three words) with inner ' . , kept. A character of a
# script written without spaces (Han, kana, Thai, ...) is a token of its own with its
# marks: the shingles of such text are runs of characters (`language.UNSPACED`).
_WORD_CLASS = rf"[[\p{{L}}\p{{N}}\p{{M}}]--[{UNSPACED}]]"
_TOKEN = regex.compile(
    rf"[{UNSPACED}]\p{{M}}*|{_WORD_CLASS}+(?:['.,]{_WORD_CLASS}+)*", regex.VERSION1
)
# The same tokens for text without combining marks or unspaced scripts, 3x faster: all
# of it below U+0300 (Latin with its accents composed by NFKC: French, German, Spanish,
# Polish, Czech ...), where every letter and digit is `[^\W_]` and nothing else is.
_LATIN_TOKEN = re.compile(r"[^\W_]+(?:['.,][^\W_]+)*")
_FIRST_MARK = "\u0300"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD_CHAR = re.compile(r"\w")
_ACRONYM_HINT = re.compile(r"\.[^\W\d_]\.")  # in every acronym; a fast literal-led search
# The tokens of lower-case ASCII text are its runs of letters, digits and inner
# ' . , once every other character is a space and every ' . , not between two
# letters or digits is one too: a byte translate (which also lower-cases), one
# substitution and a split, where a tokenising regex steps through every character.
_WORD_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if re.fullmatch(rb"[a-z0-9'.,]", bytes([c])) else 32
    for c in range(256)
)
_LOOSE = re.compile(r"['.,](?:(?![^\W_])|(?<![^\W_].))")


def tokens(text: str) -> list[str]:
    """Normalised words: NFKC, case-folded, quotes/dashes unified, acronym dots removed."""
    words = _ascii_words(text)
    if words is None:
        return _unicode_tokens(text)
    return _LOOSE.sub(" ", words).split()


def _ascii_words(text: str) -> str | None:
    """`text` with the tokens `tokens` finds in it, lower-case, every other character a
    space except inner ' . , between them; None if that needs the full Unicode path."""
    words = _ascii_word_bytes(text)
    return None if words is None else words.decode()


def _ascii_word_bytes(text: str) -> bytes | None:
    """`_ascii_words` as the bytes it is made of (ASCII), which `_token_hashes` reads."""
    if not text.isascii():
        text = _NON_ASCII.sub(_stand_in, text)
        if not text.isascii():
            return None
    if _ACRONYM_HINT.search(text):
        text = _ACRONYM.sub(_undot, text)
    return text.encode().translate(_WORD_BYTES)


def _stand_in(m: re.Match[str]) -> str:
    return _ascii_stand_in(m.group())


@functools.cache
def _ascii_stand_in(char: str) -> str:
    """ASCII that `tokens` reads as it reads `char` in text that is otherwise ASCII, or
    `char` itself if there is none.

    In such text NFKC works character by character: ASCII never composes, and
    neither does a symbol, punctuation mark or space without a decomposition
    (only marks and jamo are second in a composition). So a character whose
    normal form is ASCII stands for that form (curly quotes, dashes, ligatures),
    and a symbol that no step changes (€, ©, emoji) separates words as a space does.
    """
    folded = unicodedata.normalize("NFKC", char).translate(_TRANSLATE).casefold()
    if folded.isascii():
        return folded
    if (
        folded == char
        and not unicodedata.decomposition(char)
        and unicodedata.category(char)[0] in "PSZ"
        and not _WORD_CHAR.match(char)
    ):
        return " "
    return char


def _unicode_tokens(text: str) -> list[str]:
    """`tokens` the general way, for any text: NFKC, the table, casefold, a tokenising regex."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    if "." in text:
        text = _ACRONYM.sub(_undot, text)
    if not text or max(text) < _FIRST_MARK:
        return _LATIN_TOKEN.findall(text)
    found: list[str] = _TOKEN.findall(text)
    return found


def _undot(m: re.Match[str]) -> str:
    return m.group().replace(".", "")


def _token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """`_word_hashes` of every text's tokens, concatenated (uint64), and how many tokens
    each text has (int64): what shingling reads, with no string per token. The tokens
    are `tokens`', those of the Unicode path loosened again by `_LOOSE` (a ' . , beside a
    combining mark splits one there) as fingerprinting always read them: same shingles.

    The texts `_ascii_word_bytes` reads (most) are read together, as one string
    (`_joined_words`), and their tokens found in numpy over its bytes (`_token_spans`),
    then numbered by their bytes (`_spelled_hashes`): only the distinct words are
    made into strings, to be spelling-folded and hashed. The tokens of texts that
    need the Unicode path are made as strings and numbered by a dictionary.
    """
    data, bounds, is_plain = _joined_words(texts)
    starts, ends = _token_spans(data)
    counts = np.diff(np.searchsorted(starts, bounds))  # a text's tokens start inside it
    hashes = _spelled_hashes(data, starts, ends)
    if is_plain.all():
        return hashes, counts
    others = [
        _LOOSE.sub(" ", " ".join(_unicode_tokens(text))).split()
        for text, plain in zip(texts, is_plain.tolist(), strict=True)
        if not plain
    ]
    each = np.empty(len(texts), dtype=np.int64)
    each[is_plain] = counts
    each[~is_plain] = [len(found) for found in others]
    source = np.concatenate([hashes, _hashed(list(itertools.chain.from_iterable(others)))])
    first = np.empty(len(texts), dtype=np.int64)  # each text's first token in `source`
    first[is_plain] = _run_starts(counts)
    first[~is_plain] = len(hashes) + _run_starts(each[~is_plain])
    take = np.repeat(first - _run_starts(each), each) + np.arange(int(each.sum()))
    return source[take], each


_SEPARATOR = "\0"  # joins texts in `_joined_words`: no step below makes, removes or reads past it


def _joined_words(texts: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """The `_ascii_word_bytes` of the texts that have them, joined by spaces; where each
    of those starts in it, then its length + 1 (where one more would start); which texts
    they are (bool).

    The stand-ins replace the characters of the texts that are not ASCII (told without a
    scan: `str.isascii` reads a flag the string keeps), text by text: over the texts
    joined, the pattern stepped through every character, most of them in ASCII texts
    (two thirds of the project corpus's segment texts), and the joined string took two
    bytes a character whenever one text did. The rest runs once over the texts joined
    by `_SEPARATOR`, not once a text: each step works character by character or within a
    run of letters and dots (acronyms), so none reaches across it. If a text joined holds
    the separator itself (more cuts than joins), all are read one by one.
    """
    parts = [text if text.isascii() else _NON_ASCII.sub(_stand_in, text) for text in texts]
    is_plain = np.fromiter(map(str.isascii, parts), dtype=bool, count=len(parts))
    if not is_plain.all():
        parts = list(itertools.compress(parts, is_plain.tolist()))
    # text by text: `_ACRONYM` is tried at every character, the hint's literal quickly
    parts = [_ACRONYM.sub(_undot, p) if _ACRONYM_HINT.search(p) else p for p in parts]
    data = _SEPARATOR.join(parts).encode()
    cuts = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0) + 1
    if len(cuts) != max(len(parts) - 1, 0):
        words = [_ascii_word_bytes(text) for text in texts]
        plain = [w for w in words if w is not None]
        bounds = np.zeros(len(plain) + 1, dtype=np.int64)
        np.cumsum([len(w) + 1 for w in plain], out=bounds[1:])
        return b" ".join(plain), bounds, np.array([w is not None for w in words], dtype=bool)
    ends = [len(data) + 1] if is_plain.any() else []
    bounds = np.concatenate([np.zeros(1, dtype=np.int64), cuts, ends]).astype(np.int64)
    return data.translate(_WORD_BYTES), bounds, is_plain


def _run_starts(counts: np.ndarray) -> np.ndarray:
    """Where each of consecutive runs of `counts` items starts (an exclusive running sum)."""
    starts = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    return starts


def _hashed(words: Sequence[str]) -> np.ndarray:
    """`_word_hashes` of each of `words`, each distinct word hashed once."""
    ids, vocabulary = _numbered(words)
    hashes: np.ndarray = _word_hashes(vocabulary)[ids]
    return hashes


# `_ascii_word_bytes`'s output: a byte of a letter or digit, a ' . , (kept between two
# letters or digits, a space elsewhere, as `_LOOSE` says), and every other byte a space.
_ALNUM_FLAGS = bytes(int(chr(c).isascii() and chr(c).isalnum()) for c in range(256))
_INNER_FLAGS = bytes(int(chr(c) in "'.,") for c in range(256))


def _token_spans(words: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the tokens in `words` (`_ascii_word_bytes` output, or several
    joined by spaces): what `_LOOSE.sub(" ", words).split()` cuts, as byte offsets."""
    inside = np.zeros(len(words) + 2, dtype=np.int8)  # a byte of a token, padded each side
    inside[1:-1] = np.frombuffer(words.translate(_ALNUM_FLAGS), dtype=np.int8)
    inner = np.flatnonzero(np.frombuffer(words.translate(_INNER_FLAGS), dtype=bool)) + 1
    inside[inner] = inside[inner - 1] & inside[inner + 1]  # read before any is written
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    return edges[0::2], edges[1::2]


_CHUNK = 8  # bytes of a token read as one integer
_CHUNKS = 4  # tokens up to this many chunks long are numbered by their bytes
_KEEP = np.array([(1 << (8 * n)) - 1 for n in range(_CHUNK + 1)], dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _spelled_hashes(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """`_word_hashes` of the ASCII tokens data[starts[i]:ends[i]] (uint64).

    A token's bytes, zero-padded to whole chunks, are the integers of its chunks
    (token bytes are never zero). A token of one chunk (most words) is numbered by
    that integer. Two to `_CHUNKS` chunks are mixed into one integer, and the
    numbering checked: every token must hold its number's chunks, else (two words
    mixed alike) they are numbered by a dictionary, as longer tokens always are.
    The distinct integers are sorted and each token's number found by binary search.
    """
    lengths = ends - starts
    padded = data + bytes(_CHUNK * _CHUNKS)
    # the `_CHUNK` bytes from each byte on, as one integer: an unaligned view, gathered at
    # once (twice as fast as rows of a sliding window of bytes, viewed as integers after)
    chunks = np.ndarray((len(padded) - _CHUNK + 1,), dtype="<u8", buffer=padded, strides=(1,))
    hashes = np.empty(len(starts), dtype=np.uint64)
    strings = _Substrings(data, starts, ends)
    for low, high in ((0, 1), (1, _CHUNKS)):
        rows = np.flatnonzero((lengths > _CHUNK * low) & (lengths <= _CHUNK * high))
        if not len(rows):
            continue
        at, size = starts[rows], lengths[rows]
        parts = [
            chunks[at + _CHUNK * k] & _KEEP[np.clip(size - _CHUNK * k, 0, _CHUNK)]
            for k in range(high)
        ]
        keys = parts[0]
        for part in parts[1:]:
            keys = (keys * _MIX) ^ part
        distinct, ids, first = _sorted_distinct(keys)
        if high == 1:  # the number is the word's bytes: words seen in earlier batches are known
            hashes[rows] = _known_hashes(distinct, strings, rows[first])[ids]
        elif all((part[first][ids] == part).all() for part in parts[1:]):
            hashes[rows] = _word_hashes(strings.of(rows[first]))[ids]
        else:
            hashes[rows] = _hashed(strings.of(rows))
    rest = np.flatnonzero(lengths > _CHUNK * _CHUNKS)
    hashes[rest] = _hashed(strings.of(rest))
    return hashes


def _sorted_distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct `keys` in ascending order, each key's number among them, and an index
    of `keys` holding each distinct one (`np.unique` with its inverse and indices).

    By one argsort, the numbers then counted along the sorted keys and put back in place:
    with the vectorised sorts numpy has on this machine (AVX-512), a third less than a
    sort and a binary search of every key (random reads over the distinct keys)."""
    order = np.argsort(keys)
    ordered = keys[order]
    new = np.empty(len(keys), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    ids = np.empty(len(keys), dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    return ordered[new], ids, order[new]


def _known_hashes(keys: np.ndarray, strings: _Substrings, rows: np.ndarray) -> np.ndarray:
    """`_word_hashes` of the words of one chunk whose bytes, read as integers, are `keys`
    (uint64), tokens `rows` of `strings`: the same words recur batch after batch, so
    each is spelling-folded and hashed once per process, not once per batch (about
    5,000 distinct words a batch, most seen before). A key is the word itself, so the
    memo is exact; it holds up to `_KNOWN_WORDS` words, then starts again."""
    known = list(map(_KNOWN.get, keys.tolist()))
    new = np.flatnonzero(np.fromiter((h is None for h in known), dtype=bool, count=len(known)))
    if len(new):
        if len(_KNOWN) + len(new) > _KNOWN_WORDS:
            _KNOWN.clear()
        hashed = _word_hashes(strings.of(rows[new])).tolist()
        for k, key, value in zip(new.tolist(), keys[new].tolist(), hashed, strict=True):
            known[k] = _KNOWN[key] = value
    return np.array(known, dtype=np.uint64)


_KNOWN: dict[int, int] = {}  # a word of one chunk, its bytes as an integer -> its hash
_KNOWN_WORDS = 1 << 18  # about 25 MB


class _Substrings:
    """Tokens of ASCII bytes as strings, for the few that are made into strings."""

    def __init__(self, data: bytes, starts: np.ndarray, ends: np.ndarray) -> None:
        self._data, self._text, self._starts, self._ends = data, "", starts, ends

    def of(self, rows: np.ndarray) -> list[str]:
        if len(rows) and not self._text:
            self._text = self._data.decode()
        text, ends = self._text, self._ends[rows].tolist()
        return [text[s:e] for s, e in zip(self._starts[rows].tolist(), ends, strict=True)]


# British -> American spellings. Rules fold both sides alike, so a rule that also
# bends an unrelated word ("praise" -> "praize") is harmless; the prefix lengths
# keep short words ("four", "rise", "called") out of them.
_SPELLING = (
    (
        re.compile(r"(?<=[a-z]{3})our(?=(?:s|ed|ing|ite|ites|able|ably|er|ers|ful|less|ist)?$)"),
        "or",
    ),
    (re.compile(r"(?<=[a-z]{3})is(?=(?:e|es|ed|ing|er|ers|ation|ations|ational)$)"), "iz"),
    (re.compile(r"(?<=[a-z]{3})ys(?=(?:e|es|ed|ing)$)"), "yz"),
    (re.compile(r"(?<=[a-z]{2}[tb])re(?=s?$)"), "er"),
    (re.compile(r"(?<=[a-z]{2}[aeiou])ll(?=(?:ed|ing|er|ers)$)"), "l"),
    (re.compile(r"(?<=fen|cen|ten)ce(?=s?$)"), "se"),
    (re.compile(r"(?<=[a-z]{3})ogue(?=s?$)"), "og"),
    (re.compile(r"^programme(?=s?$)"), "program"),
)


# Any rule's match, to skip the rules for the many words that none can change.
_SPELLING_HINT = re.compile("|".join(pattern.pattern for pattern, _ in _SPELLING))


def fold_spelling(token: str) -> str:
    """British spelling folded to American ("organisation's" -> "organization's")."""
    stem, apostrophe, tail = token.partition("'")
    if not _SPELLING_HINT.search(stem):
        return token
    for pattern, repl in _SPELLING:
        stem = pattern.sub(repl, stem)
    return stem + apostrophe + tail


_MASK32 = np.uint64(0xFFFFFFFF)


def shingle_sets(word_lists: Sequence[Sequence[str]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique 32-bit hashes of the word `size`-grams of each word list, as CSR arrays.

    Each distinct word is spelling-folded and hashed once (xxh32); a shingle's
    hash is a polynomial over its word hashes, computed for the whole batch in
    a few numpy passes, so the per-shingle cost is arithmetic, not string
    joins or per-segment numpy calls. House spelling (-ise/-ize, -our/-or)
    never hides a copy, nor counts as a copier's own reading. Stable across
    processes, unlike `hash()`. Returns (hashes, offsets): list i owns
    hashes[offsets[i]:offsets[i + 1]].
    """
    ids, vocabulary = _numbered(list(itertools.chain.from_iterable(word_lists)))
    lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
    return _shingles(_word_hashes(vocabulary)[ids], lengths, size)


def _numbered(words: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Each word's number in the vocabulary (first-seen order), and the vocabulary.

    A new word gets the next number from the dictionary's default factory, so
    the one pass over the words runs in C (`map`, `defaultdict`, `count`).
    """
    vocabulary: dict[str, int] = collections.defaultdict(itertools.count().__next__)
    ids = np.fromiter(map(vocabulary.__getitem__, words), dtype=np.int64, count=len(words))
    return ids, vocabulary


def _word_hashes(vocabulary: Iterable[str]) -> np.ndarray:
    """xxh32 of each word, spelling-folded, as uint64 for the shingle arithmetic."""
    return np.fromiter(
        (xxhash.xxh32_intdigest(fold_spelling(w).encode()) for w in vocabulary), dtype=np.uint64
    )


def _shingles(
    word_hashes: np.ndarray, lengths: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """`shingle_sets` of consecutive word lists given as their words' hashes and lengths."""
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(len(lengths), dtype=np.uint64), lengths)
    n = len(word_hashes) - size + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint32), np.zeros(len(lengths) + 1, dtype=np.int64)
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(size):
        acc = (acc * np.uint64(0x01000193) + word_hashes[k : k + n]) & _MASK32
    # A shingle is valid when all its words belong to the list it starts in.
    valid = np.arange(n) + size <= ends[owner[:n].astype(np.int64)]
    keyed = np.sort((owner[:n][valid] << np.uint64(32)) | acc[valid])
    first = np.ones(len(keyed), dtype=bool)  # np.unique would hash first: slower here
    first[1:] = keyed[1:] != keyed[:-1]
    keyed = keyed[first]
    counts = np.bincount((keyed >> np.uint64(32)).astype(np.int64), minlength=len(lengths))
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return (keyed & _MASK32).astype(np.uint32), offsets


def shingle_hashes(words: Sequence[str], size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of one word list's `size`-grams."""
    hashes, _ = shingle_sets([words], size)
    return hashes


def _permutations(opts: FingerprintOptions) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own affine32 parameters, taken from a MinHash so they cannot drift."""
    a, b = MinHash(num_perm=opts.num_perm, seed=opts.seed, scheme=SCHEME).permutations
    return a.astype(np.uint32)[:, None], b.astype(np.uint32)[:, None]


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 finaliser, as datasketch applies it before the affine permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = h ^ (h >> np.uint32(16))
    return mixed


def signatures(shingles: np.ndarray, offsets: np.ndarray, opts: FingerprintOptions) -> np.ndarray:
    """MinHash signatures of many shingle sets, in blocks of (num_perm x shingles).

    Rows go in groups of about `_BLOCK` shingles through one reused buffer:
    fresh multi-megabyte temporaries for each group would cost more in page
    faults than the arithmetic does.
    """
    a, b = _permutations(opts)
    out = np.full((len(offsets) - 1, opts.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    mixed = _fmix32(shingles)
    filled = np.flatnonzero(offsets[1:] > offsets[:-1])
    firsts = offsets[filled]
    cuts = [*np.searchsorted(firsts, np.arange(0, len(shingles), _BLOCK)).tolist(), len(filled)]
    buffer = np.empty(opts.num_perm * min(len(shingles), 2 * _BLOCK), dtype=np.uint32)
    for i, j in itertools.pairwise(cuts):
        if i == j:
            continue
        lo, hi = int(firsts[i]), int(offsets[filled[j - 1] + 1])
        if opts.num_perm * (hi - lo) <= len(buffer):
            permuted = buffer[: opts.num_perm * (hi - lo)].reshape(opts.num_perm, hi - lo)
        else:
            permuted = np.empty((opts.num_perm, hi - lo), dtype=np.uint32)
        np.multiply(a, mixed[lo:hi][None, :], out=permuted)
        np.add(permuted, b, out=permuted)
        mins = np.minimum.reduceat(permuted, (firsts[i:j] - lo).astype(np.intp), axis=1)
        out[filled[i:j]] = mins.T
    return out


_BLOCK = 8192  # 4 MB of permuted values a group (8 MB for its buffer): a third faster
# than twice that on this project's 2-core machine (1 MB of L2 cache), the same signatures


def fingerprint(segments: Sequence[Segment], opts: FingerprintOptions) -> Fingerprints:
    """Shingle sets and signatures for `segments`; short segments get none."""
    return fingerprint_texts([seg.text for seg in segments], SegmentTable.of(segments), opts)


def fingerprint_texts(
    texts: Sequence[str], table: SegmentTable, opts: FingerprintOptions
) -> Fingerprints:
    """`fingerprint` of the segments whose rows `table` holds and whose texts are `texts`,
    in the same order: a scan's segments as it keeps them, with no record per segment.

    A text that recurs in the batch (site chrome, a paragraph copied verbatim)
    is fingerprinted once and its rows copied.
    """
    which, numbered = _numbered(texts)
    distinct = list(numbered)
    hashes, lengths = _token_hashes(distinct)
    indexed = lengths >= opts.min_words
    shingles, offsets = _shingles(
        hashes[np.repeat(indexed, lengths)], np.where(indexed, lengths, 0), opts.shingle_size
    )
    sizes = np.diff(offsets)[which]
    row_offsets = np.zeros(len(which) + 1, dtype=np.int64)
    np.cumsum(sizes, out=row_offsets[1:])
    take = np.repeat(offsets[:-1][which] - row_offsets[:-1], sizes) + np.arange(row_offsets[-1])
    return Fingerprints(
        table=table,
        shingles=shingles[take],
        offsets=row_offsets,
        signatures=signatures(shingles, offsets, opts)[which],
        indexed=indexed[which],
        chrome=chrome_flags(distinct)[which],
    )


def concat(parts: Sequence[Fingerprints]) -> Fingerprints:
    """One Fingerprints from several computed separately (e.g. in worker processes), in order."""
    if len(parts) == 1:
        return parts[0]
    sizes = [len(p.shingles) for p in parts]
    starts = np.cumsum([0, *sizes[:-1]])
    offsets = np.concatenate(
        [np.zeros(1, dtype=np.int64)]
        + [p.offsets[1:] + base for p, base in zip(parts, starts, strict=True)]
    )
    num_perm = parts[0].signatures.shape[1] if parts else 0
    return Fingerprints(
        table=SegmentTable.concat([p.table for p in parts]),
        shingles=np.concatenate([p.shingles for p in parts]) if parts else np.empty(0, np.uint32),
        offsets=offsets,
        signatures=np.concatenate([p.signatures for p in parts])
        if parts
        else np.empty((0, num_perm), np.uint32),
        indexed=np.concatenate([p.indexed for p in parts]) if parts else np.empty(0, bool),
        chrome=np.concatenate([p.chrome for p in parts]) if parts else np.empty(0, bool),
    )
