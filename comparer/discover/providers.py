"""The places ``discover`` asks: Google News RSS search, the GDELT DOC 2.0 API, outlet feeds.

Each provider takes a :class:`Query` and returns :class:`Hit` rows, or raises a
``DiscoverError`` / ``FetchError`` whose message says what went wrong; the caller
(``search.py``) records that against the provider and carries on with the others.

Every request goes through ``fetch.fetch_url`` on the caller's guarded client: the SSRF
guard, the size cap (``fetch.max_bytes``), the timeouts and the retries are the ones
every page fetch has. Nothing here opens a connection of its own.

XML (Google's RSS, outlet feeds) is parsed with ``defusedxml``: a feed that declares
entities (the "billion laughs" bomb) or points at external ones is refused instead of
expanded. Elements are matched by their local name, so RSS 2.0, RSS 1.0 (RDF) and Atom
share one reader.

Google News links are redirect pages (``news.google.com/rss/articles/<id>``). The older
ids are base64 of a small protobuf message that contains the publisher's address, which
:func:`decode_google_link` reads without any request. Newer ids are opaque (resolving
them needs a call to Google's own page scripts, which is not done here): such a hit
keeps the Google link, ``resolved=False``, and the outlet's home page from
``<source url="...">``.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import fromstring

from comparer.charsets import decode_body
from comparer.errors import DiscoverError, FetchError
from comparer.fetch import fetch_url
from comparer.settings import Settings
from comparer.urls import canonical_url, host_key

__all__ = [
    "FEED_TYPES",
    "JSON_TYPES",
    "Hit",
    "Query",
    "decode_google_link",
    "feed_hits",
    "gdelt",
    "google_news",
    "matches_terms",
    "parse_feed",
]

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "text/html",  # some servers label their feeds wrongly; the parser decides
    "text/plain",
)
# GDELT answers errors as plain text (or HTML) with status 200: those types are taken so
# that the message can be shown instead of "not JSON".
JSON_TYPES = ("application/json", "text/json", "text/plain", "text/html")
GOOGLE_HOST = "news.google.com"
GDELT_MAX_RECORDS = 250  # the API's own ceiling

# GDELT names languages in English; the codes match what extraction and feeds give.
LANGUAGE_CODES = {
    "english": "en",
    "spanish": "es",
    "french": "fr",
    "german": "de",
    "arabic": "ar",
    "russian": "ru",
    "chinese": "zh",
    "portuguese": "pt",
    "italian": "it",
    "turkish": "tr",
    "japanese": "ja",
    "hebrew": "he",
    "persian": "fa",
    "ukrainian": "uk",
    "hindi": "hi",
    "korean": "ko",
    "dutch": "nl",
    "polish": "pl",
    "indonesian": "id",
}


@dataclass(frozen=True)
class Query:
    """What every provider is asked: the words, the terms feeds are filtered by, the window."""

    text: str
    terms: tuple[str, ...]  # words and "quoted phrases" of ``text``, quotes removed
    since: datetime  # aware, UTC
    until: datetime


@dataclass(frozen=True)
class Hit:
    """One story as a provider listed it (``url`` already canonical)."""

    url: str
    title: str
    outlet: str
    provider: str
    published: datetime | None = None
    language: str | None = None
    outlet_url: str | None = None  # the outlet's home page, when the provider names it
    resolved: bool = True  # False: ``url`` is a redirect page, not the publisher's address
    summary: str = ""


# --- shared helpers ----------------------------------------------------------------


def _get(url: str, settings: Settings, client: httpx.Client, accept: Sequence[str]) -> str:
    snap = fetch_url(url, settings, client=client, accept=accept)
    return decode_body(snap.body, snap.content_type)[0]


def _with_params(base: str, params: dict[str, Any]) -> str:
    return base + ("&" if "?" in base else "?") + urlencode(params)


def _clean(text: str | None) -> str:
    """Feed text as a line: entities decoded (feeds often escape twice), tags and runs of
    white space removed."""
    text = html.unescape(text or "")
    text = re.sub(r"<[^>]{0,2000}>", " ", text)
    return " ".join(text.split())


def _parse_date(value: str | None) -> datetime | None:
    """RFC 822 (RSS), ISO 8601 (Atom, Dublin Core) or GDELT's 20210226T013000Z, in UTC."""
    value = (value or "").strip()
    if not value:
        return None
    parsed: datetime | None = None
    if re.fullmatch(r"\d{8}T\d{6}Z", value):
        parsed = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    else:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            try:
                parsed = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _language(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    named = LANGUAGE_CODES.get(value.lower())
    if named:
        return named
    primary = re.split(r"[-_]", value, maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else value


def _fold(text: str) -> str:
    """Lower case without accents, for matching query words in feed text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def matches_terms(text: str, terms: Sequence[str]) -> bool:
    """Whether ``text`` contains enough of the query's terms: two of them (one when the
    query has one), each as whole words. Few terms are asked for because a headline
    rarely repeats more than two of another outlet's key words; ranking sorts the rest."""
    if not terms:
        return True
    folded = _fold(text)
    found = sum(1 for term in terms if re.search(rf"(?<!\w){re.escape(_fold(term))}(?!\w)", folded))
    return found >= min(2, len(terms))


# --- XML feeds (RSS 2.0, RSS 1.0, Atom) ----------------------------------------------


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _child_text(element: Element, *names: str) -> str | None:
    for name in names:
        child = _child(element, name)
        if child is not None:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _entry_link(entry: Element) -> str | None:
    """RSS ``<link>text</link>``, or Atom's ``<link rel="alternate" href>`` (or no rel)."""
    for child in entry:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return href.strip()
        text = (child.text or "").strip()
        if text:
            return text
    return _child_text(entry, "guid", "id")


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse_feed(text: str, *, provider: str, where: str) -> list[Hit]:
    """The items of an RSS or Atom document, as hits of ``provider``.

    Raises ``DiscoverError`` naming ``where`` (the feed) for a document that is not XML,
    declares entities or is neither RSS nor Atom.
    """
    try:
        root = fromstring(text.lstrip("\ufeff \t\r\n"))
    except EntitiesForbidden:
        raise DiscoverError(
            f"{provider}: refused {where}: it declares XML entities (the pattern of an "
            "entity-expansion attack); feeds do not need them"
        ) from None
    except DefusedXmlException as exc:
        raise DiscoverError(f"{provider}: refused {where}: {type(exc).__name__}") from None
    except (ParseError, ValueError) as exc:
        raise DiscoverError(
            f"{provider}: {where} is not a readable feed (bad XML: {exc})"
        ) from None
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "RDF"):
        raise DiscoverError(
            f"{provider}: {where} is not an RSS or Atom feed (its root element is <{kind}>)"
        )
    channel = _child(root, "channel") if kind != "feed" else root
    channel = channel if channel is not None else root
    feed_title = _clean(_child_text(channel, "title")) or host_key(where) or where
    feed_language = _language(_child_text(channel, "language") or root.get(XML_LANG))
    entries = [e for e in root.iter() if _local(e.tag) in ("item", "entry")]
    hits = []
    for entry in entries:
        link = _entry_link(entry)
        title = _clean(_child_text(entry, "title"))
        if not link or not title or not link.lower().startswith(("http://", "https://")):
            continue  # an item without an address or a title is nothing to compare
        source = _child(entry, "source")
        outlet_url = source.get("url") if source is not None else None
        outlet = _clean("".join(source.itertext())) if source is not None else ""
        hits.append(
            Hit(
                url=canonical_url(link),
                title=title,
                outlet=outlet or feed_title,
                provider=provider,
                published=_parse_date(
                    _child_text(entry, "pubDate", "published", "date", "updated", "issued")
                ),
                language=_language(entry.get(XML_LANG)) or feed_language,
                outlet_url=outlet_url,
                summary=_clean(_child_text(entry, "description", "summary", "content"))[:2000],
            )
        )
    return hits


