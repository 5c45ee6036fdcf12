"""The comparison pipeline, stage by stage. Each stage takes the previous stage's
dataclasses and returns its own; nothing reaches back up.

1. **read** (``read_sources``): URLs are fetched (``fetch.py``, concurrent, bounded,
   SSRF-guarded) or taken from the snapshot store (``store.py``) unless a refresh is
   asked for; files and pasted text are read directly. Each source is then
   extracted (``extract.py``) and split into sentences (``sentences.py``). A source
   that fails becomes an ``Article`` with ``status="error"`` and the reason; it
   never stops the others.
2. **align** (``align.py``): sentences are embedded (``embed.py``, cached in the
   store) and grouped into claims across outlets; omissions and shared text.
3. **facts** (``facts/``): figures, times, attributions and places per sentence, each
   with the frame of its clause.
4. **events** (``events.py``): the main event and background events across outlets;
   every fact gets the event it describes, every time its role (event, statement,
   background).
5. **disagreements** (``disagreements.py``): one card per (event, question), comparing
   like with like.
6. **report** (``report.py``): JSON / Markdown / CSV, done by the caller.

Progress is reported through an optional ``progress(stage, message)`` callback so
that the CLI can print it and the dashboard can show it in ``st.status``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from comparer.errors import ComparerError, SourceError, StoreError
from comparer.records import Article, Report, Snapshot, Source
from comparer.settings import Settings
from comparer.sources import outlet_from_url, parse_published, split_header, with_header

if TYPE_CHECKING:
    import numpy as np

    from comparer.embed import VectorStore
    from comparer.store import Store

Progress = Callable[[str, str], None]


def _quiet(stage: str, message: str) -> None:
    pass


def _now() -> datetime:
    return datetime.now(UTC)


def _error_article(source: Source, exc: BaseException, *, outlet: str | None = None) -> Article:
    name = outlet or source.outlet or _fallback_outlet(source)
    return Article(
        source=source,
        status="error",
        outlet=name,
        url=source.url,
        error=str(exc) or type(exc).__name__,
        error_type=type(exc).__name__,
    )


def _fallback_outlet(source: Source) -> str:
    if source.kind == "url":
        return outlet_from_url(source.location) or source.location
    if source.kind == "file":
        return Path(source.location).stem
    return source.outlet or source.id


def _finish(source: Source, extracted: Any, settings: Settings, **fields: Any) -> Article:
    """An ok Article from extracted text: outlet and date by the documented precedence."""
    from comparer.datelines import split_dateline
    from comparer.extract import keep_text
    from comparer.sentences import split_sentences

    url = fields.pop("url", None) or source.url
    outlet = (
        source.outlet
        or getattr(extracted, "sitename", None)
        or (outlet_from_url(url) if url else None)
        or _fallback_outlet(source)
    )
    published = source.published or extracted.published
    # The dateline says where and when the story was filed: metadata, split off before
    # sentences exist so that no fact is ever read from it. Done here, not in extract.py,
    # because the year of "Aug 27" comes from the publication date, which a .txt header
    # or the form may give after extraction (and extractions are cached without it).
    dateline, text = split_dateline(extracted.text, published=published)
    text, warnings = keep_text(text, extracted.warnings, settings)
    sentences = split_sentences(text, source_id=source.id)
    if not sentences:
        warnings += ("no sentences found in the extracted text",)
    return Article(
        source=source,
        status="ok",
        outlet=outlet,
        text=text,
        sentences=sentences,
        url=url,
        title=extracted.title,
        author=extracted.author,
        published=published,
        language=extracted.language,
        warnings=warnings,
        dateline_place=dateline.place if dateline else None,
        dateline_date=dateline.date if dateline else None,
        **fields,
    )


def _read_local(source: Source, settings: Settings) -> Article:
    from comparer.extract import extract_html, extract_plain

    if source.kind == "text":
        raw = (source.text or "").encode("utf-8")
        extracted = extract_plain(source.text or "", settings=settings)
        return _finish(
            source,
            extracted,
            settings,
            fetched_at=_now(),
            sha256=hashlib.sha256(raw).hexdigest(),
            content_type="text/plain",
        )
    path = Path(source.location)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"file not found: {path}") from None
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    digest = hashlib.sha256(raw).hexdigest()
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    if path.suffix.lower() == ".txt":
        decoded = _decoded_file(raw, path, html=False)
        headers, body = split_header(decoded.text)
        source = with_header(source, headers)
        extracted = extract_plain(body, settings=settings)
        extracted = replace(extracted, warnings=extracted.warnings + decoded.warnings)
        return _finish(
            source, extracted, settings, fetched_at=mtime, sha256=digest, content_type="text/plain"
        )
    decoded = _decoded_file(raw, path, html=True)
    extracted = extract_html(decoded.text, url=source.url, settings=settings)
    extracted = replace(extracted, warnings=extracted.warnings + decoded.warnings)
    return _finish(
        source, extracted, settings, fetched_at=mtime, sha256=digest, content_type="text/html"
    )


def _decoded_file(raw: bytes, path: Path, *, html: bool) -> Any:
    """A local file's bytes as text (``charsets.py``: byte-order mark, an HTML file's own
    declaration, else detection); SourceError naming the file when they are not text,
    such as a PDF or random bytes renamed ``.txt``."""
    from comparer.charsets import decode_file

    return decode_file(raw, str(path), html=html)


def _cache(store: Store | None, method: str, *args: Any, say: Progress = _quiet) -> Any:
    """Call the store, treating it as a cache: a store failure is reported, not raised,
    so that a damaged or full store never stops the sources from being read."""
    if store is None:
        return None
    try:
        return getattr(store, method)(*args)
    except StoreError as exc:
        say("read", f"warning: snapshot store unavailable ({method}), going on without it: {exc}")
        return None


class CacheStore:
    """The store seen as a cache by the embedder: a failing read is a miss, a failing
    write is skipped, and each kind of failure is said once (``say``) and kept in
    ``warnings``. A comparison is never lost because its vectors could not be cached
    ("database or disk is full")."""

    def __init__(self, store: Store, say: Progress = _quiet) -> None:
        self.store = store
        self.warnings: list[str] = []
        self._say = say

    def _failed(self, what: str, exc: StoreError) -> None:
        message = f"the store could not {what}, so the comparison goes on without it: {exc}"
        if message not in self.warnings:
            self.warnings.append(message)
            self._say("store", f"warning: {message}")

    def get_embeddings(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        try:
            return self.store.get_embeddings(model_id, hashes)
        except StoreError as exc:
            self._failed("read cached embeddings", exc)
            return {}

    def put_embeddings(self, model_id: str, items: Mapping[str, np.ndarray]) -> None:
        try:
            self.store.put_embeddings(model_id, items)
        except StoreError as exc:
            self._failed("cache embeddings", exc)


@contextmanager
def _caching_in(embedder: Any, store: Store | None, cache: CacheStore | None) -> Iterator[None]:
    """An embedder handed in (the dashboard's) caches in the store itself; for this run
    it caches through the tolerant ``cache`` instead, and gets its store back after."""
    swapped = cache is not None and getattr(embedder, "store", None) is store
    if swapped:
        embedder.store = cache
    try:
        yield
    finally:
        if swapped:
            embedder.store = store


def _checked(article: Article, settings: Settings, say: Progress) -> Article:
    """The article with its source's own warnings (a .txt header's unreadable date) and
    its over-long sentences cut within the parse caps (``sentences.cap_sentences``)."""
    from comparer.sentences import cap_sentences

    label = article.source.location or article.outlet
    warnings = tuple(w for w in article.source.warnings if w not in article.warnings)
    for warning in warnings:
        say("read", f"warning: {warning}")
    sentences = article.sentences
    if article.status == "ok" and sentences:
        max_chars = int(settings.facts.max_sentence_chars)
        max_tokens = int(settings.facts.max_sentence_tokens)
        sentences, cut = cap_sentences(
            article.text, sentences, max_chars=max_chars, max_tokens=max_tokens
        )
        if cut:
            warning = (
                f"{cut} over-long sentence{'s' if cut > 1 else ''} cut into pieces of at "
                f"most {max_chars:,} characters and {max_tokens:,} tokens "
                "(facts.max_sentence_chars, facts.max_sentence_tokens)"
            )
            say("read", f"{label}: warning: {warning}")
            warnings += (warning,)
    if not warnings:
        return article
    return replace(article, sentences=sentences, warnings=warnings + article.warnings)


def _article_from_snapshot(
    source: Source,
    snap: Snapshot,
    settings: Settings,
    store: Store | None,
    *,
    from_store: bool,
    say: Progress = _quiet,
) -> Article:
    """Extract a fetched page (or reuse the extraction stored with its snapshot)."""
    from comparer.charsets import decode_page, not_text_reason
    from comparer.errors import UnsupportedContentError
    from comparer.extract import Extracted, extract_html, extract_plain

    cached = _cache(store, "get_extraction", snap.id, say=say) if snap.id is not None else None
    if cached is not None:
        text, meta = cached
        published = meta.get("published")
        extracted = Extracted(
            text=text,
            title=meta.get("title"),
            author=meta.get("author"),
            sitename=meta.get("sitename"),
            published=parse_published(published) if published else None,
            language=meta.get("language"),
            warnings=tuple(meta.get("warnings", ())),
        )
    else:
        # fetch already worked the charset out (``known``): not detected again, but a
        # stored codec name is used only if it is a text encoding, and the warnings
        # about the page's declarations are worked out afresh
        decoded = decode_page(snap.body, snap.content_type, known=snap.encoding)
        media = snap.content_type.split(";")[0].strip().lower()
        reason = not_text_reason(snap.body, decoded.text)
        if reason:
            raise UnsupportedContentError(
                f"{snap.final_url} says it is {media or 'a page'}, "
                f"but it cannot be read as an article: {reason}"
            )
        if media == "text/plain":
            extracted = extract_plain(decoded.text, settings=settings)
        else:
            extracted = extract_html(decoded.text, url=snap.final_url, settings=settings)
        extracted = replace(extracted, warnings=extracted.warnings + decoded.warnings)
        if snap.id is not None:
            meta = {
                "title": extracted.title,
                "author": extracted.author,
                "sitename": extracted.sitename,
                "published": extracted.published.isoformat() if extracted.published else None,
                "language": extracted.language,
                "warnings": list(extracted.warnings),
            }
            _cache(store, "save_extraction", snap.id, extracted.text, meta, say=say)
    return _finish(
        source,
        extracted,
        settings,
        url=source.url or snap.requested_url,
        final_url=snap.final_url,
        fetched_at=snap.fetched_at,
        sha256=snap.sha256,
        http_status=snap.http_status,
        content_type=snap.content_type,
        from_store=from_store,
    )


def _guard_stored(snap: Snapshot, settings: Settings) -> None:
    """The SSRF guard, applied to a stored snapshot before it is served.

    A snapshot may have been stored while ``fetch.allow_private_hosts`` was on (or by
    a newsroom server that had it on); under settings that refuse private hosts it is
    served only if its requested and final URLs would be fetched today: literal
    addresses and ``localhost`` are judged without DNS, names are resolved again, and
    a name that no longer resolves cannot be shown to be public, so its copy is not
    served either (the error is the one a fetch would give).
    """
    if settings.fetch.allow_private_hosts:
        return
    from comparer.errors import FetchError
    from comparer.netguard import check_url

    for url in dict.fromkeys((snap.requested_url, snap.final_url)):
        try:
            check_url(url, allow_private=False, resolve=_resolve)
        except FetchError as exc:
            raise type(exc)(f"the stored copy of {snap.requested_url} is not used: {exc}") from None


def _resolve(host: str, port: int) -> list[Any]:
    # looked up at call time, so that tests can stand in for DNS
    import socket

    return socket.getaddrinfo(host, port)


def _with_problems(article: Article, problems: Sequence[Any]) -> Article:
    from comparer.facts.stage import problem_warnings

    extra = problem_warnings(problems, article.id)
    return replace(article, warnings=article.warnings + extra) if extra else article


def read_sources(
    sources: Sequence[Source],
    settings: Settings,
    *,
    store: Store | None = None,
    refresh: bool | None = None,
    progress: Progress | None = None,
) -> list[Article]:
    """Stage 1: every source as an Article, in the order given; failures recorded, not raised."""
    from comparer.fetch import fetch_all

    say = progress or _quiet
    refresh = settings.store.refresh if refresh is None else refresh
    results: dict[str, Article] = {}
    to_fetch: list[Source] = []
    for source in sources:
        if source.kind != "url":
            continue
        snap = None if refresh else _cache(store, "latest_snapshot", source.location, say=say)
        if snap is None:
            to_fetch.append(source)
            continue
        try:
            _guard_stored(snap, settings)
            results[source.id] = _article_from_snapshot(
                source, snap, settings, store, from_store=True, say=say
            )
            say(
                "read",
                f"{source.location}: from the store (fetched {snap.fetched_at:%Y-%m-%d %H:%M} UTC)",
            )
        except ComparerError as exc:
            results[source.id] = _error_article(source, exc)
            say("read", f"{source.location}: failed: {exc}")

    if to_fetch:

        def on_result(url: str, outcome: Any) -> None:
            if isinstance(outcome, Exception):
                say("read", f"{url}: failed: {outcome}")
            else:
                say("read", f"{url}: fetched ({outcome.http_status}, {len(outcome.body):,} bytes)")

        outcomes = fetch_all([s.location for s in to_fetch], settings, on_result=on_result)
        for source, outcome in zip(to_fetch, outcomes, strict=True):
            if isinstance(outcome, Exception):
                results[source.id] = _error_article(source, outcome)
                continue
            snap = replace(outcome, id=_cache(store, "save_snapshot", outcome, say=say))
            try:
                results[source.id] = _article_from_snapshot(
                    source, snap, settings, store, from_store=False, say=say
                )
            except ComparerError as exc:
                results[source.id] = _error_article(source, exc)

    for source in sources:
        if source.kind == "url":
            continue
        label = source.location or source.outlet or source.id
        try:
            results[source.id] = _read_local(source, settings)
            say("read", f"{label}: read")
        except (ComparerError, UnicodeError) as exc:
            results[source.id] = _error_article(source, exc)
            say("read", f"{label}: failed: {exc}")

    articles = [_checked(results[s.id], settings, say) for s in sources]
    for a in articles:
        if a.status == "ok" and not a.text.strip():
            say("read", f"{a.outlet}: no article text")
    return articles


def quiet_model_loading() -> None:
    """Turn off the "Loading weights" bar transformers draws on stderr. For a process that
    owns its stderr (the command line, a batch worker it started); the library itself
    leaves global settings alone."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.disable_progress_bar()


