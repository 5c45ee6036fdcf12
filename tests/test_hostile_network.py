"""A table of hostile network and byte-level inputs, each with the outcome it must have.

Outcomes:

- ``refused``: a policy says no (the SSRF guard, bytes that are not text), with a
  message naming the URL or file; nothing is connected to that should not be.
- ``clear error``: the source fails with a message a journalist can act on (a
  ``FetchError`` subclass or an ``ExtractionError``), never a traceback or a hang.
- ``handled with warning``: the source is read, and its warnings say what was odd
  (which charset was used and why).
- ``handled``: the source is read as it should be; nothing to warn about.

Every row runs the real code on real bytes: pages come from a local server on
127.0.0.1 (hostile handlers in ``tests/localserver.py``), addresses that "are" public
are routed to that server by a test connector, and DNS answers come from a table.
Rows are grouped by kind; each kind has its own test function. Other kinds of hostile
input (settings, long sentences, the store, the dashboard) are in
``tests/test_hostile_inputs.py``.
"""

from __future__ import annotations

import codecs
import gzip
import random
import socket
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from comparer.errors import BlockedAddressError
from comparer.fetch import fetch_url, make_client
from comparer.netguard import Guard, check_url
from comparer.pipeline import read_sources
from comparer.settings import load_settings
from comparer.sources import source_from_spec
from tests.localserver import LocalServer, Reply
from tests.test_ssrf import PUBLIC_V4, PUBLIC_V6, fake_dns, route_to

REFUSED, ERROR, WARNED, HANDLED = "refused", "clear error", "handled with warning", "handled"


@dataclass(frozen=True)
class Row:
    name: str
    given: Any  # what the kind's test needs: reply fields, bytes, a URL ...
    outcome: str
    expect: str = ""  # text the error or a warning must contain
    extra: dict = field(default_factory=dict)


def _ids(rows: list[Row]) -> list[str]:
    return [row.name for row in rows]


ARTICLE = (
    "<p>Officials said two rockets hit the base near the caf\u00e9 on Monday night, "
    "and the minister called the response \u201cproportionate\u201d.</p>"
    "<p>Mu\u00f1oz, a spokesman, said 17 fighters were killed near Al Bukamal.</p>"
)


def page(meta: str = "") -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return (
        f"<html><head>{head}<title>Strike</title></head><body><article>{ARTICLE}"
        "</article></body></html>"
    )


# --- 1. codec labels: a name that is not a text encoding, wherever it is declared ---------
# given: (where, label); the page is sent as windows-1252 so that only detection reads
# it right, or as UTF-8 for rows whose point is the label alone.
CODEC_LABELS = [
    Row("header base64", ("header", "base64"), WARNED, "'base64'"),
    Row("header hex", ("header", "hex"), WARNED, "'hex'"),
    Row("header rot13", ("header", "rot13"), WARNED, "'rot13'"),
    Row("header zlib", ("header", "zlib"), WARNED, "'zlib'"),
    Row("header bz2", ("header", "bz2"), WARNED, "'bz2'"),
    Row("header undefined", ("header", "undefined"), WARNED, "'undefined'"),
    Row("header utf-7 (script injection)", ("header", "utf-7"), WARNED, "UTF-7"),
    Row("header unicode_escape", ("header", "unicode_escape"), WARNED, "'unicode_escape'"),
    Row("header quoted base64", ("header", '"base64"'), WARNED, "'base64'"),
    Row("meta uu", ("meta", "uu"), WARNED, "'uu'"),
    Row("meta quopri", ("meta", "quopri"), WARNED, "'quopri'"),
    Row("meta punycode", ("meta", "punycode"), WARNED, "'punycode'"),
    Row("meta idna", ("meta", "idna"), WARNED, "'idna'"),
    Row("meta raw_unicode_escape", ("meta", "raw_unicode_escape"), WARNED, "'raw_unicode_escape'"),
    Row("meta x-user-defined", ("meta", "x-user-defined"), WARNED, "'x-user-defined'"),
    Row("meta hz (refused by WHATWG)", ("meta", "hz"), WARNED, "'hz'"),
    Row("meta EBCDIC cp037", ("meta", "cp037"), WARNED, "'cp037'"),
    Row("xml declaration base64", ("xml", "base64"), WARNED, "'base64'"),
    Row("xml declaration rot13", ("xml", "rot13"), WARNED, "'rot13'"),
    Row("local .html meta base64", ("file", "base64"), WARNED, "'base64'"),
    Row("local .html meta undefined", ("file", "undefined"), WARNED, "'undefined'"),
    Row("local .html meta zlib", ("file", "zlib"), WARNED, "'zlib'"),
    Row(
        "header utf-16 on UTF-8 bytes",
        ("header-utf8", "utf-16"),
        WARNED,
        "the bytes are not UTF-16",
    ),
    Row(
        "header utf-8 on windows-1252 bytes (not cp1250)",
        ("header", "utf-8"),
        WARNED,
        "not valid UTF-8",
    ),
    Row("meta utf-8 on windows-1252 bytes", ("meta", "utf-8"), WARNED, "not valid UTF-8"),
    Row(
        "header latin1 on UTF-8 bytes", ("header-utf8", "latin1"), WARNED, "not valid windows-1252"
    ),
    Row("header koi8-r on UTF-8 bytes", ("header-utf8", "koi8-r"), WARNED, "the bytes are UTF-8"),
]


