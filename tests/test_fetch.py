"""fetch.py against a real local HTTP server: pages, redirects, errors, caps, charsets."""

from __future__ import annotations

import gzip
import hashlib
import html
import socket
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from comparer.errors import (
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedContentError,
)
from comparer.fetch import decode_body, fetch_all, fetch_url, to_fetch_error
from comparer.records import Snapshot
from tests.localserver import LocalServer, Reply

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "comparer" / "examples" / "syria-2021-02-25" / "01-hngn.txt"
PAGES = sorted((REPO / "tests" / "fixtures" / "pages").glob("*.html"))


@pytest.fixture()
def fast(settings):
    """Guard off (the server is on 127.0.0.1), small timeouts and caps, one quick retry."""
    return settings.with_overrides(
        {
            "fetch.allow_private_hosts": True,
            "fetch.connect_timeout": 1.0,
            "fetch.read_timeout": 0.5,
            "fetch.total_timeout": 5.0,
            "fetch.retries": 1,
            "fetch.backoff": 0.01,
            "fetch.max_bytes": 50_000,
            "fetch.max_redirects": 3,
        }
    )


def seed_page() -> str:
    """The seed article as a news page: title, byline, paragraphs, teaser, footer."""
    body = SEED.read_text(encoding="utf-8").split("\n\n", 1)[1]
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Biden orders US airstrike against Syria</title></head>\n<body>"
        '<nav><a href="/">Home</a> | <a href="/world">World</a></nav>\n'
        f"<article><h1>Biden orders US airstrike against Syria</h1>\n{paragraphs}\n"
        "</article><footer>\u00a9 2021 HNGN. All rights reserved.</footer></body></html>"
    )


def test_article_page(fast, local_server):
    page = seed_page()
    url = local_server.route("/world/syria-strike", body=page)
    before = datetime.now(UTC)
    snap = fetch_url(url, fast)
    after = datetime.now(UTC)
    body = page.encode("utf-8")
    assert snap == Snapshot(
        requested_url=url,
        final_url=url,
        http_status=200,
        fetched_at=snap.fetched_at,
        content_type="text/html; charset=utf-8",
        sha256=hashlib.sha256(body).hexdigest(),
        body=body,
        encoding="utf-8",
    )
    assert snap.fetched_at.tzinfo == UTC and before <= snap.fetched_at <= after
    assert decode_body(snap.body, snap.content_type) == (page, "utf-8")
    [request] = local_server.requests
    assert request.headers["User-Agent"] == fast.fetch.user_agent


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_fixture_pages_arrive_byte_for_byte(path, fast, local_server):
    raw = path.read_bytes()
    url = local_server.route("/" + path.name, body=raw, content_type="text/html")
    snap = fetch_url(url, fast)
    assert (snap.body, snap.sha256) == (raw, hashlib.sha256(raw).hexdigest())
    try:
        expected = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # a legacy-encoded fixture: covered by the charset tests below
    assert decode_body(snap.body, snap.content_type) == (expected.removeprefix("\ufeff"), "utf-8")


def test_redirect_chain_reports_the_final_url(fast, local_server):
    local_server.redirect("/old", "/mid", status=301)  # relative Location
    local_server.redirect("/mid", local_server.url("/2021/strike"), status=308)
    local_server.route("/2021/strike", body="<p>The strike.</p>")
    snap = fetch_url(local_server.url("/old"), fast)
    assert (snap.requested_url, snap.final_url) == (
        local_server.url("/old"),
        local_server.url("/2021/strike"),
    )
    assert snap.body == b"<p>The strike.</p>"
    assert [r.path for r in local_server.requests] == ["/old", "/mid", "/2021/strike"]


def test_redirects_up_to_the_cap_are_followed(fast, local_server):
    for i in range(3):
        local_server.redirect(f"/r{i}", f"/r{i + 1}")
    local_server.route("/r3", body="<p>end</p>")
    assert fetch_url(local_server.url("/r0"), fast).final_url == local_server.url("/r3")


def test_too_many_redirects(fast, local_server):
    local_server.redirect("/loop", "/loop")
    url = local_server.url("/loop")
    with pytest.raises(
        TooManyRedirectsError, match=r"more than 3 redirects \(fetch.max_redirects\)"
    ):
        fetch_url(url, fast)
    assert local_server.hits("/loop") == 4  # the first request and three redirects followed


def test_404_is_final(fast, local_server):
    url = local_server.route("/gone", status=404, body="<p>Not here</p>")
    with pytest.raises(HTTPStatusError) as info:
        fetch_url(url, fast)
    assert info.value.status == 404
    assert str(info.value) == f"{url} answered 404 Not Found: no such page"
    assert local_server.hits("/gone") == 1  # a 4xx is not retried


