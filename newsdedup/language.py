"""The language a document is written in, and the scripts written without spaces.

The identifier is py3langid (langid.py's naive Bayes model over byte n-grams, 97
languages, the model inside the wheel: nothing is downloaded at run time). It reads a
sample of the article's longest paragraphs, not the whole text: news prose names its
language in a few hundred characters, and a headline, dateline or share button alone
can read as anything. Its cost grows with the bytes it reads (a Python loop over them),
so it first reads a short sample, which settles most articles with near certainty
(1,847 of 2,000 generated English articles at `_SURE`), and reads a longer one only
when that is not enough. A reading below `_MIN_CONFIDENCE`, or a text with too few
letters to tell, is no language (None): an unknown language restricts nothing.

Pure functions; the model is loaded once per process, on first use.
"""

from __future__ import annotations

import functools
import io
import lzma
import re
from array import array
from typing import Protocol

import numpy as np

_SHORT_SAMPLE, _SAMPLE_CHARS = 120, 400  # characters read first, and when that is not enough
_SURE = 0.95  # a short sample read with this confidence settles it
_MIN_LETTERS = 40  # fewer letters than this tell no language
_MIN_CONFIDENCE = 0.8
# `_MIN_LETTERS` letters, whatever is between them: matched, it stops at the last one it
# needs, where listing every letter of the sample (`findall`) cost 20 times more.
_ENOUGH_LETTERS = re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{_MIN_LETTERS}}}")

# Scripts written without spaces between words: Han (Chinese, Japanese kanji), Hiragana,
# Katakana, Thai, Lao, Khmer, Myanmar. `fingerprint.tokens` makes each of their
# characters a token of its own (shingles over characters), since a run of them is a
# whole sentence, not a word. Hangul is written with spaces and stays words.
UNSPACED = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3005\u3006\u3007"  # 々 〆 〇
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


@functools.cache
def _identifier() -> _Identifier:
    """py3langid's model, read in memory (~1 s of CPU, ~100 MB, once per process).

    py3langid's own loader decompresses the model into a temporary file first: with a full
    TMPDIR or a file size limit that write fails, and every document with it. Here the
    68 MB of the uncompressed model pass through memory instead, once.

    The feature weights ship as float16, and a document's score multiplies float32 counts
    by its features' rows: numpy cast those rows to float32 for every document (4 ns an
    element: about 45 µs of a sample's 80 µs score, a quarter of the identifier's time).
    Cast once here (28 MB more, shared with forked workers), the product is the same: the
    same float32 rows in the same order (a test checks the scores bit for bit)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    with lzma.open(MODEL_DIR / MODEL_FILE) as packed:
        unpacked = io.BytesIO(packed.read())
    with np.load(unpacked, allow_pickle=False) as model:
        identifier: _Identifier = LanguageIdentifier(
            np.asarray(model["ptc"], dtype=np.float32),
            np.asarray(model["pc"]),
            model["classes"].tolist(),
            _table(model["nextmove"]),
            model["out_feat"].tolist(),
            norm_probs=True,
            tk_row=_table(model["nextmove_row"]),
        )
    return identifier


def _table(values: np.ndarray) -> array[int]:
    """An unsigned integer array as the stdlib array py3langid's tokenizer indexes fastest."""
    table = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    table.frombytes(np.ascontiguousarray(values).tobytes())
    return table


def sample(text: str, chars: int = _SAMPLE_CHARS) -> str:
    """The article's longest paragraphs, up to `chars` characters: its prose, not its
    headline, dateline or chrome."""
    paragraphs = sorted(text.split("\n"), key=len, reverse=True)
    taken: list[str] = []
    size = 0
    for paragraph in paragraphs:
        if size >= chars:
            break
        taken.append(paragraph[: chars - size])
        size += len(taken[-1])
    return " ".join(taken)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language `text` is written in ("en", "fr", "zh"), or None when
    it cannot be told with confidence."""
    longer = sample(text)
    if _ENOUGH_LETTERS.match(longer) is None:
        return None
    language, confidence = _identifier().classify(longer[:_SHORT_SAMPLE])
    if confidence < _SURE and len(longer) > _SHORT_SAMPLE:
        language, confidence = _identifier().classify(longer)
    return language if confidence >= _MIN_CONFIDENCE else None
