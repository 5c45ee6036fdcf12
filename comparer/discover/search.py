"""Asking the providers and putting their answers into one list.

``discover(query, ...)`` for a few words, ``discover_from_url(url, ...)`` for a story:

1. **Window**: ``since``/``until`` as given; else ``discover.window_days`` either side of
   the story's publication date, or, for a query, the last ``window_days`` days.
2. **Query** (from a link): the story is read with the pipeline's own ``read_sources``
   (same fetch, guard and extraction as a comparison); its title and main named
   entities become the query (:func:`query_from_article`).
3. **Ask** each provider at once on one guarded client (``providers.py``); a provider
   that fails is listed in ``errors`` and the others still count.
4. **Merge and rank** (``rank.py``), cut to ``discover.max_results``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from comparer.discover import providers as prov
from comparer.discover.providers import Hit, Query
from comparer.discover.rank import Row, in_window, merge, rank
from comparer.embed import Embedder
from comparer.errors import ComparerError, DiscoverError
from comparer.settings import PROVIDERS, Settings
from comparer.urls import canonical_url

__all__ = [
    "Discovery",
    "ProviderError",
    "discover",
    "discover_from_url",
    "query_from_article",
    "query_terms",
    "window_for",
]

# Words that say nothing about which event a headline is about.
STOPWORDS = frozenset(
    """a an and are as at be been but by for from has have he her his in into is it its
    new news not of on or our over says said she than that the their them they this to
    up was were what when where which who will with after before about amid more most
    how why live latest update updates video watch""".split()
)
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "EVENT", "LOC", "FAC")
MAX_TERMS = 6


@dataclass(frozen=True)
class ProviderError:
    provider: str
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"provider": self.provider, "error": self.error}


@dataclass(frozen=True)
class Discovery:
    """What ``discover`` found: ranked rows (the seed first, when there is one) and the
    providers that failed."""

    query: str
    since: datetime
    until: datetime
    rows: tuple[Row, ...]
    errors: tuple[ProviderError, ...] = ()
    asked: tuple[str, ...] = ()  # the providers asked

    @property
    def answered(self) -> bool:
        """Whether anything was found or at least one provider answered without error."""
        failed = {e.provider for e in self.errors}
        return bool(self.rows) or any(p not in failed for p in self.asked)

    def urls(self, *, limit: int | None = None, resolved_only: bool = True) -> list[str]:
        """The rows' addresses, best first (by default only publishers' addresses)."""
        picked = [r.hit.url for r in self.rows if r.hit.resolved or not resolved_only]
        return picked[:limit] if limit is not None else picked

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "window": {"since": _iso(self.since), "until": _iso(self.until)},
            "results": [_row_dict(r) for r in self.rows],
            "errors": [e.to_dict() for e in self.errors],
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _row_dict(row: Row) -> dict[str, Any]:
    hit = row.hit
    return {
        "url": hit.url,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": _iso(hit.published),
        "provider": "+".join(row.providers),
        "language": hit.language,
        "score": row.score,
        "seed": row.seed,
        "resolved": hit.resolved,  # False: a Google News redirect page, not the article
        "outlet_url": hit.outlet_url,
    }


def window_for(
    settings: Settings,
    *,
    centre: datetime | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime | None = None,
) -> tuple[datetime, datetime]:
    """``(since, until)`` in UTC (see step 1); a date given alone fixes one end and the
    other is ``2 * window_days`` away."""
    days = timedelta(days=float(settings.discover.window_days))
    start, end = _utc(since), _utc(until)
    if start is None and end is None:
        middle = _utc(centre)
        if middle is not None:
            return middle - days, middle + days
        stop = _utc(now) or datetime.now(UTC)
        return stop - days, stop
    if start is None:
        assert end is not None
        start = end - 2 * days
    if end is None:
        end = start + 2 * days
    if end < start:
        raise DiscoverError(f"the window ends ({_iso(end)}) before it starts ({_iso(start)})")
    return start, end


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def query_terms(text: str) -> tuple[str, ...]:
    """The words and "quoted phrases" of a query, for filtering feeds."""
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]*"', " ", text)
    words = [w for w in re.findall(r"[\w'’-]+", rest) if w.casefold() not in STOPWORDS]
    return tuple(dict.fromkeys(p.strip() for p in phrases + words if p.strip()))


def _content_words(title: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[\w'’-]+", title)
        if len(w) >= 3 and w.casefold() not in STOPWORDS and not w.isdigit()
    ]


def query_from_article(title: str, text: str = "", *, nlp: Any = None) -> str:
    """Search words for a story: its main named entities (with spaCy when ``nlp`` is
    given: the ones in the title and lead, most frequent first, multi-word names
    quoted) and then the title's content words, ``MAX_TERMS`` at most.

    Kept short on purpose: GDELT and Google require every word, so a long query finds
    only the story itself. Words under three letters are left out (GDELT refuses them).
    """
    terms: list[str] = []
    if nlp is not None:
        lead = text[:1500]
        doc = nlp(f"{title}\n\n{lead}")
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for n, ent in enumerate(doc.ents):
            name = " ".join(ent.text.split()).strip(" '’\"")
            if ent.label_ not in ENTITY_LABELS or len(name) < 3:
                continue
            weight = 2 if ent.start_char < len(title) else 1  # the headline names the event
            counts[name] += weight
            first.setdefault(name, n)
        for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]]))[:3]:
            terms.append(f'"{name}"' if " " in name else name)
    seen = {t.strip('"').casefold() for t in terms}
    covered = " ".join(seen)
    for word in _content_words(title):
        if len(terms) >= MAX_TERMS:
            break
        if word.casefold() not in seen and word.casefold() not in covered.split():
            terms.append(word)
            seen.add(word.casefold())
    return " ".join(terms) or title.strip()


def _providers(settings: Settings, chosen: Sequence[str] | None) -> list[str]:
    if chosen:
        unknown = [p for p in chosen if p not in PROVIDERS]
        if unknown:
            raise DiscoverError(f"unknown provider {unknown[0]!r} (known: {', '.join(PROVIDERS)})")
        return list(dict.fromkeys(chosen))
    names = list(settings.discover.providers)
    if settings.discover.feeds and "feeds" not in names:
        names.append("feeds")  # listing feeds is asking for them
    return names


def _ask(
    name: str, query: Query, settings: Settings, client: httpx.Client, max_results: int
) -> tuple[list[Hit], list[ProviderError]]:
    """One provider's hits, and its errors (never raised: the others go on)."""
    try:
        if name == "google_news":
            return prov.google_news(query, settings, client), []
        if name == "gdelt":
            return prov.gdelt(query, settings, client, max_records=max_results), []
        if not settings.discover.feeds:
            return [], [ProviderError("feeds", "no feeds listed (discover.feeds)")]
        hits, errors = prov.feed_hits(query, settings.discover.feeds, settings, client)
        return hits, [ProviderError("feeds", e) for e in errors]
    except ComparerError as exc:  # FetchError (guard, caps, status) or DiscoverError
        message = str(exc)
        return [], [ProviderError(name, message.removeprefix(f"{name}: "))]