# --- Google News ---------------------------------------------------------------------


def decode_google_link(url: str) -> str | None:
    """The publisher's address inside an old-style Google News article id, or None.

    Those ids are URL-safe base64 of a protobuf message whose field 4 (tag byte 0x22)
    holds the address, after a one- or two-byte length.
    """
    parts = urlsplit(url)
    if parts.hostname != GOOGLE_HOST or "/articles/" not in parts.path:
        return None
    token = parts.path.rsplit("/articles/", 1)[1].split("/", 1)[0]
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    start = data.find(b"http")
    if start < 2:
        return None
    if data[start - 2] == 0x22 and data[start - 1] < 0x80:
        length = data[start - 1]
    elif start >= 3 and data[start - 3] == 0x22 and data[start - 2] >= 0x80:
        length = (data[start - 2] & 0x7F) | (data[start - 1] << 7)
    else:
        return None
    raw = data[start : start + length]
    if len(raw) != length:
        return None
    try:
        found = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not re.fullmatch(r"https?://[\x21-\x7e]+", found) or urlsplit(found).hostname in (
        None,
        GOOGLE_HOST,
    ):
        return None
    return found


def _strip_outlet_suffix(title: str, outlet: str) -> str:
    """Google News titles end in " - Outlet"; the outlet is its own column."""
    if outlet and title.endswith(f" - {outlet}"):
        return title[: -len(outlet) - 3].strip()
    return title


