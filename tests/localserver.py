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
        srv.requests              # list of Logged(method, path, headers) in arrival order
        srv.connections           # TCP connections accepted (0 proves nothing connected)
        srv.clear_log()

Or as a pytest fixture: ``from tests.localserver import local_server`` in a test module
(pytest then finds the fixture by that name).

``route(path, ...)`` options (also the fields of :class:`Reply`):

- ``status`` (200), ``body`` (str is encoded with ``encoding``, default UTF-8; bytes as is),
  ``content_type`` ("text/html; charset=utf-8"; ``None`` sends no Content-Type),
  ``headers`` (extra headers, dict).
- ``delay``: seconds to wait before sending anything (to trip a read timeout).
- ``framing``: ``"length"`` (Content-Length, the default), ``"chunked"`` (Transfer-Encoding:
  chunked, no length) or ``"close"`` (no length, the body ends when the connection closes).
- ``chunk_size`` / ``chunk_delay``: send the body in pieces with a pause between them.
- ``declared_length``: a Content-Length to announce instead of the real one.

A path that has no route answers 404. Query strings are ignored when matching routes but
kept in the log. The server speaks HTTP/1.1 with keep-alive; each connection gets a thread.
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator, Literal

import pytest

Framing = Literal["length", "chunked", "close"]


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

    def body_bytes(self) -> bytes:
        return self.body.encode(self.encoding) if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Logged:
    method: str
    path: str  # with the query string, as sent
    headers: dict[str, str]


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with registered routes and a request log."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
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
    def start(self) -> "LocalServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- routes --------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

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

    def _next_reply(self, method: str, path: str, headers: dict[str, str]) -> Reply:
        bare = path.split("?", 1)[0]
        with self._lock:
            self.requests.append(Logged(method, path, headers))
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

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up mid-answer (timeouts, size caps) are expected here


def _handler_for(owner: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            reply = owner._next_reply(self.command, self.path, dict(self.headers.items()))
            try:
                _send(self, reply)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                self.close_connection = True

        do_HEAD = do_POST = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    if reply.delay:
        time.sleep(reply.delay)
    body = reply.body_bytes()
    handler.send_response(reply.status)
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
    handler.end_headers()
    if handler.command == "HEAD":
        return
    size = reply.chunk_size or len(body) or 1
    pieces = [body[i:i + size] for i in range(0, len(body), size)]
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


@pytest.fixture()
def local_server() -> Iterator[LocalServer]:
    """A started LocalServer, stopped after the test."""
    with LocalServer() as srv:
        yield srv