def discover(
    query: str,
    settings: Settings,
    *,
    embedder: Embedder,
    since: datetime | None = None,
    until: datetime | None = None,
    centre: datetime | None = None,
    providers: Sequence[str] | None = None,
    max_results: int | None = None,
    seed: Hit | None = None,
    client: httpx.Client | None = None,
) -> Discovery:
    """Coverage of ``query`` from the providers (``discover.providers`` unless given),
    merged and ranked; ``seed`` is the story it started from, listed first."""
    from comparer.fetch import make_client

    query = " ".join(query.split())
    if not query:
        raise DiscoverError("nothing to search for: give a few words or a story's link")
    since, until = window_for(settings, centre=centre, since=since, until=until)
    limit = int(max_results or settings.discover.max_results)
    names = _providers(settings, providers)
    asked = Query(text=query, terms=query_terms(query), since=since, until=until)
    own = client is None
    active = client if client is not None else make_client(settings)
    try:
        with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            outcomes = list(pool.map(lambda n: _ask(n, asked, settings, active, limit), names))
    finally:
        if own:
            active.close()
    hits = [hit for found, _ in outcomes for hit in found]
    errors = tuple(e for _, errs in outcomes for e in errs)
    rows = merge(in_window(hits, since, until), seed=seed)
    reference = seed.title if seed is not None and seed.title else query
    ranked = rank(rows, reference=reference, since=since, until=until, embedder=embedder)
    return Discovery(
        query=query,
        since=since,
        until=until,
        rows=tuple(ranked[:limit]),
        errors=errors,
        asked=tuple(names),
    )


def discover_from_url(
    url: str,
    settings: Settings,
    *,
    embedder: Embedder,
    nlp: Any = None,
    since: datetime | None = None,
    until: datetime | None = None,
    providers: Sequence[str] | None = None,
    max_results: int | None = None,
    client: httpx.Client | None = None,
) -> Discovery:
    """Coverage of the story at ``url``: read it, search for its title and entities
    around its publication date, list it first (steps 1-4 above). Raises the story's
    own error (``FetchError``, ``ExtractionError``) when it cannot be read."""
    from comparer.errors import ExtractionError, FetchError
    from comparer.pipeline import read_sources
    from comparer.sources import source_from_spec

    (article,) = read_sources([source_from_spec(url, "seed")], settings)
    if article.status != "ok":
        kind = ExtractionError if article.error_type == "ExtractionError" else FetchError
        raise kind(f"could not read the story at {url}: {article.error}")
    title = (article.title or "").strip()
    if not title:
        raise DiscoverError(f"the story at {url} has no title to search for")
    seed = Hit(
        url=canonical_url(article.final_url or article.url or url),
        title=title,
        outlet=article.outlet,
        provider="seed",
        published=article.published,
        language=article.language,
    )
    return discover(
        query_from_article(title, article.text, nlp=nlp),
        settings,
        embedder=embedder,
        since=since,
        until=until,
        centre=article.published,
        providers=providers,
        max_results=max_results,
        seed=seed,
        client=client,
    )
