"""Fetch news pages over HTTP(S): bounded, guarded, and honest about what went wrong.

The steps for one URL (``fetch_url``):

1. **Guard** (``netguard.py``): scheme and every resolved address are checked before
   any connection, on the first request and every redirect hop; the client from
   :func:`make_client` connects only to checked addresses (no DNS rebinding).
2. **Request** with ``fetch.user_agent``, connect/read timeouts, and one deadline
   (``fetch.total_timeout``) over redirects, retries, headers and body. The deadline is
   enforced inside every socket operation (``netguard.deadline_scope``), not only
   between body chunks: a server that sends its headers one byte a second (each byte
   well within the read timeout) is cut off when the total time runs out. A caller's
   own ``httpx.Client`` (not built by :func:`make_client`) gets the deadline checked
   only between chunks.
3. **Redirects** are followed by hand (httpx's own following would connect to the
   next hop before we could check it), at most ``fetch.max_redirects``.
4. **Retries** after a timeout or a 5xx only (``fetch.retries``, ``fetch.backoff``
   doubling): asking again after a 4xx will not help.
5. **Type**: only HTML, XHTML and plain text; a PDF or an image is refused from its
   Content-Type before its body is downloaded.
6. **Size**: a Content-Length over ``fetch.max_bytes`` is refused at once, and the body
   is counted while it streams (after decompression), so an unannounced huge page is
   cut off at the cap instead of filling memory.
7. **Decode** (``charsets.py``, re-exported here as :func:`decode_body`): BOM, header
   charset, the page's own declaration (only names of real text encodings), else
   detection; the codec is kept on the snapshot.

Every httpx and socket error becomes a ``FetchError`` subclass in one place,
:func:`to_fetch_error`, with a message a journalist can act on ("timed out after
10 s reading https://..."), as httpx maps httpcore's errors in one function.
"""

from __future__ import annotations

import hashlib
import ssl
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime

import httpx

from comparer.charsets import decode_body, decode_page, not_text_reason
from comparer.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedContentError,
)
from comparer.netguard import ConnectFailed, Guard, GuardedClient, check_url, deadline_scope
from comparer.records import Snapshot
from comparer.settings import Settings

__all__ = [
    "GuardedClient",
    "check_url",
    "decode_body",
    "fetch_all",
    "fetch_url",
    "make_client",
    "to_fetch_error",
]

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
# No brotli/zstd: one layer of gzip or deflate expands at most ~1000:1 per chunk, so the
# size cap (counted after decompression) still bounds memory. Stacked encodings
# ("gzip, gzip") multiply that, so a response may use at most one (see _read_response).
ACCEPT_ENCODING = "gzip, deflate"
ALLOWED_ENCODINGS = ("", "identity", "gzip", "x-gzip", "deflate")

_TYPE_NAMES = {
    "application/pdf": "a PDF document",
    "application/json": "JSON data",
    "application/zip": "a ZIP archive",
    "text/xml": "an XML file",
    "application/xml": "an XML file",
    "application/rss+xml": "an RSS feed",
    "application/atom+xml": "an Atom feed",
    "image": "an image",
}
_STATUS_HINTS = {
    401: "the page needs a login",
    402: "the page is behind a paywall",
    403: "the site refused access (paywall or bot blocking?)",
    404: "no such page",
    410: "the page has been removed",
    451: "the page is blocked for legal reasons",
    429: "the site is limiting how often it can be read; try again later",
}


def _headers(settings: Settings) -> dict[str, str]:
    return {
        "User-Agent": settings.fetch.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }


def make_client(
    settings: Settings, *, guard: Guard | None = None, verify: ssl.SSLContext | None = None
) -> GuardedClient:
    """A client to share between fetches (thread-safe); close it when done.

    ``guard`` defaults to one built from ``settings``; ``verify`` is the TLS context
    that checks certificates (default: the certifi bundle, e.g. to add a newsroom CA).
    """
    return GuardedClient(
        guard=guard or Guard.from_settings(settings),
        verify=verify,
        pool_size=max(4, 2 * int(settings.fetch.concurrency)),
        headers=_headers(settings),
    )


