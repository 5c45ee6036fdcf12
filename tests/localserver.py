"""A tiny threaded HTTP server on 127.0.0.1 for tests and benchmarks: nothing leaves the machine.

Usage::

    from tests.localserver import LocalServer, Reply

    with LocalServer() as srv:                       # random free port on 127.0.0.1
        srv.route("/a", body="<html>...</html>")      # 200, text/html; charset=utf-8
        srv.route("/pdf", body=b"%PDF-1.4", content_type="application/pdf")
        srv.route("/slow", body="late", delay=2.0)    # waits 2 s before the headers
        srv.route("/drip", body=b"x" * 1000, framing="chunked", chunk_size=100,
                  chunk_delay=0.5)                    # headers at once, then a chunk per 0.5 s
        srv.redirect("/old", "/a")                    # 302 to /a (relative or absolute target)
        srv.route("/flaky", replies=[Reply(status=500), Reply(body="ok")])  # one per request,
                                                      # the last one repeats
        url = srv.url("/a")                           # "http://127.0.0.1:PORT/a"
        ...
        srv.hits("/flaky")        # requests that path received
        srv.requests              # list of Logged(method, path, headers, body), in arrival order
        srv.connections           # TCP connections accepted (0 proves nothing connected)
        srv.clear_log()

Or as the pytest fixture ``local_server`` (defined in ``tests/conftest.py``): a started
server, stopped after the test.

``route(path, ...)`` options (also the fields of :class:`Reply`):

- ``status`` (200), ``body`` (str is encoded with ``encoding``, default UTF-8; bytes as is),
  ``content_type`` ("text/html; charset=utf-8"; ``None`` sends no Content-Type),
  ``headers`` (extra headers, dict).
- ``delay``: seconds to wait before sending anything (to trip a read timeout).
- ``framing``: ``"length"`` (Content-Length, the default), ``"chunked"`` (Transfer-Encoding:
  chunked, no length) or ``"close"`` (no length, the body ends when the connection closes).
- ``chunk_size`` / ``chunk_delay``: send the body in pieces with a pause between them.
- ``declared_length``: a Content-Length to announce instead of the real one.

Hostile servers (for the reliability tests):

- ``drip_headers``: seconds between single bytes of the status line and headers, so that
  each read returns quickly (no read timeout) while the headers take forever;
  ``pad_headers`` adds an ``X-Padding`` header of that many bytes to make the drip longer.
- ``raw``: bytes sent instead of an HTTP answer (garbage, a truncated status line, or
  ``b""`` to hang up at once); the connection is then closed.

HTTPS: ``LocalServer(tls=True)`` serves TLS with a built-in self-signed certificate for
the name ``news.example`` (valid 2000-2100); ``srv.client_ssl_context()`` is a client
context that trusts it, and ``srv.sni_names`` logs the server name each client asked for.

A path that has no route answers 404. Query strings are ignored when matching routes but
kept in the log. The server speaks HTTP/1.1 with keep-alive; each connection gets a thread.
"""

from __future__ import annotations

import os
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Framing = Literal["length", "chunked", "close"]