def test_500_then_200_succeeds_on_retry(fast, local_server):
    url = local_server.route(
        "/flaky", replies=[Reply(status=500, body="oops"), Reply(body="<p>Back.</p>")]
    )
    snap = fetch_url(url, fast)
    assert (snap.http_status, snap.body) == (200, b"<p>Back.</p>")
    assert local_server.hits("/flaky") == 2


def test_persistent_500_gives_up_after_the_retries(fast, local_server):
    url = local_server.route("/down", status=503, body="busy")
    with pytest.raises(HTTPStatusError) as info:
        fetch_url(url, fast)
    assert info.value.status == 503
    assert str(info.value) == (
        f"{url} answered 503 Service Unavailable: the server failed (tried 2 times)"
    )
    assert local_server.hits("/down") == 2


def test_page_slower_than_the_read_timeout(fast, local_server):
    url = local_server.route("/slow", body="<p>late</p>", delay=2.0)
    with pytest.raises(FetchTimeoutError) as info:
        fetch_url(url, fast)
    assert str(info.value) == f"timed out after 0.5 s reading {url} (tried 2 times)"
    assert local_server.hits("/slow") == 2  # a timeout is retried once


def test_total_timeout_stops_a_trickling_page(fast, local_server):
    # Every chunk arrives within the read timeout, but the whole page takes too long.
    settings = fast.with_overrides({"fetch.total_timeout": 0.6, "fetch.read_timeout": 1.0})
    url = local_server.route(
        "/drip",
        body=b"<p>" + b"x" * 2000 + b"</p>",
        framing="chunked",
        chunk_size=100,
        chunk_delay=0.1,
    )
    with pytest.raises(
        FetchTimeoutError, match=r"still downloading after 0.6 s \(fetch.total_timeout\)"
    ):
        fetch_url(url, settings)
    assert local_server.hits("/drip") == 1  # no time left for a retry


def test_too_large_with_content_length_is_refused_before_reading(fast, local_server):
    url = local_server.route("/big", body=b"<p>" + b"x" * 60_000 + b"</p>")
    with pytest.raises(TooLargeError) as info:
        fetch_url(url, fast)
    assert str(info.value) == (
        f"{url} is 60,007 bytes according to the server, over the "
        "50,000-byte limit (fetch.max_bytes)"
    )


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_too_large_without_content_length_is_cut_off_while_streaming(framing, fast, local_server):
    url = local_server.route(
        "/big", body=b"<p>" + b"x" * 200_000 + b"</p>", framing=framing, chunk_size=8192
    )
    with pytest.raises(TooLargeError) as info:
        fetch_url(url, fast)
    assert str(info.value) == (
        f"stopped reading {url} after 50,000 bytes: the page is "
        "larger than the limit (fetch.max_bytes)"
    )


def test_size_cap_counts_decompressed_bytes(fast, local_server):
    bomb = gzip.compress(b"<p>" + b"\0" * 400_000)  # ~400 bytes on the wire
    url = local_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLargeError, match="stopped reading"):
        fetch_url(url, fast)


def test_gzip_page_is_stored_decompressed(fast, local_server):
    page = b"<p>The Pentagon said.</p>"
    url = local_server.route("/gz", body=gzip.compress(page), headers={"Content-Encoding": "gzip"})
    snap = fetch_url(url, fast)
    assert (snap.body, snap.sha256) == (page, hashlib.sha256(page).hexdigest())


@pytest.mark.parametrize(
    "ctype, described",
    [
        ("application/pdf", "a PDF document (application/pdf)"),
        ("image/png", "an image (image/png)"),
        ("application/json; charset=utf-8", "JSON data (application/json)"),
        ("video/mp4", "a video file (video/mp4)"),
    ],
)
def test_non_text_content_is_refused(ctype, described, fast, local_server):
    url = local_server.route("/file", body=b"%PDF-1.4 binary", content_type=ctype)
    with pytest.raises(UnsupportedContentError) as info:
        fetch_url(url, fast)
    assert str(info.value) == (
        f"{url} is {described}, not a web page: Crosscheck reads only HTML and plain text"
    )


def test_plain_text_and_xhtml_are_accepted(fast, local_server):
    text = local_server.route("/t", body="Kirby said.", content_type="text/plain; charset=utf-8")
    xhtml = local_server.route(
        "/x",
        body="<html xmlns='http://www.w3.org/1999/xhtml'/>",
        content_type="application/xhtml+xml",
    )
    assert fetch_url(text, fast).body == b"Kirby said."
    assert fetch_url(xhtml, fast).content_type == "application/xhtml+xml"