def fetch_url(
    url: str,
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    accept: Sequence[str] = ACCEPTED_TYPES,
) -> Snapshot:
    """Fetch one page; raises only ``FetchError`` subclasses (see module docstring).

    ``accept``: the media types taken (default: pages and text). Feeds and search APIs
    (``discover``) pass their own (XML, JSON), with the same guard, caps and retries.
    """
    with _client(settings, client) as active:
        guard = active.guard if isinstance(active, GuardedClient) else Guard.from_settings(settings)
        return _follow(
            url,
            settings,
            active,
            guard,
            time.monotonic() + settings.fetch.total_timeout,
            tuple(accept),
        )


def fetch_all(
    urls: Sequence[str],
    settings: Settings,
    *,
    on_result: Callable[[str, Snapshot | FetchError], None] | None = None,
    client: httpx.Client | None = None,
) -> list[Snapshot | FetchError]:
    """Fetch many URLs at once (``fetch.concurrency`` at a time); results in input order.

    A failure is returned in its slot, never raised, so one bad outlet does not stop
    the others. ``on_result(url, outcome)`` is called on the calling thread as each
    fetch finishes (Streamlit can only draw from its own thread).
    """
    urls = list(urls)
    if not urls:
        return []
    results: dict[int, Snapshot | FetchError] = {}  # input position -> outcome
    workers = max(1, min(int(settings.fetch.concurrency), len(urls)))
    with (
        _client(settings, client) as active,
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool,
    ):
        futures = {
            pool.submit(_fetch_or_error, url, settings, active): i for i, url in enumerate(urls)
        }
        for future in as_completed(futures):
            i = futures[future]
            results[i] = outcome = future.result()
            if on_result is not None:
                on_result(urls[i], outcome)
    return [results[i] for i in range(len(urls))]  # every future has completed


def _client(
    settings: Settings, client: httpx.Client | None
) -> AbstractContextManager[httpx.Client]:
    """The caller's client left open, or a new one closed after use."""
    return nullcontext(client) if client is not None else make_client(settings)


def _fetch_or_error(url: str, settings: Settings, client: httpx.Client) -> Snapshot | FetchError:
    try:
        return fetch_url(url, settings, client=client)
    except FetchError as exc:
        return exc


def _follow(
    url: str,
    settings: Settings,
    client: httpx.Client,
    guard: Guard,
    deadline: float,
    accept: tuple[str, ...] = ACCEPTED_TYPES,
) -> Snapshot:
    fs = settings.fetch
    current = url
    for _ in range(fs.max_redirects + 1):
        if guard.allow_private and not fs.allow_private_hosts:
            check_url(current, allow_private=False, resolve=guard.resolve)  # settings win
        guard.check(current)
        outcome = _with_retries(client, current, settings, deadline, accept)
        if isinstance(outcome, Snapshot):
            return replace(outcome, requested_url=url, final_url=current)
        current = outcome  # the next hop
    raise TooManyRedirectsError(
        f"gave up on {url}: more than {fs.max_redirects} redirects (fetch.max_redirects); "
        f"the last one pointed to {current}"
    )


def _with_retries(
    client: httpx.Client,
    url: str,
    settings: Settings,
    deadline: float,
    accept: tuple[str, ...] = ACCEPTED_TYPES,
) -> Snapshot | str:
    fs, delay = settings.fetch, settings.fetch.backoff
    for attempt in range(fs.retries + 1):
        try:
            return _attempt(client, url, settings, deadline, accept)
        except (FetchTimeoutError, HTTPStatusError) as exc:
            retriable = isinstance(exc, FetchTimeoutError) or exc.status >= 500
            if not retriable or attempt == fs.retries or time.monotonic() + delay >= deadline:
                if attempt == 0:
                    raise
                note = f"{exc} (tried {attempt + 1} times)"
                if isinstance(exc, HTTPStatusError):
                    raise HTTPStatusError(note, exc.status) from exc
                raise FetchTimeoutError(note) from exc
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")  # the last attempt returns or raises