def load_models(settings: Settings, *, store: VectorStore | None = None) -> tuple[Any, Any]:
    """The embedder and the spaCy pipeline: how the CLI, the dashboard and ``compare`` all
    get them.

    Both models load once per process (``embed.load_embedder`` and ``facts.nlp.load_nlp``
    keep them; so does the cue scorer's encoder, loaded here too when the setting
    ``facts.weigh_in_context`` is on), so a call after the first costs nothing. The
    embedder comes wrapped afresh in a ``CachedEmbedder`` caching its vectors in ``store``
    when there is one: that wrapper keeps memory of its own, so a long-lived process (the
    dashboard) calls this once per run rather than sharing one wrapper between runs or
    sessions.
    """
    from comparer.facts.cue_model import load_context_encoder
    from comparer.facts.nlp import load_nlp

    if settings.facts.weigh_in_context:
        load_context_encoder()  # the cue scorer's, kept once per process like the others
    return _embedder(settings, store), load_nlp()


def _embedder(settings: Settings, store: VectorStore | None) -> Any:
    """The embedder half of ``load_models`` (``align_only`` has no use for spaCy)."""
    from comparer.embed import CachedEmbedder, load_embedder

    return CachedEmbedder(load_embedder(settings), store)


def align_only(
    sources: Sequence[Source],
    settings: Settings,
    *,
    store: Store | None = None,
    refresh: bool | None = None,
    progress: Progress | None = None,
) -> tuple[list[Article], Any]:
    """Stages 1 and 2 alone (the CLI's ``align``): the articles and the ``Alignment`` of
    the ones read, vectors cached in the store as in a comparison (failures warn)."""
    from comparer.align import align

    say = progress or _quiet
    articles = read_sources(sources, settings, store=store, refresh=refresh, progress=say)
    ok = [a for a in articles if a.status == "ok"]
    cache = CacheStore(store, say) if store is not None else None
    return articles, align(ok, _embedder(settings, cache), settings)


