"""Alignment: which sentences of different outlets report the same claim.

Input: the articles that were read (``status == "ok"``) with their sentences.
Output (``Alignment``): claim groups across sources, the sentences no other
source has a counterpart for (omissions), and pairs of sources that are near
copies of each other (shared text, see ``shared_text.py``).

Method, and why:

1. **Embed every sentence once** (through whatever ``Embedder`` the caller passes,
   normally the cached one) and take one similarity matrix ``S = E @ E.T``:
   vectors are unit length, so this is every cosine at once, with no Python loop
   over sentence pairs.
2. **No order assumption.** Outlets reorder stories (the lead of one is the
   fifth paragraph of another), so unlike a diff or a monotonic sequence
   alignment, any sentence may match any sentence of another source.
3. **Claims that one outlet splits in two.** Where one source says in one
   sentence what another says in two adjacent ones, neither half alone is a
   good match. For adjacent pairs that look like such a split (cheap test: the
   normalised sum of the two vectors scores clearly better against some other
   sentence than either half), the concatenation is really embedded, and the
   pair becomes one unit when the concatenation beats both halves by
   ``align.span_gain`` against a sentence of another source, above the threshold,
   and better than any other sentence of its own source does. Only candidates
   are encoded, so this costs a few percent of the embedding time, not double.
4. **Links = mutual best matches.** For each pair of sources, unit ``u`` of A and
   ``v`` of B are linked when each is the other's best match in that source and
   their cosine reaches ``align.threshold``. Mutual best is what keeps a
   source's near-duplicate sentences (a claim repeated in a summary line) from
   both attaching to one counterpart.
5. **N-way groups by constrained union-find.** Links are merged strongest
   first; two groups merge only when (a) they have no source in common, so a
   group never holds two unrelated sentences of one outlet, and (b) their mean
   cross cosine (average linkage) still reaches ``align.group_threshold``. (b)
   stops chaining: A's strike sentence links to B's, B's links to C's Erbil
   sentence, but the strike and Erbil groups are not similar *on average*, so
   they stay apart and the weakest link is the one dropped.
6. **Very short sentences** (fewer than ``align.min_words`` words: subheads,
   datelines, "Read more") carry too little meaning for a reliable cosine; they
   are never linked.
7. **Confidence** of a group is the mean cosine over all pairs of its members
   (not only the links that formed it): a tight group scores high, a chained one
   low.
8. **Omissions** are sentences in no group *and* with no sentence of another
   source at or above the threshold. A sentence left out of a group only
   because its counterpart preferred a near-duplicate, or a subhead that
   repeats the lead, is covered elsewhere and is not "only X reports ...".

Claim ids are ``c1, c2, ...`` in order of first appearance (source order as
given, then sentence order); members are listed in source order. With fewer
than two sources that have sentences there is nothing to align against: no
claims and no omissions are reported (shared text is still checked).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from comparer.embed import Embedder
from comparer.models import Article, Claim, ClaimMember, Omission, SharedText
from comparer.shared_text import find_shared_text, words

# Slack on the cheap span pre-test (sum of vectors): a candidate needs to come
# within this of the real test before its concatenation is encoded.
SPAN_PRETEST_SLACK = 0.05


@dataclass(frozen=True)
class Alignment:
    claims: tuple[Claim, ...]
    omissions: tuple[Omission, ...]
    shared_text: tuple[SharedText, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"claims": [c.to_dict() for c in self.claims],
                "omissions": [o.to_dict() for o in self.omissions],
                "shared_text": [s.to_dict() for s in self.shared_text]}


@dataclass
class _Sentences:
    """All sentences of all articles, flattened; ``art[k]`` is the article position."""

    art: np.ndarray          # (N,) int
    index: np.ndarray        # (N,) sentence index within its article
    texts: list[str]
    linkable: np.ndarray     # (N,) bool: long enough to be linked
    vectors: np.ndarray      # (N, dim)

    @property
    def n(self) -> int:
        return len(self.texts)


@dataclass
class _Units:
    """What gets grouped: single sentences, and adjacent pairs that act as one claim."""

    art: np.ndarray          # (M,) int
    sentences: list[tuple[int, ...]]   # flat sentence positions
    vectors: np.ndarray      # (M, dim)
    linkable: np.ndarray     # (M,) bool


def align(articles: Sequence[Article], embedder: Embedder, settings: Any) -> Alignment:
    """Claim groups, omissions and shared text for the articles with status "ok"."""
    ok = [a for a in articles if a.status == "ok"]
    shared = find_shared_text(ok, settings)
    if sum(1 for a in ok if a.sentences) < 2:
        return Alignment(claims=(), omissions=(), shared_text=shared)

    threshold = float(settings.align.threshold)
    sents = _embed_sentences(ok, embedder, min_words=int(settings.align.min_words))
    sims = sents.vectors @ sents.vectors.T
    units = _make_units(sents, sims, embedder, threshold=threshold,
                        span_gain=float(settings.align.span_gain))
    unit_sims = units.vectors @ units.vectors.T
    links = _mutual_best_links(units, unit_sims, threshold=threshold)
    groups = _merge_links(units, unit_sims, links,
                          group_threshold=float(settings.align.group_threshold))
    claims = _claims(ok, sents, units, unit_sims, groups)
    omissions = _omissions(ok, sents, sims, claims, threshold=threshold)
    return Alignment(claims=claims, omissions=omissions, shared_text=shared)


def _embed_sentences(articles: Sequence[Article], embedder: Embedder, *,
                     min_words: int) -> _Sentences:
    art, index, texts = [], [], []
    for pos, article in enumerate(articles):
        for s in article.sentences:
            art.append(pos)
            index.append(s.index)
            texts.append(s.text)
    vectors = np.asarray(embedder.encode(texts), dtype=np.float32)
    linkable = np.array([len(words(t)) >= min_words for t in texts], dtype=bool)
    return _Sentences(art=np.array(art, dtype=np.int64), index=np.array(index, dtype=np.int64),
                      texts=texts, linkable=linkable, vectors=vectors)


def _other_source_mask(art: np.ndarray, cols_art: np.ndarray,
                       cols_ok: np.ndarray) -> np.ndarray:
    """(rows, cols) True where the column is a linkable unit of another source."""
    return (art[:, None] != cols_art[None, :]) & cols_ok[None, :]


def _make_units(sents: _Sentences, sims: np.ndarray, embedder: Embedder, *,
                threshold: float, span_gain: float) -> _Units:
    """Single sentences, with adjacent pairs joined where they match as one (step 3)."""
    spans = _find_spans(sents, sims, embedder, threshold=threshold, span_gain=span_gain)
    span_at = {first: vec for first, vec in spans}
    art, members, vectors, linkable = [], [], [], []
    k = 0
    while k < sents.n:
        if k in span_at:
            art.append(sents.art[k])
            members.append((k, k + 1))
            vectors.append(span_at[k])
            linkable.append(True)
            k += 2
            continue
        art.append(sents.art[k])
        members.append((k,))
        vectors.append(sents.vectors[k])
        linkable.append(bool(sents.linkable[k]))
        k += 1
    return _Units(art=np.array(art, dtype=np.int64), sentences=members,
                  vectors=np.stack(vectors).astype(np.float32),
                  linkable=np.array(linkable, dtype=bool))


def _find_spans(sents: _Sentences, sims: np.ndarray, embedder: Embedder, *,
                threshold: float, span_gain: float) -> list[tuple[int, np.ndarray]]:
    """Adjacent pairs (first flat position, concatenation vector) that act as one claim."""
    first = np.flatnonzero((sents.art[:-1] == sents.art[1:])
                           & sents.linkable[:-1] & sents.linkable[1:])
    if first.size == 0:
        return []
    valid = _other_source_mask(sents.art[first], sents.art, sents.linkable)
    a, b = sims[first], sims[first + 1]
    norms = np.linalg.norm(sents.vectors[first] + sents.vectors[first + 1], axis=1)
    proxy = (a + b) / norms[:, None]
    best_half = np.maximum(a, b)
    hopeful = valid & (proxy >= threshold - SPAN_PRETEST_SLACK) \
        & (proxy - best_half >= span_gain - SPAN_PRETEST_SLACK)
    cand = first[hopeful.any(axis=1)]
    if cand.size == 0:
        return []

    concat = np.asarray(embedder.encode([sents.texts[k] + " " + sents.texts[k + 1]
                                         for k in cand]), dtype=np.float32)
    csims = concat @ sents.vectors.T
    valid = _other_source_mask(sents.art[cand], sents.art, sents.linkable)
    gain = csims - np.maximum(sims[cand], sims[cand + 1])
    # The best single sentence of the span's own source for each column: the
    # span must beat it, or that sentence is the real counterpart.
    own_best = _best_in_own_source(sents, sims, cand)
    good = valid & (csims >= threshold) & (gain >= span_gain) & (csims > own_best)
    scored = []
    for row in np.flatnonzero(good.any(axis=1)):
        cols = np.flatnonzero(good[row])
        scored.append((float(csims[row, cols].max()), int(cand[row]), row))
    # Overlapping candidates (k, k+1) and (k+1, k+2): the better one wins.
    taken: set[int] = set()
    spans = []
    for _score, k, row in sorted(scored, reverse=True):
        if k in taken or k + 1 in taken:
            continue
        taken.update((k, k + 1))
        spans.append((k, concat[row]))
    return spans


def _best_in_own_source(sents: _Sentences, sims: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """(len(cand), N): for each column, the best cosine of another sentence of the span's source."""
    out = np.full((cand.size, sents.n), -np.inf, dtype=np.float32)
    for row, k in enumerate(cand):
        own = np.flatnonzero((sents.art == sents.art[k]) & sents.linkable)
        own = own[(own != k) & (own != k + 1)]
        if own.size:
            out[row] = sims[own].max(axis=0)
    return out