def _attempt(
    client: httpx.Client,
    url: str,
    settings: Settings,
    deadline: float,
    accept: tuple[str, ...] = ACCEPTED_TYPES,
) -> Snapshot | str:
    """One GET of one URL: a finished page, or the URL it redirects to."""
    fs = settings.fetch
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeoutError(
            f"gave up on {url} after {fs.total_timeout:g} s in total (fetch.total_timeout)"
        )
    connect, read = min(fs.connect_timeout, remaining), min(fs.read_timeout, remaining)
    try:
        headers = _headers(settings)
        if accept != ACCEPTED_TYPES:
            headers["Accept"] = ", ".join(accept) + ", */*;q=0.1"
        request = client.build_request(
            "GET",
            url,
            headers=headers,
            timeout=httpx.Timeout(connect=connect, read=read, write=read, pool=connect),
        )
        # every socket read, write and connect of this attempt ends by the deadline
        with deadline_scope(deadline):
            # never let the client follow a redirect itself: each hop is checked first
            response = client.send(request, stream=True, follow_redirects=False)
            try:
                return _read_response(response, url, settings, deadline, accept)
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline:  # the headers came, the body did not
                    raise FetchTimeoutError(
                        f"gave up on {url}: still downloading after "
                        f"{fs.total_timeout:g} s (fetch.total_timeout)"
                    ) from exc
                raise
            finally:
                response.close()
    except FetchError:
        raise
    except httpx.TimeoutException as exc:
        if time.monotonic() >= deadline:  # the total, not one read, ran out
            raise FetchTimeoutError(
                f"gave up on {url} after {fs.total_timeout:g} s in total (fetch.total_timeout)"
            ) from exc
        raise to_fetch_error(exc, url=url, settings=settings) from exc
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        raise to_fetch_error(exc, url=url, settings=settings) from exc