def facts_only(
    sources: Sequence[Source],
    settings: Settings,
    *,
    store: Store | None = None,
    refresh: bool | None = None,
    progress: Progress | None = None,
) -> tuple[list[Article], tuple[Any, ...], tuple[Any, ...]]:
    """Stages 1, 3 and 4 alone (the CLI's ``facts``): the articles, the events and the
    facts of the ones read, each fact with the event it describes, as in a comparison. A
    sentence whose reader failed is a warning on its article, as in a comparison."""
    from comparer.events import resolve_events
    from comparer.facts.nlp import load_nlp
    from comparer.facts.stage import read_facts

    say = progress or _quiet
    articles = read_sources(sources, settings, store=store, refresh=refresh, progress=say)
    ok = [a for a in articles if a.status == "ok"]
    cache = CacheStore(store, say) if store is not None else None
    read = read_facts(ok, settings, nlp=load_nlp(), store=cache)
    events, facts = resolve_events(ok, read.facts)
    if read.problems:
        articles = [_with_problems(a, read.problems) for a in articles]
    return articles, events, facts


R = TypeVar("R")


def _timed(fn: Callable[..., R], *args: Any, **kwargs: Any) -> tuple[R, float]:
    t = time.perf_counter()
    return fn(*args, **kwargs), time.perf_counter() - t


