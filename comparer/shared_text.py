"""Shared-text detection: which pairs of sources are near copies of each other.

Two outlets that run the same wire copy, or one that lightly rewrites another,
are not two independent confirmations, and the report must say so. Embeddings
cannot tell this apart (independent reports of one event are *meant* to be
close in meaning), so this works on the surface text instead.

Method: each text becomes the set of its word 5-grams ("shingles"), lower-cased,
punctuation dropped, taken sentence by sentence so that reordering sentences or
paragraphs does not hide a copy. The *share* of a pair is the fraction of the shorter text's
shingles found in the longer one. Why these choices:

- 5 words is long enough that two independent writers rarely produce the same
  run by chance, and short enough that a rewrite which swaps a word every
  sentence or so still keeps most of its 5-grams.
- Dividing by the shorter text makes a short piece cut from a long one count as
  shared (containment), which the symmetric Jaccard index would dilute.
- A quotation that several outlets carry word for word (a spokesman's sentence)
  adds only a few dozen shingles out of hundreds, far below any useful
  threshold, so independent outlets quoting the same person are not flagged.

Pairs at or above ``settings.align.shared_text_threshold`` are reported.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

from comparer.records import Article, SharedText
from comparer.settings import Settings

SHINGLE_WORDS = 5
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words; apostrophes inside a word are kept, other punctuation dropped."""
    return [w.replace("\u2019", "'") for w in _WORD.findall(text.lower())]


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> set[int]:
    """The set of word ``size``-grams of ``text``, each as a 32-bit hash (small, fast sets)."""
    tokens = words(text)
    if len(tokens) < size:
        # A text shorter than one shingle is one shingle of what it has.
        return {zlib.crc32(" ".join(tokens).encode("utf-8"))} if tokens else set()
    return {
        zlib.crc32(" ".join(tokens[i : i + size]).encode("utf-8"))
        for i in range(len(tokens) - size + 1)
    }


def share(a: set[int], b: set[int]) -> float:
    """Fraction of the smaller shingle set found in the other (0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def article_shingles(article: Article) -> set[int]:
    """Shingles of each sentence (of the whole text when there are no sentences).

    Shingles never cross a sentence boundary, so a copy that only reorders
    sentences or paragraphs keeps its full share.
    """
    if not article.sentences:
        return shingles(article.text)
    out: set[int] = set()
    for s in article.sentences:
        out |= shingles(s.text)
    return out


def find_shared_text(articles: Sequence[Article], settings: Settings) -> tuple[SharedText, ...]:
    """Every pair of articles whose share reaches the threshold, in input order."""
    threshold = float(settings.align.shared_text_threshold)
    sets = [article_shingles(a) for a in articles]
    found: list[SharedText] = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            value = share(sets[i], sets[j])
            if value >= threshold and value > 0.0:
                found.append(SharedText(sources=(articles[i].id, articles[j].id), share=value))
    return tuple(found)
