"""The SSRF guard: which addresses a fetch may reach, checked before any connection.

Crosscheck fetches URLs that users paste, and in the dashboard those users may be
anyone who can reach the page. Without a guard, "compare http://169.254.169.254/..."
would read a cloud metadata service, and "http://127.0.0.1:8501/" the server's own
admin pages. So, unless ``fetch.allow_private_hosts`` is on:

1. **Scheme.** Only ``http`` and ``https``; ``file:``, ``ftp:``, ``gopher:`` and the
   rest are refused.
2. **Parsing.** The URL is parsed by httpx, the same parser that will send the
   request, so that the guard and the fetcher cannot read one URL two ways (parser
   differentials are a classic way around SSRF filters).
3. **Host.** ``localhost`` and ``*.localhost`` are refused by name (RFC 6761). A host
   that *looks* numeric is read the way ``inet_aton`` and browsers read it, so
   ``2130706433``, ``0x7f000001``, ``017700000001`` and ``127.1`` are all 127.0.0.1;
   a numeric-looking host that is not a valid address is refused, never sent to DNS.
   Any other name is resolved, and *every* address it resolves to must pass.
4. **Address.** Refused: loopback, private (RFC 1918, ULA fc00::/7), link-local,
   site-local, multicast, reserved (240/4, ::/8 ...), unspecified (0.0.0.0, ::),
   broadcast, CGNAT 100.64/10, documentation and benchmark ranges - in short
   anything Python's ``ipaddress`` does not call global, plus multicast, which it
   does, plus every block of the IANA IPv4 and IPv6 special-purpose registries
   (:data:`SPECIAL_PURPOSE`), because ``ipaddress`` calls some of them global
   (``192.0.0.192`` in 192.0.0.0/24, AS112, AMT, 3fff::/20 ...; which ones depends on
   the Python patch release). IPv6 addresses that carry an IPv4 address (IPv4-mapped
   ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, 6to4 ``2002::/16``, NAT64
   ``64:ff9b::/96``) are judged by the IPv4 address inside as well; Teredo
   (``2001::/32``) is refused outright because its client address is obfuscated, and
   local-use NAT64 (``64:ff9b:1::/48``) because it translates into a local network.
5. **Time.** :func:`deadline_scope` bounds every socket operation of a fetch by one
   deadline (``fetch.total_timeout``), so that a server dribbling its headers or its
   TLS handshake a byte at a time cannot keep a fetch alive past it.

**DNS rebinding.** Checking a name and then letting the HTTP library resolve it
again leaves a window: a hostile DNS server can answer "public" to the check and
"127.0.0.1" to the connection. :class:`GuardedBackend` closes it: it is the
network backend of the httpx client built by ``fetch.make_client``, so the
address a socket connects to is always one this guard has just checked (the
addresses checked for a URL are pinned for a short time and reused, otherwise the
backend resolves and checks again itself). Because the URL itself is never
rewritten, the Host header and the TLS SNI/certificate check still use the real
host name. Residual risk: a caller who passes its own ``httpx.Client`` to
``fetch_url`` gets the per-hop checks but not the pinning; proxies are never used
(the client ignores proxy environment variables), since a proxy would resolve
names where this guard cannot see.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

# httpcore's socket wrapper (TLS upgrade, timeouts) is not re-exported; it is stable
# across httpcore 1.x, which httpx 0.28 requires.
from httpcore._backends.sync import SyncStream

from comparer.errors import BlockedAddressError, FetchError
from comparer.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list[Any]]  # socket.getaddrinfo(host, port) shape
Connector = Callable[..., socket.socket]  # socket.create_connection(address, timeout) shape

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

_TEREDO = ipaddress.ip_network("2001::/32")
# 64:ff9b:1::/48 is not here: local-use translation reaches a local network, refused
# outright as a special-purpose block.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"),)
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
# The IANA special-purpose address registries (iana-ipv4-special-registry, updated
# 2022-12; iana-ipv6-special-registry, updated 2025), every block refused whatever
# its "globally reachable" column says: the anycast services in them (PCP, TURN,
# AS112 DNS sinks, AMT relays, 6to4 relays) serve no web pages, and refusing the
# whole block closes what Python's ``ipaddress`` misses in some releases (3.11.7 calls
# 192.0.0.192, 192.88.99.1, 3fff::1 and 2620:4f:8000::1 global). Three IPv6 blocks
# carry an IPv4 address and are judged by it instead (``_embedded_ipv4``):
# ::ffff:0:0/96, 64:ff9b::/96 and 2002::/16. Multicast (224.0.0.0/4, ff00::/8) and
# site-local fec0::/10 are in no registry; ``ipaddress`` flags them.
SPECIAL_PURPOSE: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", '"this network"'),
    ("10.0.0.0/8", "private-use"),
    ("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private-use"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation (TEST-NET-1)"),
    ("192.31.196.0/24", "AS112-v4"),
    ("192.52.193.0/24", "AMT relays"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast"),
    ("192.168.0.0/16", "private-use"),
    ("192.175.48.0/24", "AS112 direct delegation"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation (TEST-NET-2)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3)"),
    ("240.0.0.0/4", "reserved"),
    ("255.255.255.255/32", "limited broadcast"),
    ("::1/128", "loopback"),
    ("::/128", "unspecified"),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
    ("100::/64", "discard-only"),
    ("100:0:0:1::/64", "dummy IPv6 prefix"),
    ("2001::/23", "IETF protocol assignments"),
    ("2001:db8::/32", "documentation"),
    ("2620:4f:8000::/48", "AS112 direct delegation"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "segment routing (SRv6) SIDs"),
    ("fc00::/7", "unique-local"),
    ("fe80::/10", "link-local"),
)
_SPECIAL_NETWORKS = tuple((ipaddress.ip_network(block), name) for block, name in SPECIAL_PURPOSE)
# "Looks numeric" per the WHATWG URL host parser: the last label is a number.
_NUMERIC_LAST_LABEL = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")


def blocked_reason(ip: IPAddress) -> str | None:
    """Why this address may not be fetched, or None when it is a public address."""
    if ip.is_loopback or ip.is_unspecified:
        return "a loopback address" if ip.is_loopback else "an unspecified address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _TEREDO:
            return "a Teredo tunnel address"
        if ip in _LOCAL_NAT64:
            return f"a special-purpose address (local-use IPv4/IPv6 translation, {_LOCAL_NAT64})"
        inner = _embedded_ipv4(ip)
        if inner is not None:  # judged by where the packets really go
            reason = blocked_reason(inner)
            return f"{reason} ({inner}) inside an IPv6 address" if reason else None
        if ip.is_site_local:
            return "a site-local address"
    for label, flag in (
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return f"a {label} address"
    for network, name in _SPECIAL_NETWORKS:
        if ip.version == network.version and ip in network:
            return f"a special-purpose address ({name}, {network})"
    if not ip.is_global:  # whatever a later registry adds that ipaddress knows first
        return "not a public address"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _IPV4_COMPATIBLE or any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def parse_numeric_host(host: str) -> IPAddress | None:
    """The address a literal host names (IPv6, or IPv4 in any inet_aton spelling), else None.

    Raises BlockedAddressError for a host that looks numeric but is no valid
    address ("1.2.3.4.5", "0x1g", "999.1.1.1"): sent to DNS it could mean anything.
    """
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            raise BlockedAddressError(f"refused {host!r}: not a valid IPv6 address") from None
    labels = host.split(".")
    if labels and labels[-1] == "" and len(labels) > 1:
        labels.pop()  # "127.0.0.1." is 127.0.0.1
    if not labels or not _NUMERIC_LAST_LABEL.match(labels[-1]):
        return None
    try:
        numbers = [_parse_ipv4_number(label) for label in labels]
    except ValueError:
        raise BlockedAddressError(f"refused {host!r}: not a valid IPv4 address") from None
    if (
        len(numbers) > 4
        or any(n > 255 for n in numbers[:-1])
        or numbers[-1] >= 256 ** (5 - len(numbers))
    ):
        raise BlockedAddressError(f"refused {host!r}: not a valid IPv4 address")
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_number(label: str) -> int:
    if label == "":
        raise ValueError("empty label")
    if label[:2] in ("0x", "0X"):
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label[1:], 8)
    return int(label, 10)


def _refuse(url: str, ip: IPAddress, reason: str, host: str) -> BlockedAddressError:
    via = "" if host == str(ip) else f" ({host} resolves to {ip})"
    return BlockedAddressError(
        f"refused to fetch {url}: {reason}{via}. Crosscheck only reads public web "
        "addresses; set fetch.allow_private_hosts = true to read internal ones"
    )


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) as httpx will use them; BlockedAddressError if unusable."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise BlockedAddressError(f"refused {url!r}: not a valid web address ({exc})") from None
    scheme = parsed.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "a missing scheme"
        raise BlockedAddressError(
            f"refused {url!r}: only http:// and https:// addresses can be fetched, not {shown}"
        )
    host = parsed.raw_host.decode("ascii").lower()
    if not host:
        raise BlockedAddressError(f"refused {url!r}: the address has no host name")
    return scheme, host, parsed.port or DEFAULT_PORTS[scheme]


def resolve_host(
    host: str, port: int, *, resolve: Resolver = socket.getaddrinfo, url: str = ""
) -> list[IPAddress]:
    """Every address ``host`` stands for, literal or resolved, without duplicates."""
    literal = parse_numeric_host(host)
    if literal is not None:
        return [literal]
    try:
        infos = resolve(host.rstrip("."), port)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(
            f"could not find the server {host} for {url or host}: the name does not resolve ({exc})"
        ) from None
    addresses: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise FetchError(f"could not find the server {host} for {url or host}: no address")
    return addresses


def check_host(
    host: str,
    port: int,
    *,
    allow_private: bool,
    resolve: Resolver = socket.getaddrinfo,
    url: str = "",
) -> list[IPAddress]:
    """The host's addresses if all may be fetched; BlockedAddressError otherwise."""
    shown = url or host
    bare = host.rstrip(".")
    if not allow_private and (bare == "localhost" or bare.endswith(".localhost")):
        raise BlockedAddressError(
            f"refused to fetch {shown}: localhost is this machine. Crosscheck only reads "
            "public web addresses; set fetch.allow_private_hosts = true to read internal ones"
        )
    addresses = resolve_host(host, port, resolve=resolve, url=shown)
    if not allow_private:
        for ip in addresses:
            reason = blocked_reason(ip)
            if reason:
                raise _refuse(shown, ip, reason, host)
    return addresses