def _read_response(
    response: httpx.Response,
    url: str,
    settings: Settings,
    deadline: float,
    accept: tuple[str, ...] = ACCEPTED_TYPES,
) -> Snapshot | str:
    fs, status = settings.fetch, response.status_code
    if status in REDIRECT_STATUSES and response.headers.get("location"):
        return str(httpx.URL(url).join(response.headers["location"]))
    if not 200 <= status < 300:
        hint = _STATUS_HINTS.get(status) or (
            "the server failed" if status >= 500 else "not a page Crosscheck can read"
        )
        raise HTTPStatusError(f"{url} answered {status} {response.reason_phrase}: {hint}", status)
    header = response.headers.get("content-type", "").strip()
    media = header.split(";", 1)[0].strip().lower()
    if media and media not in accept:
        if accept != ACCEPTED_TYPES:
            raise UnsupportedContentError(
                f"{url} is {_describe(media)} ({media}), not what was expected "
                f"({', '.join(accept)})"
            )
        raise UnsupportedContentError(
            f"{url} is {_describe(media)} ({media}), not a web page: Crosscheck reads only "
            "HTML and plain text"
        )
    codings = [
        c.strip().lower()
        for c in response.headers.get("content-encoding", "").split(",")
        if c.strip()
    ]
    if len(codings) > 1 or (codings and codings[0] not in ALLOWED_ENCODINGS):
        raise UnsupportedContentError(
            f"{url} is sent with the content encoding {', '.join(codings)!r}: Crosscheck reads "
            "only plain, gzip or deflate bodies (one layer), so that the size cap holds"
        )
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > fs.max_bytes:
        raise TooLargeError(
            f"{url} is {int(declared):,} bytes according to the server, over "
            f"the {fs.max_bytes:,}-byte limit (fetch.max_bytes)"
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > fs.max_bytes:
            raise TooLargeError(
                f"stopped reading {url} after {fs.max_bytes:,} bytes: the page "
                "is larger than the limit (fetch.max_bytes)"
            )
        if time.monotonic() > deadline:
            raise FetchTimeoutError(
                f"gave up on {url}: still downloading after "
                f"{fs.total_timeout:g} s (fetch.total_timeout)"
            )
        chunks.append(chunk)
    body = b"".join(chunks)
    if not media:
        header = media = _sniff(body, url)
    encoding = decode_page(body, header).encoding
    return Snapshot(
        requested_url=url,
        final_url=url,
        http_status=status,
        fetched_at=datetime.now(UTC),
        content_type=header,
        sha256=hashlib.sha256(body).hexdigest(),
        body=body,
        encoding=encoding,
    )


def _describe(media: str) -> str:
    kind = media.split("/", 1)[0]
    return (
        _TYPE_NAMES.get(media)
        or _TYPE_NAMES.get(kind)
        or (f"a {kind} file" if kind in ("video", "audio", "font") else f"a file of type {media}")
    )


def _sniff(body: bytes, url: str) -> str:
    """A media type for a body the server did not label (HTML, text, or refuse)."""
    decoded = decode_page(body[:4096], "")  # a UTF-16 page has NUL bytes but is text
    head = decoded.text.lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<p", "<meta")):
        return "text/html"
    reason = not_text_reason(body[:4096], decoded.text)
    if reason is None:
        return "text/plain"
    raise UnsupportedContentError(
        f"{url} did not say what kind of file it is, and it does "
        f"not look like a web page or text: {reason}"
    )


_TIMEOUTS = (
    (httpx.ConnectTimeout, "connect_timeout", "connecting to {host} for {url}"),
    (httpx.ReadTimeout, "read_timeout", "reading {url}"),
    (httpx.WriteTimeout, "read_timeout", "sending the request for {url}"),
    (httpx.TimeoutException, "connect_timeout", "waiting for a connection for {url}"),
)
# (the last one is PoolTimeout: every connection of a shared client is busy)


def to_fetch_error(exc: BaseException, *, url: str, settings: Settings) -> FetchError:
    """The one place where httpx and socket errors become ``FetchError`` subclasses."""
    fs = settings.fetch
    host = _host(url)
    if isinstance(exc, FetchError):
        return exc
    for kind, key, doing in _TIMEOUTS:
        if isinstance(exc, kind):
            return FetchTimeoutError(
                f"timed out after {getattr(fs, key):g} s " + doing.format(host=host, url=url)
            )
    if isinstance(exc, httpx.TooManyRedirects):
        return TooManyRedirectsError(f"gave up on {url}: too many redirects")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return BlockedAddressError(
            f"refused {url!r}: not an http:// or https:// address that can be fetched ({exc})"
        )
    if isinstance(exc, httpx.DecodingError):
        return FetchError(f"{host} sent a corrupt compressed page for {url}")
    cause = _root_cause(exc)
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc)
        if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in detail:
            return FetchError(
                f"the secure connection to {host} failed: its certificate could "
                f"not be verified ({detail})"
            )
        if isinstance(cause, ssl.SSLError) or "[SSL" in detail:
            return FetchError(f"the secure connection to {host} failed ({detail})")
        if isinstance(cause, ConnectionRefusedError):
            return FetchError(f"could not connect to {host} for {url}: the connection was refused")
        return FetchError(f"could not connect to {host} for {url} ({detail})")
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchError(f"{host} broke off or garbled its answer for {url} ({exc})")
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, ConnectionError)):
        return FetchError(f"the connection to {host} dropped while reading {url} ({cause})")
    return FetchError(f"could not fetch {url}: {exc or type(exc).__name__}")


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost error: down the exception chain, through ConnectFailed.reason."""
    seen = exc
    while True:
        inner = getattr(seen, "reason", None) if isinstance(seen, ConnectFailed) else None
        inner = inner or seen.__cause__ or seen.__context__
        if not isinstance(inner, BaseException):
            return seen
        seen = inner


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except (httpx.InvalidURL, TypeError):  # the message then names the whole URL
        return url
