"""From every provider's hits to one clean list: window, merge, rank.

1. **Window**: a hit dated outside ``[since, until]`` is dropped; an undated one is kept
   (feeds and Google sometimes omit the date) and ranked as if half-way in time.
2. **Merge**: hits with the same ``canonical.url_key`` are one row; then rows of the same
   outlet (``canonical.host_key``) whose titles are near-identical (rapidfuzz
   ``token_sort_ratio`` >= ``TITLE_SAME``) are one row too, which catches a story found
   once under its publisher's address and once as an unresolved Google link. A merged
   row keeps the publisher's address when one of its hits has it, the earliest date,
   and every provider that found it. The seed (the story the user started from), when
   given, goes first and absorbs its own copies.
3. **Rank**: ``score = 0.8 * title similarity + 0.2 * time closeness``. Similarity is the
   cosine of sentence embeddings (the project's embedder) between each title and the
   reference (the seed's title, else the query), clipped to 0..1; closeness is 1 at the
   window's centre falling to 0 at its edges. Titles carry most of the weight because
   the window already keeps the time right; closeness only breaks near-ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from rapidfuzz import fuzz

from comparer.discover.providers import Hit
from comparer.embed import Embedder
from comparer.urls import host_key, url_key

__all__ = ["Row", "in_window", "merge", "rank"]

TITLE_SAME = 90  # token_sort_ratio from which two titles of one outlet are one story
SIMILARITY_WEIGHT = 0.8
UNDATED_CLOSENESS = 0.5


@dataclass(frozen=True)
class Row:
    """One story of one outlet in the merged list."""

    hit: Hit
    providers: tuple[str, ...]
    seed: bool = False
    score: float = 0.0


def in_window(hits: Sequence[Hit], since: datetime, until: datetime) -> list[Hit]:
    """The hits dated within ``[since, until]``, and the undated ones."""
    return [h for h in hits if h.published is None or since <= h.published <= until]


def _outlet_key(hit: Hit) -> str:
    if hit.resolved:
        return host_key(hit.url)
    return host_key(hit.outlet_url or "") or hit.outlet.casefold().strip()


def _looks_like_domain(name: str) -> bool:
    return "." in name and " " not in name


def _combine(kept: Row, other: Hit) -> Row:
    """``kept`` with what ``other`` adds: a resolved address, a date, a language, a
    human outlet name ("Reuters" rather than "reuters.com"), its provider."""
    hit = kept.hit
    if not hit.resolved and other.resolved:
        hit = replace(hit, url=other.url, resolved=True)
    if other.published and (hit.published is None or other.published < hit.published):
        hit = replace(hit, published=other.published)
    if hit.language is None and other.language:
        hit = replace(hit, language=other.language)
    if _looks_like_domain(hit.outlet) and other.outlet and not _looks_like_domain(other.outlet):
        hit = replace(hit, outlet=other.outlet)
    if hit.outlet_url is None and other.outlet_url:
        hit = replace(hit, outlet_url=other.outlet_url)
    providers = kept.providers + (() if other.provider in kept.providers else (other.provider,))
    return replace(kept, hit=hit, providers=providers)


def _normal_title(title: str) -> str:
    return " ".join(title.casefold().split())


def merge(hits: Sequence[Hit], *, seed: Hit | None = None) -> list[Row]:
    """One row per outlet and story, in first-seen order, the seed first (see above)."""
    rows: list[Row] = []
    by_url: dict[str, int] = {}
    for n, hit in enumerate(([seed] if seed else []) + list(hits)):
        is_seed = seed is not None and n == 0
        key = url_key(hit.url)
        at = by_url.get(key)
        if at is None and not is_seed:
            outlet, title = _outlet_key(hit), _normal_title(hit.title)
            at = next(
                (
                    i
                    for i, row in enumerate(rows)
                    if _outlet_key(row.hit) == outlet
                    and fuzz.token_sort_ratio(_normal_title(row.hit.title), title) >= TITLE_SAME
                ),
                None,
            )
        if at is None:
            rows.append(Row(hit=hit, providers=(hit.provider,), seed=is_seed))
            at = len(rows) - 1
        else:
            rows[at] = _combine(rows[at], hit)
        by_url[key] = at
        by_url[url_key(rows[at].hit.url)] = at  # a resolved address joins its row
    return rows


def _closeness(published: datetime | None, since: datetime, until: datetime) -> float:
    if published is None:
        return UNDATED_CLOSENESS
    half = (until - since).total_seconds() / 2
    if half <= 0:
        return 1.0
    centre = since + (until - since) / 2
    return max(0.0, 1.0 - abs((published - centre).total_seconds()) / half)


def rank(
    rows: Sequence[Row],
    *,
    reference: str,
    since: datetime,
    until: datetime,
    embedder: Embedder,
) -> list[Row]:
    """The rows scored and sorted best first; the seed stays first whatever its score."""
    if not rows:
        return []
    vectors = embedder.encode([reference] + [row.hit.title for row in rows])
    similarity = np.clip(vectors[1:] @ vectors[0], 0.0, 1.0)
    scored = [
        replace(
            row,
            score=round(
                SIMILARITY_WEIGHT * float(sim)
                + (1 - SIMILARITY_WEIGHT) * _closeness(row.hit.published, since, until),
                4,
            ),
        )
        for row, sim in zip(rows, similarity, strict=True)
    ]
    return sorted(scored, key=lambda r: (not r.seed, -r.score))