TLS_HOST = "news.example"
# Self-signed EC certificate for news.example, 2000-01-01 to 2100-01-01 (test only).
TEST_CERT_PEM = """-----BEGIN CERTIFICATE-----
MIIBsjCCAVigAwIBAgIBATAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxuZXdzLmV4
YW1wbGUwIBcNMDAwMTAxMDAwMDAwWhgPMjEwMDAxMDEwMDAwMDBaMBcxFTATBgNV
BAMMDG5ld3MuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABJ/eBI6q
yOj78rU+rYD/m9OrJkY/eTiy3mTUYIGyoAXEUOEoh+zxYH4xx/VrDv8w1xkHO2QH
2PENAn8f/IVHKPqjgZIwgY8wFwYDVR0RBBAwDoIMbmV3cy5leGFtcGxlMA8GA1Ud
EwEB/wQFMAMBAf8wHQYDVR0OBBYEFL59igJVdKc0lv5w86/4Ov8Wn6JxMB8GA1Ud
IwQYMBaAFL59igJVdKc0lv5w86/4Ov8Wn6JxMA4GA1UdDwEB/wQEAwIChDATBgNV
HSUEDDAKBggrBgEFBQcDATAKBggqhkjOPQQDAgNIADBFAiEA36aAt3/SlqY+7kpg
81hFy5PtaKpO95cquzdd2/B7wmACIFPqUA7q+HJ6UWoetUfPTMRTfj50lnLlPsSn
7TMLVH5A
-----END CERTIFICATE-----
"""
TEST_KEY_PEM = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgELBf2c/tC+coc1g8
Z+fLgVw2KTZweNk1bJUSEF8uDGyhRANCAASf3gSOqsjo+/K1Pq2A/5vTqyZGP3k4
st5k1GCBsqAFxFDhKIfs8WB+Mcf1aw7/MNcZBztkB9jxDQJ/H/yFRyj6
-----END PRIVATE KEY-----
"""


def _server_tls_context(names: list[str]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # load_cert_chain only reads files: write the pair to a private temp file briefly
    fd, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(TEST_CERT_PEM + TEST_KEY_PEM)
        context.load_cert_chain(path)
    finally:
        os.unlink(path)
    context.sni_callback = lambda sslobj, name, ctx: names.append(name)  # type: ignore[misc]
    return context


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    framing: Framing = "length"
    chunk_size: int | None = None
    chunk_delay: float = 0.0
    declared_length: int | None = None
    encoding: str = "utf-8"
    drip_headers: float = 0.0
    pad_headers: int = 0
    raw: bytes | None = None

    def body_bytes(self) -> bytes:
        return self.body.encode(self.encoding) if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Logged:
    method: str
    path: str  # with the query string, as sent
    headers: dict[str, str]
    body: bytes = b""


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with registered routes and a request log."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, tls: bool = False) -> None:
        self.sni_names: list[str | None] = []
        self.tls = _server_tls_context(self.sni_names) if tls else None
        self._routes: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.requests: list[Logged] = []
        self.connections = 0
        self._httpd = _Server((host, port), _handler_for(self))
        self._httpd.owner = self
        self.host, self.port = self._httpd.server_address[:2]
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> LocalServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- routes --------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @staticmethod
    def client_ssl_context() -> ssl.SSLContext:
        """A client context that trusts the built-in test certificate (and nothing else)."""
        return ssl.create_default_context(cadata=TEST_CERT_PEM)

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, *, replies: list[Reply] | None = None, **reply: Any) -> str:
        """Register what ``path`` answers (one Reply, or a sequence); returns its URL."""
        if replies is not None and reply:
            raise TypeError("give either replies=[...] or the fields of one Reply")
        with self._lock:
            self._routes[path] = list(replies) if replies is not None else [Reply(**reply)]
            self._served[path] = 0
        return self.url(path)

    def redirect(self, path: str, to: str, *, status: int = 302) -> str:
        return self.route(path, status=status, headers={"Location": to}, content_type=None)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path.split("?", 1)[0] == path)

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.connections = 0

    def _next_reply(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        bare = path.split("?", 1)[0]
        with self._lock:
            self.requests.append(Logged(method, path, headers, body))
            replies = self._routes.get(bare)
            if not replies:
                return Reply(status=404, body="no such route", content_type="text/plain")
            i = min(self._served[bare], len(replies) - 1)
            self._served[bare] += 1
            return replies[i]

    def _count_connection(self) -> None:
        with self._lock:
            self.connections += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: LocalServer

    def process_request(self, request: Any, client_address: Any) -> None:
        self.owner._count_connection()
        super().process_request(request, client_address)

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.owner.tls is None:
            return super().finish_request(request, client_address)
        try:  # the TLS handshake runs in the connection's own thread
            wrapped = self.owner.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # the client refused our certificate: nothing to answer
        try:
            super().finish_request(wrapped, client_address)
        finally:
            wrapped.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up mid-answer (timeouts, size caps) are expected here


def _handler_for(owner: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers then body wait ~40 ms for a delayed ACK

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            reply = owner._next_reply(self.command, self.path, dict(self.headers.items()), body)
            try:
                _send(self, reply)
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        do_HEAD = do_POST = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    if reply.delay:
        time.sleep(reply.delay)
    if reply.raw is not None:
        handler.wfile.write(reply.raw)
        handler.wfile.flush()
        handler.close_connection = True
        return
    body = reply.body_bytes()
    handler.send_response(reply.status)
    if reply.pad_headers:
        handler.send_header("X-Padding", "p" * reply.pad_headers)
    if reply.content_type is not None:
        handler.send_header("Content-Type", reply.content_type)
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    if reply.framing == "length":
        length = len(body) if reply.declared_length is None else reply.declared_length
        handler.send_header("Content-Length", str(length))
    elif reply.framing == "chunked":
        handler.send_header("Transfer-Encoding", "chunked")
    else:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    if reply.drip_headers:
        _drip_headers(handler, reply.drip_headers)
    else:
        handler.end_headers()
    if handler.command == "HEAD":
        return
    size = reply.chunk_size or len(body) or 1
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    for n, piece in enumerate(pieces):
        if n and reply.chunk_delay:
            time.sleep(reply.chunk_delay)
        if reply.framing == "chunked":
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        else:
            handler.wfile.write(piece)
        handler.wfile.flush()
    if reply.framing == "chunked":
        handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()


def _drip_headers(handler: BaseHTTPRequestHandler, pause: float) -> None:
    """Send the buffered status line and headers one byte at a time (a slowloris server)."""
    head = b"".join(handler._headers_buffer) + b"\r\n"  # type: ignore[attr-defined]
    handler._headers_buffer = []  # type: ignore[attr-defined]
    for i in range(len(head)):
        handler.wfile.write(head[i : i + 1])
        handler.wfile.flush()
        time.sleep(pause)
