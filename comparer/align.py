"""Alignment: which sentences of different outlets report the same claim.

Input: the articles that were read (``status == "ok"``) with their sentences.
Output (``Alignment``): claim groups across sources, the sentences no other
source has a counterpart for (omissions), and pairs of sources that are near
copies of each other (shared text, see ``shared_text.py``).

Method, and why:

1. **Embed every sentence once** (through whatever ``Embedder`` the caller passes,
   normally the cached one) and take one similarity matrix ``S = E @ E.T``:
   vectors are unit length, so that is every cosine at once, with no Python
   loop over sentence pairs.
2. **No order assumption.** Outlets reorder stories (the lead of one is the
   fifth paragraph of another), so unlike a diff or a monotonic sequence
   alignment, any sentence may match any sentence of another source.
3. **Links = mutual best matches.** For each pair of sources, ``u`` of A and ``v``
   of B are linked when each is the other's best match in that source and
   their cosine reaches ``align.threshold``. Every sentence of one event is
   about the same strike, so raw cosines between *different* claims are high
   (0.4-0.6 with MiniLM); being the other's best match is a far stronger
   signal than any single cut-off, and it also keeps a source's near-duplicate
   sentences from both attaching to one counterpart.
4. **N-way groups by constrained union-find.** Links are merged strongest
   first; two groups merge only when (a) they have no source in common, so a
   group never holds two unrelated sentences of one outlet, and (b) their mean
   cross cosine (average linkage) reaches ``align.group_threshold``. (b) stops
   chaining: A's strike sentence links to B's, B's to C's Erbil sentence, but
   the strike and Erbil groups are not similar *on average*, so they stay
   apart and the weakest link is the one dropped.
5. **A claim one outlet tells in two sentences** ("three rockets hit Erbil on
   Feb. 15. One contractor was killed ...") matches the one-sentence versions
   only half-well with either half. Adjacent sentences of one paragraph become
   one unit when the embedded concatenation wins against most other sources
   that have a counterpart: in such a source it must beat both halves by
   ``align.span_gain`` on its best match, reach the threshold, beat every other
   sentence of its own source on that match, and the source must not itself
   tell the halves in two separate sentences. Requiring a majority of sources
   is what keeps "lead + next sentence" from passing as a span just because a
   longer text looks more like a general lead elsewhere. Only pairs that pass a
   cheap pre-test (the normalised sum of the two vectors) are encoded, so the
   extra model work is a few percent of the sentences.
6. **Short sentences and headings.** Sentences under ``align.min_words`` words
   (datelines, "Read more") carry too little meaning for a reliable cosine and
   are never linked. A heading (a one-sentence paragraph with no final
   punctuation, e.g. "Biden ordered US airstrike against Syria") restates a
   claim of its own article, so it is not linked as a claim of its own either:
   it joins the group of the own-article sentence it restates (cosine at least
   the threshold) when it also fits that group on average, as a second member
   of its source. A "Read also: ..." teaser restates nothing and stays out.
7. **Confidence** of a group is the mean cosine over all pairs of its members
   (not only the links that formed it): a tight group scores high, a chained one
   low.
8. **Omissions** are sentences in no group: what only one outlet says. The one
   exception is a sentence with a near-duplicate (cosine >= 0.8) in another
   source, left out only because that counterpart was taken by a repeat of the
   same line; it is said elsewhere, so it is not "only X reports". A looser bar
   would hide background paragraphs, which in one event always resemble
   something at 0.5-0.6.

Claim ids are ``c1, c2, ...`` in order of first appearance (source order as
given, then sentence order); members are listed in source then sentence order.
With fewer than two sources that have sentences there is nothing to align
against: no claims and no omissions are reported (shared text is still checked).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from comparer.embed import Embedder
from comparer.records import Article, Claim, ClaimMember, Omission, SharedText
from comparer.settings import Settings
from comparer.shared_text import find_shared_text, words

# Slack on the cheap span pre-test (normalised sum of the two vectors): a pair
# must come within this of the real test before its concatenation is encoded.
SPAN_PRETEST_SLACK = 0.05
# A sentence left out of every group but this close to a sentence of another
# source is said there too (its counterpart was taken by a near-duplicate).
NEAR_DUPLICATE = 0.8
_FINAL_PUNCT = tuple(".!?…:;\"'”’)")


@dataclass(frozen=True)
class Alignment:
    claims: tuple[Claim, ...]
    omissions: tuple[Omission, ...]
    shared_text: tuple[SharedText, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "claims": [c.to_dict() for c in self.claims],
            "omissions": [o.to_dict() for o in self.omissions],
            "shared_text": [s.to_dict() for s in self.shared_text],
        }


@dataclass
class _Flat:
    """All sentences of all articles, flattened, in article then sentence order."""

    art: np.ndarray  # (N,) article position
    index: np.ndarray  # (N,) Sentence.index
    paragraph: np.ndarray  # (N,) Sentence.paragraph
    texts: list[str]
    linkable: np.ndarray  # (N,) long enough, and not a heading
    heading: np.ndarray  # (N,) a heading of at least min_words words
    vectors: np.ndarray  # (N, dim)

    @property
    def n(self) -> int:
        return len(self.texts)


@dataclass
class _Units:
    """What gets grouped: single sentences, and adjacent pairs told as one claim."""

    art: np.ndarray  # (M,) article position
    sentences: list[tuple[int, ...]]  # flat sentence positions
    linkable: np.ndarray  # (M,)
    heading: np.ndarray  # (M,)
    sims: np.ndarray  # (M, M) cosines between units


def align(articles: Sequence[Article], embedder: Embedder, settings: Settings) -> Alignment:
    """Claim groups, omissions and shared text for the articles with status "ok"."""
    ok = [a for a in articles if a.status == "ok"]
    shared = find_shared_text(ok, settings)
    if sum(1 for a in ok if a.sentences) < 2:
        return Alignment(claims=(), omissions=(), shared_text=shared)

    cfg = settings.align
    threshold, group_threshold = float(cfg.threshold), float(cfg.group_threshold)
    flat = _flatten(ok, embedder, min_words=int(cfg.min_words))
    sims = flat.vectors @ flat.vectors.T
    spans = _find_spans(flat, sims, embedder, threshold=threshold, span_gain=float(cfg.span_gain))
    units = _make_units(flat, spans)
    links = _mutual_best_links(units, threshold=threshold)
    groups = _merge_links(units, links, group_threshold=group_threshold)
    groups = _attach_headings(units, groups, threshold=threshold, group_threshold=group_threshold)
    claims = _claims(ok, flat, units, groups)
    omissions = _omissions(ok, flat, sims, claims)
    return Alignment(claims=claims, omissions=omissions, shared_text=shared)


def _is_heading(article: Article, position: int) -> bool:
    s = article.sentences[position]
    alone = all(
        o.paragraph != s.paragraph
        for o in article.sentences[max(0, position - 1) : position + 2]
        if o is not s
    )
    return alone and not s.text.rstrip().endswith(_FINAL_PUNCT)


def _flatten(articles: Sequence[Article], embedder: Embedder, *, min_words: int) -> _Flat:
    art, index, paragraph, texts, long_enough, heading = [], [], [], [], [], []
    for pos, article in enumerate(articles):
        for k, s in enumerate(article.sentences):
            art.append(pos)
            index.append(s.index)
            paragraph.append(s.paragraph)
            texts.append(s.text)
            long_enough.append(len(words(s.text)) >= min_words)
            heading.append(long_enough[-1] and _is_heading(article, k))
    vectors = np.asarray(embedder.encode(texts), dtype=np.float32)
    heading_arr = np.array(heading, dtype=bool)
    return _Flat(
        art=np.array(art, dtype=np.int64),
        index=np.array(index, dtype=np.int64),
        paragraph=np.array(paragraph, dtype=np.int64),
        texts=texts,
        linkable=np.array(long_enough, dtype=bool) & ~heading_arr,
        heading=heading_arr,
        vectors=vectors,
    )


def _best_per_source(
    sims: np.ndarray, art: np.ndarray, ok_cols: np.ndarray, rows_art: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each row and each source: the best column of that source and its value.

    Columns that are not ``ok_cols`` or belong to the row's own source never win;
    a source with no usable column gives index -1 and value -inf.
    """
    n_rows, n_art = sims.shape[0], int(art.max()) + 1
    best = np.full((n_rows, n_art), -1, dtype=np.int64)
    value = np.full((n_rows, n_art), -np.inf, dtype=np.float32)
    for b in range(n_art):
        cols = np.flatnonzero((art == b) & ok_cols)
        if cols.size == 0:
            continue
        block = sims[:, cols]
        arg = block.argmax(axis=1)
        best[:, b] = cols[arg]
        value[:, b] = block[np.arange(n_rows), arg]
        own = rows_art == b
        best[own, b], value[own, b] = -1, -np.inf
    return best, value