def check_url(
    url: str, *, allow_private: bool, resolve: Resolver = socket.getaddrinfo
) -> list[IPAddress]:
    """The addresses ``url`` would connect to, once every one has passed the guard.

    Raises BlockedAddressError for a bad scheme, an unusable URL or a blocked
    address; FetchError (the parent class) when the name does not resolve at all.
    With ``allow_private`` only the scheme and URL shape are checked (the host is
    still resolved, so the answer is the same list of addresses).
    """
    _, host, port = split_url(url)
    return check_host(host, port, allow_private=allow_private, resolve=resolve, url=url)


@dataclass
class Guard:
    """The guard's settings plus its short-lived pins (host, port) -> checked addresses.

    ``resolve`` and ``connect`` default to the real ``socket`` functions; tests
    inject fakes (a resolver that says a test host is public, a connector that
    routes that "public" address to a local server) so nothing leaves the machine.
    """

    allow_private: bool = False
    resolve: Resolver = socket.getaddrinfo
    connect: Connector = socket.create_connection
    pin_seconds: float = 60.0
    _pins: dict[tuple[str, int], tuple[float, list[IPAddress]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> Guard:
        return cls(allow_private=bool(settings.fetch.allow_private_hosts), **kwargs)

    def check(self, url: str) -> list[IPAddress]:
        """check_url with this guard's resolver; the answer is pinned for the backend."""
        _, host, port = split_url(url)
        return self._checked(host, port, url=url)

    def addresses_for(self, host: str, port: int) -> list[IPAddress]:
        """The checked addresses to connect to (pinned if fresh, else resolved and checked)."""
        return self._checked(host.lower(), port, url="")

    def _checked(self, host: str, port: int, *, url: str) -> list[IPAddress]:
        now = time.monotonic()
        with self._lock:
            pinned = self._pins.get((host, port))
        if pinned is not None and now - pinned[0] < self.pin_seconds:
            return pinned[1]
        addresses = check_host(
            host, port, allow_private=self.allow_private, resolve=self.resolve, url=url
        )
        with self._lock:
            if len(self._pins) > 512:  # a long-lived client: forget expired pins
                self._pins = {
                    key: pin for key, pin in self._pins.items() if now - pin[0] < self.pin_seconds
                }
            self._pins[(host, port)] = (now, addresses)
        return addresses


_deadline = threading.local()  # per thread: httpx's sync client does I/O on the caller's


@contextmanager
def deadline_scope(deadline: float) -> Iterator[None]:
    """Within this block, socket operations of guarded clients on this thread end by
    ``deadline`` (a ``time.monotonic()`` value): each read, write, connect and TLS
    handshake gets at most the time left, and none starts once it is gone."""
    previous = getattr(_deadline, "at", None)
    _deadline.at = deadline if previous is None else min(previous, deadline)
    try:
        yield
    finally:
        _deadline.at = previous


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to the time left before this thread's deadline; ``error`` if none."""
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the total time for this fetch ran out")
    return left if timeout is None else min(timeout, left)


class ConnectFailed(httpcore.ConnectError):
    """httpcore's ConnectError, keeping the OSError (httpcore's pool drops __cause__)."""

    def __init__(self, message: str, reason: OSError | None) -> None:
        super().__init__(message)
        self.reason = reason


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to addresses the guard has checked."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        # A BlockedAddressError raised here is not an httpcore error, so httpx lets
        # it through unchanged; nothing has been connected yet.
        addresses = self.guard.addresses_for(host, port)
        timeout = _time_left(timeout, httpcore.ConnectTimeout)
        source = None if local_address is None else (local_address, 0)
        last: OSError | None = None
        for ip in addresses:
            try:
                sock = self.guard.connect((str(ip), port), timeout, source_address=source)
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(str(exc) or "timed out") from exc
            except OSError as exc:
                last = exc
                continue
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return _stream(sock)
        raise ConnectFailed(str(last) if last else f"no address for {host}", last)


class GuardedClient(httpx.Client):
    """An ``httpx.Client`` whose sockets connect only to addresses its guard checked.

    It never follows redirects itself, ignores proxy environment variables (a proxy
    would resolve names where the guard cannot see), and verifies TLS against
    ``verify`` (default: the certifi bundle).
    """

    def __init__(
        self,
        *,
        guard: Guard,
        verify: ssl.SSLContext | None = None,
        pool_size: int = 8,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.guard = guard
        transport = httpx.HTTPTransport(trust_env=False)
        # httpx has no public hook for the network backend: swap in a pool that uses
        # ours (the DNS-rebinding tests in tests/test_ssrf.py fail if this is bypassed).
        transport._pool = httpcore.ConnectionPool(
            ssl_context=verify or httpx.create_ssl_context(trust_env=False),
            max_connections=pool_size,
            max_keepalive_connections=pool_size,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(guard),
        )
        super().__init__(
            transport=transport, trust_env=False, follow_redirects=False, headers=headers
        )


class _DeadlineStream(SyncStream):
    """httpcore's socket stream with every operation cut to the thread's deadline.

    A read returns as soon as any byte arrives, so the read timeout alone never stops
    a server that sends one byte a second; asking for the time left before each read
    does. The TLS handshake is one call with one timeout, bounded the same way.
    """

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return super().read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        super().write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        stream = super().start_tls(
            ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout)
        )
        sock = stream.get_extra_info("socket")
        return _DeadlineStream(sock) if isinstance(stream, SyncStream) else stream


def _stream(sock: socket.socket) -> httpcore.NetworkStream:
    return _DeadlineStream(sock)