def test_unlabelled_html_is_sniffed(fast, local_server):
    url = local_server.route("/n", body="<!DOCTYPE html><p>Hi</p>", content_type=None)
    assert fetch_url(url, fast).content_type == "text/html"


CP1252_PAGE = (
    "<html><head><title>Strike</title></head><body><p>\u201cThis proportionate "
    "military response was carried out,\u201d Kirby said \u2014 a r\u00e9sum\u00e9 "
    "of na\u00efve claims. It\u2019s the caf\u00e9 in Deir ez-Zor.</p></body></html>"
)


def test_windows_1252_page_without_a_declared_charset(fast, local_server):
    url = local_server.route("/legacy", body=CP1252_PAGE.encode("cp1252"), content_type="text/html")
    snap = fetch_url(url, fast)
    assert snap.encoding == "cp1252"
    assert decode_body(snap.body, snap.content_type) == (CP1252_PAGE, "cp1252")


def test_page_without_article_text_still_fetches(fast, local_server):
    page = "<html><body><nav><a href='/'>Home</a></nav><div id='app'></div></body></html>"
    url = local_server.route("/app", body=page)
    snap = fetch_url(url, fast)
    assert (snap.http_status, snap.body) == (200, page.encode())


def test_refused_connection_is_a_fetch_error(fast):
    with socket.socket() as probe:  # a port on this machine that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with pytest.raises(FetchError) as info:
        fetch_url(url, fast)
    assert (
        str(info.value) == f"could not connect to 127.0.0.1 for {url}: the connection was refused"
    )


def test_fetch_all_keeps_order_and_isolates_failures(fast, local_server):
    ok1 = local_server.route("/one", body="<p>one</p>")
    missing = local_server.url("/missing")
    ok2 = local_server.route("/two", body="<p>two</p>", delay=0.2)
    pdf = local_server.route("/doc.pdf", body=b"%PDF", content_type="application/pdf")
    seen: list = []
    results = fetch_all(
        [ok1, missing, ok2, pdf],
        fast,
        on_result=lambda url, outcome: seen.append((url, type(outcome))),
    )
    assert [type(r) for r in results] == [
        Snapshot,
        HTTPStatusError,
        Snapshot,
        UnsupportedContentError,
    ]
    assert (results[0].body, results[2].body) == (b"<p>one</p>", b"<p>two</p>")
    assert results[1].status == 404
    assert sorted(seen) == sorted(
        [
            (ok1, Snapshot),
            (missing, HTTPStatusError),
            (ok2, Snapshot),
            (pdf, UnsupportedContentError),
        ]
    )
    assert fetch_all([], fast) == []


@pytest.mark.parametrize(
    "body, ctype, expected",
    [
        ("caf\u00e9".encode("cp1252"), "text/html; charset=windows-1252", ("caf\u00e9", "cp1252")),
        ("caf\u00e9".encode("cp1252"), "text/html; charset=ISO-8859-1", ("caf\u00e9", "cp1252")),
        (
            "\u201ccaf\u00e9\u201d".encode("utf-8"),
            'text/plain; charset="UTF-8"',
            ("\u201ccaf\u00e9\u201d", "utf-8"),
        ),
        # the header is wrong (says UTF-8, page is cp1252): the bytes win
        (CP1252_PAGE.encode("cp1252"), "text/html; charset=utf-8", (CP1252_PAGE, "cp1252")),
        (
            "<meta charset='windows-1251'><p>\u041a\u0438\u0435\u0432</p>".encode("cp1251"),
            "text/html",
            ("<meta charset='windows-1251'><p>\u041a\u0438\u0435\u0432</p>", "cp1251"),
        ),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
            "<p>\u20ac5</p>".encode("iso8859-15"),
            "text/html",
            (
                '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
                "<p>\u20ac5</p>",
                "iso8859-15",
            ),
        ),
        (
            "<?xml version='1.0' encoding='windows-1252'?><p>\u00e9</p>".encode("cp1252"),
            "application/xhtml+xml",
            ("<?xml version='1.0' encoding='windows-1252'?><p>\u00e9</p>", "cp1252"),
        ),
        (
            b"\xef\xbb\xbf<p>\xc3\xa9</p>",
            "text/html; charset=windows-1252",
            ("<p>\u00e9</p>", "utf-8"),
        ),
        (
            "<p>\u00e9</p>".encode("utf-16-le").join([b"\xff\xfe", b""]),
            "text/html",
            ("<p>\u00e9</p>", "utf-16-le"),
        ),
        ("<p>plain \u00e9</p>".encode("utf-8"), "", ("<p>plain \u00e9</p>", "utf-8")),
    ],
)
def test_decode_body(body, ctype, expected):
    assert decode_body(body, ctype) == expected