def _find_spans(
    flat: _Flat, sims: np.ndarray, embedder: Embedder, *, threshold: float, span_gain: float
) -> dict[int, np.ndarray]:
    """{first flat position: concatenation vector} for adjacent pairs told as one claim."""
    first = np.flatnonzero(
        (flat.art[:-1] == flat.art[1:])
        & (flat.paragraph[:-1] == flat.paragraph[1:])
        & flat.linkable[:-1]
        & flat.linkable[1:]
    )
    if first.size == 0:
        return {}
    # Pre-test: the normalised sum of the two vectors stands in for the
    # concatenation; only pairs that would win the vote with some slack are encoded.
    norms = np.linalg.norm(flat.vectors[first] + flat.vectors[first + 1], axis=1)
    proxy = (sims[first] + sims[first + 1]) / norms[:, None]
    hopeful = _span_votes(
        flat,
        sims,
        first,
        proxy,
        threshold=threshold - SPAN_PRETEST_SLACK,
        span_gain=span_gain - SPAN_PRETEST_SLACK,
        strict=threshold,
    )
    cand = first[hopeful > 0]
    if cand.size == 0:
        return {}
    concat = np.asarray(
        embedder.encode([flat.texts[k] + " " + flat.texts[k + 1] for k in cand]), dtype=np.float32
    )
    csims = concat @ flat.vectors.T
    score = _span_votes(
        flat, sims, cand, csims, threshold=threshold, span_gain=span_gain, strict=threshold
    )
    spans: dict[int, np.ndarray] = {}
    # Overlapping winners (k, k+1) and (k+1, k+2): the more convincing one stays.
    for row in sorted(np.flatnonzero(score > 0), key=lambda r: (-score[r], cand[r])):
        k = int(cand[row])
        if k not in spans and k - 1 not in spans and k + 1 not in spans:
            spans[k] = concat[row]
    return spans


