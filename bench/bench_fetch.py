"""Fetch benchmark: 20 article pages from a local server, fetched with ``fetch_all``.

Prints figures only (no assertions): wall time for the 20 pages with the configured
concurrency and with one worker, the same with a simulated 100 ms server latency per
page (where concurrency matters), and, when ``comparer.extract.extract_html`` is
available, extraction time per page. Pages come from tests/fixtures/pages (cycled
to 20) or, if there are none, are generated. Nothing leaves the machine.

    .venv/bin/python -m bench.bench_fetch
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from comparer.errors import ComparerError
from comparer.fetch import decode_body, fetch_all
from comparer.records import Snapshot
from comparer.settings import load_settings
from tests.localserver import LocalServer

REPO = Path(__file__).resolve().parents[1]

PAGES = 20
LATENCY = 0.1


def pages() -> list[tuple[str, bytes]]:
    found = sorted((REPO / "tests" / "fixtures" / "pages").glob("*.html"))
    if found:
        return [
            (f"/{i:02d}-{p.name}", p.read_bytes()) for i, p in enumerate((found * PAGES)[:PAGES])
        ]
    return [(f"/{i:02d}-generated.html", generated_page(i).encode("utf-8")) for i in range(PAGES)]


def generated_page(i: int) -> str:
    paragraph = (
        "<p>The Pentagon said the strike on Thursday destroyed nine facilities "
        "used by Iranian-backed militias near the Syrian-Iraqi border, about 6 p.m. "
        "Eastern time, according to spokesman John Kirby.</p>\n"
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story {i}</title>"
        "</head><body><nav><a href='/'>Home</a></nav><article>"
        f"<h1>US strikes militia sites in Syria ({i})</h1>{paragraph * 25}</article>"
        "<footer>All rights reserved.</footer></body></html>"
    )


def timed_fetch(urls: list[str], settings) -> tuple[float, list]:
    start = time.perf_counter()
    results = fetch_all(urls, settings)
    return time.perf_counter() - start, results


def main() -> None:
    base = load_settings().with_overrides({"fetch.allow_private_hosts": True})
    concurrency = base.fetch.concurrency
    one = base.with_overrides({"fetch.concurrency": 1})
    corpus = pages()
    total_bytes = sum(len(body) for _, body in corpus)
    print(f"{len(corpus)} pages, {total_bytes / 1e6:.2f} MB in all, served from 127.0.0.1")

    with LocalServer() as server:
        for path, body in corpus:
            server.route(path, body=body, content_type="text/html")
            server.route("/slow" + path, body=body, content_type="text/html", delay=LATENCY)
        urls = [server.url(path) for path, _ in corpus]
        slow_urls = [server.url("/slow" + path) for path, _ in corpus]
        fetch_all(urls[:2], base)  # warm up imports and the first connections

        for label, batch in (("no latency", urls), (f"{LATENCY * 1000:.0f} ms latency", slow_urls)):
            wall_n, results = timed_fetch(batch, base)
            wall_1, _ = timed_fetch(batch, one)
            ok = sum(isinstance(r, Snapshot) for r in results)
            print(
                f"fetch_all, {label}: {wall_n:.3f} s with concurrency {concurrency} "
                f"({len(batch) / wall_n:.1f} pages/s, {ok}/{len(batch)} ok); "
                f"{wall_1:.3f} s with 1 worker; speed-up x{wall_1 / wall_n:.2f}"
            )

    snapshots = [r for r in results if isinstance(r, Snapshot)]
    start = time.perf_counter()
    for snap in snapshots:
        decode_body(snap.body, snap.content_type)
    decode_ms = (time.perf_counter() - start) * 1000 / max(1, len(snapshots))
    print(f"decode_body: {decode_ms:.2f} ms per page")

    try:
        from comparer.extract import extract_html
    except ImportError:
        print("extraction: comparer.extract.extract_html not available yet")
        return
    times, failures = [], 0
    warm = time.perf_counter()
    try:  # the first call loads trafilatura's models and caches: reported apart
        extract_html(
            decode_body(snapshots[0].body, snapshots[0].content_type)[0],
            url=snapshots[0].final_url,
            settings=base,
        )
    except ComparerError:
        pass
    print(f"extract_html first call (warm-up): {(time.perf_counter() - warm) * 1000:.1f} ms")
    for snap in snapshots:
        text, _ = decode_body(snap.body, snap.content_type)
        start = time.perf_counter()
        try:
            extract_html(text, url=snap.final_url, settings=base)
        except ComparerError:
            failures += 1  # index pages, paywalls: refused by design
        times.append(time.perf_counter() - start)
    if times:
        print(
            f"extract_html: {statistics.mean(times) * 1000:.1f} ms per page on average "
            f"(median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} "
            f"ms; {failures} of {len(times)} pages had no article text)"
        )


if __name__ == "__main__":
    main()