def _mutual_best_links(units: _Units, unit_sims: np.ndarray, *,
                       threshold: float) -> list[tuple[float, int, int]]:
    """(cosine, u, v) for every mutual best pair across two sources, strongest first (step 4)."""
    m = len(units.sentences)
    masked = np.where(_other_source_mask(units.art, units.art, units.linkable)
                      & units.linkable[:, None], unit_sims, -np.inf)
    n_art = int(units.art.max()) + 1
    best = np.full((m, n_art), -1, dtype=np.int64)
    best_val = np.full((m, n_art), -np.inf, dtype=np.float32)
    for b in range(n_art):
        cols = np.flatnonzero(units.art == b)
        if cols.size == 0:
            continue
        block = masked[:, cols]
        arg = block.argmax(axis=1)
        best[:, b] = cols[arg]
        best_val[:, b] = block[np.arange(m), arg]
    rows = np.arange(m)
    partner = best  # (m, n_art)
    back = best[np.clip(partner, 0, None), units.art[:, None]]
    mutual = (partner >= 0) & (back == rows[:, None]) & (best_val >= threshold) \
        & (partner > rows[:, None])
    us, bs = np.nonzero(mutual)
    links = [(float(best_val[u, b]), int(u), int(partner[u, b])) for u, b in zip(us, bs)]
    links.sort(key=lambda t: (-t[0], t[1], t[2]))
    return links