@pytest.mark.parametrize("row", CODEC_LABELS, ids=_ids(CODEC_LABELS))
def test_codec_labels(row, settings, tmp_path):
    where, label = row.given
    allowed = settings.with_overrides({"fetch.allow_private_hosts": True, "fetch.retries": 0})
    bare = label.strip('"')
    codec = "utf-8" if where == "header-utf8" else "cp1252"
    if where == "file":
        path = tmp_path / "story.html"
        path.write_bytes(page(meta=bare).encode(codec))
        (article,) = read_sources([source_from_spec(str(path), "s1")], allowed)
    else:
        if where == "xml":
            body = f"<?xml version='1.0' encoding='{bare}'?>" + page()
            content_type = "application/xhtml+xml"
        else:
            body = page(meta=bare if where == "meta" else "")
            content_type = "text/html" if where == "meta" else f"text/html; charset={label}"
        with LocalServer() as srv:
            url = srv.route("/story", body=body.encode(codec), content_type=content_type)
            (article,) = read_sources([source_from_spec(url, "s1")], allowed)
    assert row.outcome == WARNED
    assert article.status == "ok", article.error
    assert "caf\u00e9" in article.text and "Mu\u00f1oz" in article.text
    assert "\u201cproportionate\u201d" in article.text and "\ufffd" not in article.text
    assert any(row.expect in w for w in article.warnings), article.warnings
    used = "UTF-8" if codec == "utf-8" else "windows-1252"
    assert any(f"read as {used}" in w for w in article.warnings), article.warnings


# --- 2. encodings and binary files given as articles ------------------------------------
STORY = (
    "Outlet: Test Wire\n\nOfficials said two rockets hit the base near the caf\u00e9 "
    "on Monday night, and the minister called the response \u201cproportionate\u201d.\n\n"
    "Mu\u00f1oz, a spokesman, said 17 fighters were killed near Al Bukamal.\n"
)
PLAIN = STORY.replace("\u201c", '"').replace("\u201d", '"')
_rng = random.Random(16)