def compare(
    sources: Sequence[Source],
    settings: Settings,
    *,
    store: Store | None = None,
    embedder: Any | None = None,
    nlp: Any | None = None,
    refresh: bool | None = None,
    progress: Progress | None = None,
) -> Report:
    """Stages 1 to 5 in order (read, align, facts, events, disagreements); the returned
    Report carries per-stage timings in seconds."""
    from comparer.align import align
    from comparer.disagreements import find_disagreements
    from comparer.events import resolve_events
    from comparer.facts.stage import read_facts

    say = progress or _quiet
    timings: dict[str, float] = {}
    # compare.max_sources is the intake's rule (intake.plan_sources), checked once, there.

    t = time.perf_counter()
    say("read", f"reading {len(sources)} sources")
    articles = read_sources(sources, settings, store=store, refresh=refresh, progress=say)
    timings["read"] = time.perf_counter() - t
    ok = [a for a in articles if a.status == "ok"]
    say("read", f"{len(ok)} of {len(articles)} sources read")

    t = time.perf_counter()
    cache = CacheStore(store, say) if store is not None else None
    if embedder is None or nlp is None:
        default_embedder, default_nlp = load_models(settings, store=cache)
        embedder, nlp = embedder or default_embedder, nlp or default_nlp
    timings["models"] = time.perf_counter() - t

    say("align", f"aligning {sum(len(a.sentences) for a in ok)} sentences")
    with _caching_in(embedder, store, cache), ThreadPoolExecutor(max_workers=1) as pool:
        # The facts are read in a thread while the sentences are encoded: the encoder's
        # matrix products and the parser's release the interpreter lock, so on two cores
        # much of the parse hides behind the encode (docs/speed-decision.md). The pipeline
        # object is used by that thread alone, the embedder by this one.
        t = time.perf_counter()
        reading = pool.submit(_timed, read_facts, ok, settings, nlp=nlp, store=cache)
        alignment = align(ok, embedder, settings)
        timings["align"] = time.perf_counter() - t
        t = time.perf_counter()
        read, timings["facts_reading"] = reading.result()
        timings["facts"] = time.perf_counter() - t  # what the reading added after the align
        facts = read.facts
        if read.problems:  # a sentence a reader failed on: a warning on its source
            articles = [_with_problems(a, read.problems) for a in articles]
            say("facts", f"{len(read.problems)} sentences' facts not read (see warnings)")
        say("align", f"{len(alignment.claims)} claim groups, {len(alignment.omissions)} omissions")
        say("facts", f"{len(facts)} facts")
        t = time.perf_counter()
        events, facts = resolve_events(ok, facts)
        timings["events"] = time.perf_counter() - t
        main = next((e for e in events if e.main), None)
        say("events", f"{len(events)} events" + (f"; main: {main.label}" if main else ""))
        t = time.perf_counter()
        disagreements = find_disagreements(ok, alignment.claims, facts, settings, events=events)
        timings["disagreements"] = time.perf_counter() - t
    n_conf = sum(d.severity == "conflict" for d in disagreements)
    say("disagreements", f"{len(disagreements)} disagreements, {n_conf} conflicts")

    # A sentence that disagrees with other outlets' sentences has counterparts, even when
    # its wording kept the aligner from grouping it: it is not "only X reports ...".
    disputed = {(v.source_id, v.sentence) for d in disagreements for v in d.values}
    omissions = tuple(o for o in alignment.omissions if (o.source_id, o.sentence) not in disputed)
    return Report(
        generated_at=_now(),
        settings=settings.as_dict(),
        articles=tuple(articles),
        claims=alignment.claims,
        facts=facts,
        disagreements=disagreements,
        omissions=omissions,
        shared_text=alignment.shared_text,
        timings=timings,
        events=events,
    )


__all__ = [
    "CacheStore",
    "Progress",
    "align_only",
    "compare",
    "facts_only",
    "load_models",
    "read_sources",
]