def _span_votes(
    flat: _Flat,
    sims: np.ndarray,
    firsts: np.ndarray,
    joined: np.ndarray,
    *,
    threshold: float,
    span_gain: float,
    strict: float,
) -> np.ndarray:
    """Share of sources won by each pair (0 where it does not win a majority).

    ``joined`` holds the cosines of each pair (as one text) with every sentence.
    A source counts when the pair's best match there reaches ``threshold``; the
    pair wins it when that match beats both halves by ``span_gain`` and every
    other sentence of the pair's own source, and the source does not match the
    halves to two different sentences (each at ``strict`` or more).
    """
    rows_art = flat.art[firsts]
    best, value = _best_per_source(joined, flat.art, flat.linkable, rows_art)
    best1, value1 = _best_per_source(sims[firsts], flat.art, flat.linkable, rows_art)
    best2, value2 = _best_per_source(sims[firsts + 1], flat.art, flat.linkable, rows_art)
    j = np.clip(best, 0, None)
    halves = np.maximum(
        np.take_along_axis(sims[firsts], j, axis=1), np.take_along_axis(sims[firsts + 1], j, axis=1)
    )
    own_best = np.full(best.shape, -np.inf, dtype=np.float32)
    for row, k in enumerate(firsts):
        own = np.flatnonzero((flat.art == flat.art[k]) & flat.linkable)
        own = own[(own != k) & (own != k + 1)]
        if own.size:
            own_best[row] = sims[np.ix_(own, j[row])].max(axis=0)
    separate = (best1 != best2) & (value1 >= strict) & (value2 >= strict)
    present = (best >= 0) & (value >= threshold)
    wins = present & (value - halves >= span_gain) & (value > own_best) & ~separate
    n_wins, n_present = wins.sum(axis=1), present.sum(axis=1)
    return np.where((n_wins > 0) & (2 * n_wins > n_present), n_wins / np.maximum(n_present, 1), 0.0)


def _make_units(flat: _Flat, spans: dict[int, np.ndarray]) -> _Units:
    art, members, vectors, linkable, heading = [], [], [], [], []
    k = 0
    while k < flat.n:
        size = 2 if k in spans else 1
        art.append(flat.art[k])
        members.append(tuple(range(k, k + size)))
        vectors.append(spans[k] if size == 2 else flat.vectors[k])
        linkable.append(bool(flat.linkable[k]))
        heading.append(bool(flat.heading[k]))
        k += size
    stacked = np.stack(vectors).astype(np.float32)
    return _Units(
        art=np.array(art, dtype=np.int64),
        sentences=members,
        linkable=np.array(linkable, dtype=bool),
        heading=np.array(heading, dtype=bool),
        sims=stacked @ stacked.T,
    )