def google_news(query: Query, settings: Settings, client: httpx.Client) -> list[Hit]:
    """Google News RSS search for ``query`` (``discover.google_news_url``)."""
    words = f"{query.text} after:{query.since:%Y-%m-%d} before:{_next_day(query.until)}"
    url = _with_params(
        settings.discover.google_news_url,
        {"q": words, "hl": "en-US", "gl": "US", "ceid": "US:en"},
    )
    hits = parse_feed(_get(url, settings, client, FEED_TYPES), provider="google_news", where=url)
    out = []
    for hit in hits:
        publisher = decode_google_link(hit.url)
        redirect = urlsplit(hit.url).hostname == GOOGLE_HOST
        out.append(
            Hit(
                url=canonical_url(publisher) if publisher else hit.url,
                title=_strip_outlet_suffix(hit.title, hit.outlet),
                outlet=hit.outlet,
                provider=hit.provider,
                published=hit.published,
                language=hit.language,
                outlet_url=hit.outlet_url,
                resolved=bool(publisher) or not redirect,
            )
        )
    return out


def _next_day(moment: datetime) -> str:
    """Google's ``before:`` excludes its day: the day after the window's end."""
    return datetime.fromordinal(moment.date().toordinal() + 1).strftime("%Y-%m-%d")


# --- GDELT ---------------------------------------------------------------------------


def gdelt(query: Query, settings: Settings, client: httpx.Client, *, max_records: int) -> list[Hit]:
    """GDELT DOC 2.0 article list for ``query`` within its window (``discover.gdelt_url``)."""
    url = _with_params(
        settings.discover.gdelt_url,
        {
            "query": query.text,
            "mode": "ArtList",
            "format": "json",
            "maxrecords": max(1, min(GDELT_MAX_RECORDS, max_records)),
            "startdatetime": f"{query.since:%Y%m%d%H%M%S}",
            "enddatetime": f"{query.until:%Y%m%d%H%M%S}",
        },
    )
    text = _get(url, settings, client, JSON_TYPES).strip()
    if not text.startswith(("{", "[")):
        # GDELT's errors come as a sentence with status 200 ("Your search contained a
        # keyword that was too short ...")
        message = _clean(text)[:300] or "an empty answer"
        raise DiscoverError(f"gdelt: the API refused the search: {message}")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DiscoverError(f"gdelt: the answer is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise DiscoverError("gdelt: the answer is not a JSON object")
    articles = data.get("articles", [])  # no matches: GDELT sends {}
    if not isinstance(articles, list):
        raise DiscoverError("gdelt: the answer's articles are not a list")
    hits = []
    for item in articles:
        if not isinstance(item, dict):
            continue
        link, title = str(item.get("url") or ""), _clean(str(item.get("title") or ""))
        if not link.lower().startswith(("http://", "https://")) or not title:
            continue
        domain = str(item.get("domain") or "") or host_key(link)
        hits.append(
            Hit(
                url=canonical_url(link),
                title=title,
                outlet=domain,
                provider="gdelt",
                published=_parse_date(str(item.get("seendate") or "")),
                language=_language(str(item.get("language") or "")),
            )
        )
    return hits


# --- outlet feeds --------------------------------------------------------------------


def feed_hits(
    query: Query,
    feeds: Iterable[str],
    settings: Settings,
    client: httpx.Client,
) -> tuple[list[Hit], list[str]]:
    """The items of every feed that contain the query's terms (``matches_terms``), and
    one message per feed that failed (its address in it), in the order given: one bad
    feed never hides the others.
    """
    feeds = list(dict.fromkeys(f.strip() for f in feeds if f.strip()))

    def read(feed: str) -> tuple[list[Hit], str | None]:
        try:
            text = _get(feed, settings, client, FEED_TYPES)
            return parse_feed(text, provider="feeds", where=feed), None
        except DiscoverError as exc:
            return [], str(exc).removeprefix("feeds: ")
        except FetchError as exc:
            return [], f"{feed}: {exc}"

    if not feeds:
        return [], []
    workers = max(1, min(int(settings.fetch.concurrency), len(feeds)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed") as pool:
        outcomes = list(pool.map(read, feeds))
    hits = [
        hit
        for found, _ in outcomes
        for hit in found
        if matches_terms(f"{hit.title} {hit.summary}", query.terms)
    ]
    return hits, [error for _, error in outcomes if error]