def test_every_error_is_translated_with_a_readable_message(fast):
    url = "https://news.example/story"
    cases = [
        (
            httpx.ConnectTimeout("x"),
            FetchTimeoutError,
            f"timed out after 1 s connecting to news.example for {url}",
        ),
        (httpx.ReadTimeout("x"), FetchTimeoutError, f"timed out after 0.5 s reading {url}"),
        (
            httpx.RemoteProtocolError("peer closed"),
            FetchError,
            f"news.example broke off or garbled its answer for {url} (peer closed)",
        ),
        (
            httpx.DecodingError("bad gzip"),
            FetchError,
            f"news.example sent a corrupt compressed page for {url}",
        ),
        (
            ConnectionResetError("reset"),
            FetchError,
            f"the connection to news.example dropped while reading {url} (reset)",
        ),
    ]
    for exc, kind, message in cases:
        translated = to_fetch_error(exc, url=url, settings=fast)
        assert (type(translated), str(translated)) == (kind, message)


def test_untrusted_certificate_is_a_fetch_error(fast):
    with LocalServer(tls=True) as server:  # self-signed, and not for 127.0.0.1
        url = server.route("/story", body="<p>story</p>")
        with pytest.raises(FetchError) as info:
            fetch_url(url, fast)
        assert str(info.value).startswith(
            "the secure connection to 127.0.0.1 failed: its certificate could not be verified"
        )
        assert server.requests == []


def test_stacked_content_encodings_are_refused_before_decompressing(settings):
    """Two gzip layers multiply the expansion ratio past what the size cap can bound."""
    import gzip

    from comparer.errors import UnsupportedContentError
    from comparer.fetch import fetch_url
    from tests.localserver import LocalServer

    bomb = gzip.compress(gzip.compress(b"<p>" + b"a" * 2_000_000 + b"</p>"))
    allowed = settings.with_overrides({"fetch.allow_private_hosts": True, "fetch.retries": 0})
    with LocalServer() as srv:
        url = srv.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip, gzip"})
        with pytest.raises(UnsupportedContentError, match="one layer"):
            fetch_url(url, allowed)


def test_slow_headers_cannot_outlast_the_total_timeout(settings):
    """A slowloris server: each header byte arrives well within fetch.read_timeout, so only
    the total deadline can stop it; it must hold from connect to the last byte."""
    import time

    strict = settings.with_overrides(
        {
            "fetch.allow_private_hosts": True,
            "fetch.connect_timeout": 1.0,
            "fetch.read_timeout": 1.0,
            "fetch.total_timeout": 1.5,
            "fetch.retries": 1,
            "fetch.backoff": 0.01,
        }
    )
    with LocalServer() as srv:
        # ~200 header bytes at 0.1 s each: 20 s if nothing stops it
        url = srv.route("/slowloris", body="<p>late</p>", drip_headers=0.1, pad_headers=120)
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError) as info:
            fetch_url(url, strict)
        elapsed = time.monotonic() - started
    assert elapsed < 1.5 + 1.0, f"the fetch ran {elapsed:.1f} s past a 1.5 s total_timeout"
    assert str(info.value) == (f"gave up on {url} after 1.5 s in total (fetch.total_timeout)")


def test_a_codec_name_in_the_content_type_header_costs_a_warning_not_the_run(settings):
    from comparer.pipeline import read_sources
    from comparer.sources import source_from_spec

    allowed = settings.with_overrides({"fetch.allow_private_hosts": True, "fetch.retries": 0})
    page = seed_page()
    with LocalServer() as srv:
        urls = [
            srv.route(f"/{label}", body=page, content_type=f"text/html; charset={label}")
            for label in ("base64", "rot13", "undefined", "zlib")
        ]
        good = srv.route("/good", body=page)
        articles = read_sources(
            [source_from_spec(u, f"s{i}") for i, u in enumerate(urls + [good])], allowed
        )
    assert [a.status for a in articles] == ["ok"] * 5
    for article in articles[:4]:
        assert article.text == articles[4].text
        assert any("not a text encoding" in w for w in article.warnings)
        assert "read as UTF-8 (declared in a <meta> tag)" in article.warnings
    assert not any("charset" in w for w in articles[4].warnings)