def _mutual_best_links(units: _Units, *, threshold: float) -> list[tuple[float, int, int]]:
    """(cosine, u, v) for every mutual best pair across two sources, strongest first."""
    sims = np.where(units.linkable[:, None], units.sims, -np.inf)
    best, value = _best_per_source(sims, units.art, units.linkable, units.art)
    rows = np.arange(len(units.sentences))
    back = best[np.clip(best, 0, None), units.art[:, None]]
    mutual = (best > rows[:, None]) & (back == rows[:, None]) & (value >= threshold)
    us, srcs = np.nonzero(mutual)
    links = [(float(value[u, b]), int(u), int(best[u, b])) for u, b in zip(us, srcs, strict=True)]
    links.sort(key=lambda t: (-t[0], t[1], t[2]))
    return links


def _merge_links(
    units: _Units, links: list[tuple[float, int, int]], *, group_threshold: float
) -> list[list[int]]:
    """Union-find over the links, refusing merges that would break a group."""
    parent = list(range(len(units.sentences)))
    members: dict[int, list[int]] = {}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _cos, u, v in links:
        ru, rv = root(u), root(v)
        if ru == rv:
            continue
        mu, mv = members.get(ru, [ru]), members.get(rv, [rv])
        if set(units.art[mu].tolist()) & set(units.art[mv].tolist()):
            continue
        if float(units.sims[np.ix_(mu, mv)].mean()) < group_threshold:
            continue
        parent[rv] = ru
        members[ru] = mu + mv
        members.pop(rv, None)
    return [sorted(g) for g in members.values()]


def _attach_headings(
    units: _Units, groups: list[list[int]], *, threshold: float, group_threshold: float
) -> list[list[int]]:
    """Each heading joins the group of the claim it restates in its own article.

    The restated sentence is the heading's best match among its own article's
    grouped units (at least ``threshold``); the heading must also match that
    group's members from other sources on average (``group_threshold``). A
    teaser for another story ("Read also: ...") restates nothing and stays out.
    """
    where = {u: n for n, g in enumerate(groups) for u in g}
    for h in np.flatnonzero(units.heading):
        own = [u for u in where if units.art[u] == units.art[h]]
        if not own:
            continue
        restated = max(own, key=lambda u: units.sims[h, u])
        if units.sims[h, restated] < threshold:
            continue
        group = groups[where[restated]]
        others = [u for u in group if units.art[u] != units.art[h]]
        if float(units.sims[h, others].mean()) >= group_threshold:
            group.append(int(h))
    return groups


def _claims(
    articles: Sequence[Article], flat: _Flat, units: _Units, groups: list[list[int]]
) -> tuple[Claim, ...]:
    def order(u: int) -> tuple[int, int]:
        return int(units.art[u]), int(flat.index[units.sentences[u][0]])

    claims = []
    for n, group in enumerate(
        sorted((sorted(g, key=order) for g in groups), key=lambda g: order(g[0])), start=1
    ):
        block = units.sims[np.ix_(group, group)]
        pairs = len(group) * (len(group) - 1)
        confidence = float((block.sum() - np.trace(block)) / pairs)
        members = tuple(
            ClaimMember(
                source_id=articles[int(units.art[u])].id,
                sentences=tuple(int(flat.index[k]) for k in units.sentences[u]),
            )
            for u in group
        )
        claims.append(Claim(id=f"c{n}", members=members, confidence=min(1.0, max(0.0, confidence))))
    return tuple(claims)


_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def _omissions(
    articles: Sequence[Article], flat: _Flat, sims: np.ndarray, claims: Sequence[Claim]
) -> tuple[Omission, ...]:
    """Sentences in no claim, unless another source has a near-duplicate of them, or they
    are no prose: a fragment of fewer than three words ("SSH 11", a view count "12", "My
    god!") says nothing a reader could miss."""
    grouped = {(m.source_id, i) for c in claims for m in c.members for i in m.sentences}
    other = flat.art[:, None] != flat.art[None, :]
    best_elsewhere = np.where(other, sims, -np.inf).max(axis=1)
    out = []
    for k in range(flat.n):
        source_id, index = articles[int(flat.art[k])].id, int(flat.index[k])
        if (source_id, index) in grouped or best_elsewhere[k] >= NEAR_DUPLICATE:
            continue
        if len(_WORD.findall(flat.texts[k])) < 3:
            continue
        out.append(Omission(source_id=source_id, sentence=index))
    return tuple(out)