def _merge_links(units: _Units, unit_sims: np.ndarray, links: list[tuple[float, int, int]], *,
                 group_threshold: float) -> list[list[int]]:
    """Union-find over the links, refusing merges that break a group (step 5)."""
    parent = list(range(len(units.sentences)))
    members: dict[int, list[int]] = {}
    sources: dict[int, set[int]] = {}

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
        su = sources.get(ru, {int(units.art[ru])})
        sv = sources.get(rv, {int(units.art[rv])})
        if su & sv:
            continue
        if len(mu) > 1 or len(mv) > 1:
            if float(unit_sims[np.ix_(mu, mv)].mean()) < group_threshold:
                continue
        parent[rv] = ru
        members[ru] = mu + mv
        sources[ru] = su | sv
        members.pop(rv, None)
        sources.pop(rv, None)
    return [sorted(g) for g in members.values() if len(g) > 1]


def _claims(articles: Sequence[Article], sents: _Sentences, units: _Units,
            unit_sims: np.ndarray, groups: list[list[int]]) -> tuple[Claim, ...]:
    def first_seen(group: list[int]) -> tuple[int, int]:
        return min((int(units.art[u]), int(sents.index[units.sentences[u][0]])) for u in group)

    claims = []
    for n, group in enumerate(sorted(groups, key=first_seen), start=1):
        group = sorted(group, key=lambda u: (units.art[u], units.sentences[u][0]))
        block = unit_sims[np.ix_(group, group)]
        pairs = len(group) * (len(group) - 1)
        confidence = float((block.sum() - np.trace(block)) / pairs)
        members = tuple(
            ClaimMember(source_id=articles[int(units.art[u])].id,
                        sentences=tuple(int(sents.index[k]) for k in units.sentences[u]))
            for u in group)
        claims.append(Claim(id=f"c{n}", members=members,
                            confidence=min(1.0, max(0.0, confidence))))
    return tuple(claims)


def _omissions(articles: Sequence[Article], sents: _Sentences, sims: np.ndarray,
               claims: Sequence[Claim], *, threshold: float) -> tuple[Omission, ...]:
    """Sentences in no claim whose best match in any other source is below the threshold."""
    grouped = {(m.source_id, i) for c in claims for m in c.members for i in m.sentences}
    other = sents.art[:, None] != sents.art[None, :]
    best_elsewhere = np.where(other, sims, -np.inf).max(axis=1)
    out = []
    for k in range(sents.n):
        source_id = articles[int(sents.art[k])].id
        if (source_id, int(sents.index[k])) in grouped or best_elsewhere[k] >= threshold:
            continue
        out.append(Omission(source_id=source_id, sentence=int(sents.index[k])))
    return tuple(out)