FILES = [
    Row("random bytes .txt", ("r.txt", _rng.randbytes(20_000)), REFUSED, "binary data"),
    Row("random bytes .html", ("r.html", _rng.randbytes(8_000)), REFUSED, "binary data"),
    Row("short random bytes .txt", ("s.txt", _rng.randbytes(300)), REFUSED, "binary data"),
    Row(
        "PDF renamed .txt",
        ("a.txt", b"%PDF-1.5\n" + _rng.randbytes(4000)),
        REFUSED,
        "a PDF document",
    ),
    Row(
        "Word .docx renamed .txt",
        ("a.txt", b"PK\x03\x04\x14\x00" + _rng.randbytes(4000)),
        REFUSED,
        "a ZIP archive",
    ),
    Row(
        "PNG renamed .html",
        ("a.html", b"\x89PNG\r\n\x1a\n" + _rng.randbytes(4000)),
        REFUSED,
        "a PNG image",
    ),
    Row(
        "gzip renamed .txt",
        ("a.txt", gzip.compress(STORY.encode() * 20)),
        REFUSED,
        "a gzip archive",
    ),
    Row(
        "program renamed .txt",
        ("a.txt", b"\x7fELF\x02\x01\x01" + _rng.randbytes(4000)),
        REFUSED,
        "a program",
    ),
    Row(
        "SQLite database renamed .txt",
        ("a.txt", b"SQLite format 3\x00" + bytes(4000)),
        REFUSED,
        "an SQLite database",
    ),
    Row(
        "old Word .doc renamed .txt",
        ("a.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _rng.randbytes(4000)),
        REFUSED,
        "Microsoft Office",
    ),
    Row("RTF renamed .txt", ("a.txt", b"{\\rtf1\\ansi " + PLAIN.encode()), REFUSED, "RTF"),
    Row("all NUL bytes .txt", ("a.txt", bytes(4096)), REFUSED, "binary data"),
    Row("empty .txt", ("a.txt", b""), ERROR, "empty"),
    Row(
        "UTF-16LE with BOM .txt",
        ("a.txt", codecs.BOM_UTF16_LE + STORY.encode("utf-16-le")),
        HANDLED,
    ),
    Row(
        "UTF-16BE with BOM .txt",
        ("a.txt", codecs.BOM_UTF16_BE + STORY.encode("utf-16-be")),
        HANDLED,
    ),
    Row(
        "UTF-16LE without BOM .txt",
        ("a.txt", STORY.encode("utf-16-le")),
        WARNED,
        "read as UTF-16LE (detected",
    ),
    Row(
        "UTF-16BE without BOM .txt",
        ("a.txt", STORY.encode("utf-16-be")),
        WARNED,
        "read as UTF-16BE (detected",
    ),
    Row(
        "UTF-16LE without BOM .html",
        ("a.html", page().encode("utf-16-le")),
        WARNED,
        "read as UTF-16LE (detected",
    ),
    Row(
        "UTF-32LE with BOM .txt",
        ("a.txt", codecs.BOM_UTF32_LE + STORY.encode("utf-32-le")),
        HANDLED,
    ),
    Row("UTF-8 with BOM .txt", ("a.txt", codecs.BOM_UTF8 + STORY.encode()), HANDLED),
    Row(
        "Latin-1 .txt", ("a.txt", PLAIN.encode("latin-1")), WARNED, "read as windows-1252 (detected"
    ),
    Row(
        "windows-1252 .txt (curly quotes)",
        ("a.txt", STORY.encode("cp1252")),
        WARNED,
        "read as windows-1252 (detected",
    ),
    Row(
        "windows-1252 .html without a charset",
        ("a.html", page().encode("cp1252")),
        WARNED,
        "read as windows-1252 (detected",
    ),
    Row(
        "UTF-8 with one stray byte .txt",
        ("a.txt", STORY.encode()[:60] + b"\xff" + STORY.encode()[60:]),
        WARNED,
        "replaced",
    ),
    Row(
        "mac-roman declared in .html",
        ("a.html", page(meta="macintosh").encode("mac-roman")),
        HANDLED,
    ),
]


@pytest.mark.parametrize("row", FILES, ids=_ids(FILES))
def test_files(row, settings, tmp_path):
    name, raw = row.given
    hostile, good = tmp_path / name, tmp_path / "good.txt"
    hostile.write_bytes(raw)
    good.write_text(STORY, encoding="utf-8")
    article, other = read_sources(
        [source_from_spec(str(hostile), "s1"), source_from_spec(str(good), "s2")], settings
    )
    assert other.status == "ok"  # one bad file never sinks the others
    if row.outcome in (REFUSED, ERROR):
        assert article.status == "error" and row.expect in article.error, article.error
        assert article.sentences == ()
        if row.outcome == REFUSED:
            assert article.error_type == "SourceError" and str(hostile) in article.error
        return
    assert article.status == "ok", article.error
    assert "caf\u00e9" in article.text and "Mu\u00f1oz" in article.text
    assert "\ufffd" not in article.text or row.expect == "replaced"
    notes = [w for w in article.warnings if "read as" in w or "replaced" in w]
    if row.outcome == WARNED:
        assert any(row.expect in w for w in notes), article.warnings
    else:
        assert notes == []


# --- 3. slow and odd servers -------------------------------------------------------------
SERVERS = [
    Row(
        "headers dripped a byte at a time (slowloris)",
        Reply(body=page(), drip_headers=0.02, pad_headers=400),
        ERROR,
        "in total (fetch.total_timeout)",
        {"type": "FetchTimeoutError"},
    ),
    Row(
        "headers dripped just under the read timeout",
        Reply(body=page(), drip_headers=0.5, pad_headers=20),
        ERROR,
        "in total (fetch.total_timeout)",
        {"type": "FetchTimeoutError"},
    ),
    Row(
        "body dripped in small chunks",
        Reply(body=page() * 40, framing="chunked", chunk_size=64, chunk_delay=0.1),
        ERROR,
        "still downloading after",
        {"type": "FetchTimeoutError"},
    ),
    Row(
        "server silent after connecting",
        Reply(body=page(), delay=3.0),
        ERROR,
        "timed out after 0.6 s reading",
        {"type": "FetchTimeoutError"},
    ),
    Row(
        "body shorter than its Content-Length",
        Reply(body=page(), declared_length=50_000),
        ERROR,
        "timed out after 0.6 s reading",
        {"type": "FetchTimeoutError"},
    ),
    Row(
        "not HTTP at all",
        Reply(raw=b"SSH-2.0-OpenSSH_9.6\r\n"),
        ERROR,
        "broke off or garbled its answer",
    ),
    Row("hangs up without answering", Reply(raw=b""), ERROR, "broke off or garbled"),
    Row("truncated status line", Reply(raw=b"HTTP/1.1 200"), ERROR, "broke off or garbled"),
    Row(
        "binary junk after a status line",
        Reply(raw=b"HTTP/1.1 200 OK\r\n\x00\xff\xfe\r\n\r\n"),
        ERROR,
        "broke off or garbled",
    ),
    Row(
        "header block of 2 MB",
        Reply(body=page(), pad_headers=2_000_000),
        ERROR,
        "broke off or garbled",
    ),
    Row(
        "Content-Length over the cap",
        Reply(body=b"<p>" + b"x" * 60_000),
        ERROR,
        "fetch.max_bytes",
        {"type": "TooLargeError"},
    ),
    Row(
        "no length, body over the cap",
        Reply(body=b"<p>" + b"x" * 60_000, framing="close"),
        ERROR,
        "fetch.max_bytes",
        {"type": "TooLargeError"},
    ),
    Row(
        "gzip bomb",
        Reply(body=gzip.compress(b"<p>" + b"a" * 5_000_000), headers={"Content-Encoding": "gzip"}),
        ERROR,
        "fetch.max_bytes",
    ),
    Row(
        "says gzip, sends plain",
        Reply(body=page(), headers={"Content-Encoding": "gzip"}),
        ERROR,
        "corrupt compressed page",
    ),
    Row(
        "brotli (unbounded ratio)",
        Reply(body=page(), headers={"Content-Encoding": "br"}),
        ERROR,
        "content encoding 'br'",
        {"type": "UnsupportedContentError"},
    ),
    Row(
        "octet-stream",
        Reply(body=page(), content_type="application/octet-stream"),
        ERROR,
        "not a web page",
        {"type": "UnsupportedContentError"},
    ),
    Row(
        "binary body labelled text/html",
        Reply(body=_rng.randbytes(6000), content_type="text/html"),
        REFUSED,
        "cannot be read as an article: it looks like binary data",
    ),
    Row(
        "PDF labelled text/html",
        Reply(body=b"%PDF-1.7\n" + _rng.randbytes(3000), content_type="text/html"),
        REFUSED,
        "a PDF document",
    ),
    Row(
        "unlabelled binary body",
        Reply(body=_rng.randbytes(6000), content_type=None),
        REFUSED,
        "does not look like a web page or text",
    ),
    Row(
        "unlabelled UTF-16 page with BOM",
        Reply(body=codecs.BOM_UTF16_LE + page().encode("utf-16-le"), content_type=None),
        HANDLED,
    ),
    Row(
        "UTF-16 page without BOM, no charset",
        Reply(body=page().encode("utf-16-le"), content_type="text/html"),
        WARNED,
        "read as UTF-16LE (detected",
    ),
    Row(
        "always 503",
        Reply(status=503, body="busy"),
        ERROR,
        "answered 503",
        {"type": "HTTPStatusError"},
    ),
    Row("429 too many requests", Reply(status=429, body="slow down"), ERROR, "limiting how often"),
    Row("302 without a Location", Reply(status=302, body=page()), ERROR, "answered 302"),
    Row("redirect loop", "loop", ERROR, "more than 3 redirects", {"type": "TooManyRedirectsError"}),
    Row("empty 200", Reply(body=b""), ERROR, "empty", {"type": "ExtractionError"}),
]


@pytest.mark.parametrize("row", SERVERS, ids=_ids(SERVERS))
def test_slow_and_odd_servers(row, settings):
    import time

    tight = settings.with_overrides(
        {
            "fetch.allow_private_hosts": True,
            "fetch.connect_timeout": 1.0,
            "fetch.read_timeout": 0.6,
            "fetch.total_timeout": 1.2,
            "fetch.retries": 0,
            "fetch.max_bytes": 50_000,
            "fetch.max_redirects": 3,
        }
    )
    with LocalServer() as srv:
        if row.given == "loop":
            srv.redirect("/story", "/other")
            srv.redirect("/other", "/story")
            url = srv.url("/story")
        else:
            url = srv.route("/story", replies=[row.given])
        started = time.monotonic()
        article, other = read_sources(
            [source_from_spec(url, "s1"), source_from_spec(srv.route("/ok", body=page()), "s2")],
            tight,
        )
        elapsed = time.monotonic() - started
    assert elapsed < 1.2 + 2.0, f"{row.name}: {elapsed:.1f} s, past fetch.total_timeout"
    assert other.status == "ok"
    if row.outcome in (REFUSED, ERROR):
        assert article.status == "error" and row.expect in article.error, article.error
        if "type" in row.extra:
            assert article.error_type == row.extra["type"]
        return
    assert article.status == "ok", article.error
    assert "caf\u00e9" in article.text
    if row.outcome == WARNED:
        assert any(row.expect in w for w in article.warnings), article.warnings


# --- 4. SSRF: address spellings and special-purpose ranges -------------------------------
ADDRESSES = [
    Row(
        "192.0.0.192 (ipaddress calls it global)", "http://192.0.0.192/", REFUSED, "special-purpose"
    ),
    Row("192.0.0.192 as one decimal number", "http://3221225664/", REFUSED, "special-purpose"),
    Row("192.0.0.192 in hex", "http://0xc00000c0/", REFUSED, "special-purpose"),
    Row(
        "192.0.0.192 in octal (httpx refuses the URL)", "http://0300.0.0.0300/", REFUSED, "refused"
    ),
    Row("192.0.0.192 as a.b.c", "http://192.0.192/", REFUSED, "special-purpose"),
    Row("192.0.0.192 with a trailing dot", "http://192.0.0.192./", REFUSED, "special-purpose"),
    Row("192.0.0.192 IPv4-mapped", "http://[::ffff:192.0.0.192]/", REFUSED, "special-purpose"),
    Row("192.0.0.192 IPv4-mapped hex", "http://[::ffff:c000:c0]/", REFUSED, "special-purpose"),
    Row("192.0.0.192 IPv4-compatible", "http://[::c000:c0]/", REFUSED, "special-purpose"),
    Row("192.0.0.192 in 6to4", "http://[2002:c000:c0::1]/", REFUSED, "special-purpose"),
    Row("192.0.0.192 in NAT64", "http://[64:ff9b::192.0.0.192]/", REFUSED, "special-purpose"),
    Row("192.0.0.8 dummy address", "http://192.0.0.8/", REFUSED, "special-purpose"),
    Row("192.0.0.9 PCP anycast", "http://192.0.0.9/", REFUSED, "special-purpose"),
    Row("192.0.0.170 NAT64 discovery", "http://192.0.0.170/", REFUSED, "refused"),
    Row("192.31.196.1 AS112", "http://192.31.196.1/", REFUSED, "AS112"),
    Row("192.52.193.1 AMT", "http://192.52.193.1/", REFUSED, "AMT"),
    Row("192.88.99.1 6to4 relay", "http://192.88.99.1/", REFUSED, "6to4 relay"),
    Row("192.175.48.1 AS112", "http://192.175.48.1/", REFUSED, "AS112"),
    Row("198.18.0.1 benchmarking", "http://198.18.0.1/", REFUSED, "refused"),
    Row("100.64.0.1 carrier-grade NAT", "http://100.64.0.1/", REFUSED, "refused"),
    Row("169.254.169.254 cloud metadata", "http://169.254.169.254/latest/", REFUSED, "link-local"),
    Row("[3fff::1] documentation (2024)", "http://[3fff::1]/", REFUSED, "special-purpose"),
    Row("[2620:4f:8000::1] AS112", "http://[2620:4f:8000::1]/", REFUSED, "special-purpose"),
    Row("[64:ff9b:1::808:808] local NAT64", "http://[64:ff9b:1::808:808]/", REFUSED, "local-use"),
    Row("[5f00::1] SRv6", "http://[5f00::1]/", REFUSED, "refused"),
    Row("[100:0:0:1::1] dummy prefix", "http://[100:0:0:1::1]/", REFUSED, "refused"),
    Row("[2001:db8::1] documentation", "http://[2001:db8::1]/", REFUSED, "refused"),
    Row("[fe80::1%25eth0] link-local with zone", "http://[fe80::1%25eth0]/", REFUSED, "refused"),
    Row(
        "name resolving to 192.0.0.192",
        "http://special.example/",
        REFUSED,
        "special.example resolves to 192.0.0.192",
    ),
    Row(
        "name with one special answer among public ones",
        "http://mixed.example/",
        REFUSED,
        "mixed.example resolves to 192.88.99.1",
    ),
    Row("public IPv4 passes", f"http://{PUBLIC_V4}/", HANDLED),
    Row("public IPv6 passes", f"http://[{PUBLIC_V6}]/", HANDLED),
    Row("public IPv4 in NAT64 passes", f"http://[64:ff9b::{PUBLIC_V4}]/", HANDLED),
]
DNS = {"special.example": ["192.0.0.192"], "mixed.example": [PUBLIC_V4, "192.88.99.1"]}


@pytest.mark.parametrize("row", ADDRESSES, ids=_ids(ADDRESSES))
def test_ssrf_addresses(row, local_server):
    local_server.route("/", body=page())
    local_server.route("/latest/", body=page())
    attempts: list = []
    settings = load_settings()
    guard = Guard(resolve=fake_dns(DNS), connect=route_to(local_server, attempts))
    with make_client(settings, guard=guard) as client:
        if row.outcome == REFUSED:
            with pytest.raises(BlockedAddressError, match=row.expect.replace(".", r"\.")):
                check_url(row.given, allow_private=False, resolve=fake_dns(DNS))
            with pytest.raises(BlockedAddressError, match="refused"):
                fetch_url(row.given, settings, client=client)
            assert attempts == [] and local_server.connections == 0
        else:
            snap = fetch_url(row.given, settings, client=client)
            assert snap.body == page().encode() and len(attempts) == 1


# --- 5. redirects into private and special-purpose ranges --------------------------------
REDIRECTS = [
    Row("to 192.0.0.192", "http://192.0.0.192/secret", REFUSED, "special-purpose"),
    Row(
        "to IPv4-mapped 192.0.0.192",
        "http://[::ffff:192.0.0.192]/secret",
        REFUSED,
        "special-purpose",
    ),
    Row("to 192.88.99.1", "http://192.88.99.1/secret", REFUSED, "6to4 relay"),
    Row("to [3fff::1]", "http://[3fff::1]/secret", REFUSED, "special-purpose"),
    Row("to cloud metadata", "http://169.254.169.254/latest/meta-data/", REFUSED, "link-local"),
    Row("to 10.0.0.1", "http://10.0.0.1/secret", REFUSED, "private"),
    Row("to localhost", "http://localhost/secret", REFUSED, "localhost"),
    Row("to [::1]", "http://[::1]/secret", REFUSED, "loopback"),
    Row("to 0x7f000001", "http://0x7f000001/secret", REFUSED, "loopback"),
    Row(
        "to a name resolving to 192.0.0.192",
        "http://special.example/secret",
        REFUSED,
        "special.example resolves to 192.0.0.192",
    ),
    Row(
        "after two public hops, to 192.0.0.192",
        "http://192.0.0.192/secret",
        REFUSED,
        "special-purpose",
        {"hops": 2},
    ),
    Row("to file:///etc/passwd", "file:///etc/passwd", REFUSED, "only http:// and https://"),
]


@pytest.mark.parametrize("row", REDIRECTS, ids=_ids(REDIRECTS))
def test_redirects_into_private_ranges(row, local_server):
    hops = row.extra.get("hops", 1)
    if hops == 2:
        local_server.redirect("/start", "http://www.news.example/mid")
        local_server.redirect("/mid", row.given)
    else:
        local_server.redirect("/start", row.given)
    local_server.route("/secret", body="<p>internal</p>")
    dns = DNS | {"news.example": [PUBLIC_V4], "www.news.example": [PUBLIC_V6]}
    connected: list = []
    guard = Guard(resolve=fake_dns(dns), connect=route_to(local_server, connected))
    settings = load_settings()
    with (
        make_client(settings, guard=guard) as client,
        pytest.raises(BlockedAddressError, match=row.expect.replace(".", r"\.")),
    ):
        fetch_url("http://news.example/start", settings, client=client)
    assert [r.path for r in local_server.requests] == ["/start", "/mid"][:hops]
    assert connected == [(PUBLIC_V4, 80), (PUBLIC_V6, 80)][:hops]


# --- 6. stored snapshots: what the store serves passes the guard and the charset rules ---
def _snapshot(
    url: str,
    body: bytes,
    *,
    final_url: str | None = None,
    encoding: str | None = "utf-8",
    content_type: str = "text/html",
):
    from tests.store_helpers import make_snapshot

    snap = make_snapshot(url, body, final_url=final_url)
    return replace(snap, encoding=encoding, content_type=content_type)


STORED = [
    Row(
        "fetched from 127.0.0.1 while private hosts were allowed",
        _snapshot("http://127.0.0.1:8501/story", page().encode()),
        REFUSED,
        "loopback",
    ),
    Row(
        "public URL that redirected into 10.0.0.5",
        _snapshot(f"http://{PUBLIC_V4}/story", page().encode(), final_url="http://10.0.0.5/story"),
        REFUSED,
        "private",
    ),
    Row(
        "public URL that redirected into 192.0.0.192",
        _snapshot(
            f"http://{PUBLIC_V4}/story", page().encode(), final_url="http://192.0.0.192/story"
        ),
        REFUSED,
        "special-purpose",
    ),
    Row(
        "localhost by name",
        _snapshot("http://localhost/story", page().encode()),
        REFUSED,
        "localhost",
    ),
    Row(
        "name that now resolves to 192.0.0.192",
        _snapshot("https://special.example/story", page().encode()),
        REFUSED,
        "special.example resolves to 192.0.0.192",
    ),
    Row(
        "name that no longer resolves",
        _snapshot("https://gone.example/story", page().encode()),
        ERROR,
        "could not find the server gone.example",
        {"type": "FetchError"},
    ),
    Row(
        "public page: served from the store",
        _snapshot(f"http://{PUBLIC_V4}/story", page().encode()),
        HANDLED,
    ),
    Row(
        "stored with a codec name that is no text encoding",
        _snapshot(f"http://{PUBLIC_V4}/b64", page().encode("cp1252"), encoding="base64"),
        WARNED,
        "read as windows-1252 (detected",
    ),
    Row(
        "stored with charset=rot13 in its Content-Type",
        _snapshot(
            f"http://{PUBLIC_V4}/rot",
            page().encode(),
            encoding=None,
            content_type="text/html; charset=rot13",
        ),
        WARNED,
        "'rot13'",
    ),
    Row(
        "stored body that is binary",
        _snapshot(f"http://{PUBLIC_V4}/bin", _rng.randbytes(5000), encoding=None),
        REFUSED,
        "binary data",
        {"type": "UnsupportedContentError"},
    ),
    Row(
        "private snapshot read with private hosts allowed",
        _snapshot("http://127.0.0.1:8501/story", page().encode()),
        HANDLED,
        "",
        {"allow_private": True},
    ),
]


@pytest.mark.parametrize("row", STORED, ids=_ids(STORED))
def test_stored_snapshots(row, settings, monkeypatch):
    from comparer.store import Store

    # DNS from the table; a fetch would go through the real guard, which must never be
    # reached: every row is decided from the store
    monkeypatch.setattr(socket, "getaddrinfo", fake_dns(DNS))
    settings = settings.with_overrides(
        {"fetch.allow_private_hosts": row.extra.get("allow_private", False)}
    )
    with Store.open(settings) as store:
        store.save_snapshot(row.given)
        (article,) = read_sources(
            [source_from_spec(row.given.requested_url, "s1")], settings, store=store
        )
    if row.outcome in (REFUSED, ERROR):
        assert article.status == "error" and row.expect in article.error, article.error
        assert article.from_store is False and article.text == ""
        expected_type = row.extra.get("type", "BlockedAddressError")
        assert article.error_type == expected_type
        return
    assert (article.status, article.from_store) == ("ok", True), article.error
    assert "caf\u00e9" in article.text and "\ufffd" not in article.text
    if row.outcome == WARNED:
        assert any(row.expect in w for w in article.warnings), article.warnings


TABLE = {
    "codec labels": CODEC_LABELS,
    "encodings and binary files": FILES,
    "slow and odd servers": SERVERS,
    "SSRF address spellings and ranges": ADDRESSES,
    "redirects into private ranges": REDIRECTS,
    "stored snapshots": STORED,
}


def test_the_table_is_complete():
    rows = [row for kind in TABLE.values() for row in kind]
    assert len(rows) >= 60
    assert all(row.outcome in (REFUSED, ERROR, WARNED, HANDLED) for row in rows)
    for kind, group in TABLE.items():
        names = [row.name for row in group]
        assert len(names) == len(set(names)), f"duplicate row names in {kind}"
