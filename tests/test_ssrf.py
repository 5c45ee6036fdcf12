"""The SSRF guard: refused addresses never get a connection, on the first hop or any redirect."""
from __future__ import annotations

import ipaddress
import socket

import pytest

from comparer.errors import BlockedAddressError, FetchError
from comparer.fetch import fetch_url, make_client
from comparer.netguard import Guard, check_url
from config import load_settings
from tests.localserver import LocalServer, local_server  # noqa: F401 (fixture)

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:4700::1"

# {port} is the local test server's port: if the guard let one of these through,
# the request would land on that server and the test would see it.
BLOCKED = [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://LOCALHOST.:{port}/",
    "http://news.localhost:{port}/",
    "http://[::1]:{port}/",
    "http://0x7f000001:{port}/",
    "http://2130706433:{port}/",
    "http://017700000001:{port}/",
    "http://127.1:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://127.0.0.1.:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::ffff:7f00:1]:{port}/",
    "http://[2002:7f00:1::]:{port}/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::7f00:1]:{port}/",  # NAT64 wrapping 127.0.0.1
    "http://0.0.0.0:{port}/",
    "http://0:{port}/",
    "http://[::]:{port}/",
    "https://127.0.0.1:{port}/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://198.18.0.1/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[2001::1]/",  # Teredo
    "http://1.2.3.4.5/",  # looks numeric but is no address: never sent to DNS
]


def no_dns(host, port, *args, **kwargs):
    raise AssertionError(f"the guard resolved {host!r}; a literal or refused name needs no DNS")


def fake_dns(table):
    """A getaddrinfo stand-in answering from ``table`` (name -> list of addresses)."""
    calls = []

    def resolve(host, port, *args, **kwargs):
        calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answers = table[host] if isinstance(table[host], list) else table[host](len(calls))
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in answers]

    resolve.calls = calls
    return resolve


def route_to(server: LocalServer, log: list):
    """A connector that plays the internet: any 'public' address lands on the local server."""

    def connect(address, timeout=None, source_address=None):
        log.append(address)
        return socket.create_connection((server.host, server.port), timeout)

    return connect


@pytest.mark.parametrize("template", BLOCKED)
def test_refused_before_any_connection(template, local_server):
    url = template.format(port=local_server.port)
    local_server.route("/", body="<p>internal</p>")
    with pytest.raises(BlockedAddressError, match="refused"):
        check_url(url, allow_private=False, resolve=no_dns)
    # The client's guard may not resolve names and may only connect to the local server
    # (logging every attempt): even a broken guard could not reach another machine.
    attempts: list = []
    settings = load_settings()
    client = make_client(settings, guard=Guard(resolve=no_dns,
                                               connect=route_to(local_server, attempts)))
    with pytest.raises(BlockedAddressError, match="refused"):
        fetch_url(url, settings, client=client)
    assert attempts == []
    assert local_server.connections == 0
    assert local_server.requests == []


def test_guard_is_on_by_default(local_server):
    local_server.route("/", body="<p>secret</p>")
    settings = load_settings()
    assert settings.fetch.allow_private_hosts is False
    with pytest.raises(BlockedAddressError, match=r"a loopback address"):
        fetch_url(local_server.url("/"), settings)
    assert (local_server.connections, local_server.requests) == (0, [])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://ftp.example.com/x",
                                 "gopher://127.0.0.1:70/", "javascript:alert(1)",
                                 "data:text/html,<p>hi</p>", "ws://example.com/",
                                 "//example.com/story", "example.com/story"])
@pytest.mark.parametrize("allow_private", [False, True])
def test_only_http_and_https(url, allow_private):
    with pytest.raises(BlockedAddressError, match="only http:// and https://"):
        check_url(url, allow_private=allow_private, resolve=no_dns)
    settings = load_settings().with_overrides({"fetch.allow_private_hosts": allow_private})
    with pytest.raises(BlockedAddressError, match="only http:// and https://"):
        fetch_url(url, settings)


def test_name_resolving_to_loopback_is_refused(local_server):
    resolve = fake_dns({"intranet.example": ["127.0.0.1"]})
    url = f"http://intranet.example:{local_server.port}/"
    with pytest.raises(BlockedAddressError,
                       match=r"a loopback address \(intranet.example resolves to 127.0.0.1\)"):
        check_url(url, allow_private=False, resolve=resolve)
    client = make_client(load_settings(), guard=Guard(resolve=resolve))
    with client, pytest.raises(BlockedAddressError):
        fetch_url(url, load_settings(), client=client)
    assert (local_server.connections, local_server.requests) == (0, [])


def test_one_private_answer_among_public_ones_is_enough_to_refuse():
    resolve = fake_dns({"mixed.example": [PUBLIC_V4, "10.1.2.3"]})
    with pytest.raises(BlockedAddressError, match=r"a private address \(mixed.example"):
        check_url("https://mixed.example/", allow_private=False, resolve=resolve)


def test_public_addresses_pass():
    assert check_url(f"http://{PUBLIC_V4}/", allow_private=False, resolve=no_dns) == [
        ipaddress.IPv4Address(PUBLIC_V4)]
    assert check_url(f"https://[{PUBLIC_V6}]/x", allow_private=False, resolve=no_dns) == [
        ipaddress.IPv6Address(PUBLIC_V6)]
    resolve = fake_dns({"news.example": [PUBLIC_V4, PUBLIC_V6, PUBLIC_V4]})
    assert check_url("https://news.example/story?id=1", allow_private=False,
                     resolve=resolve) == [ipaddress.IPv4Address(PUBLIC_V4),
                                          ipaddress.IPv6Address(PUBLIC_V6)]
    assert resolve.calls == ["news.example"]


def test_allow_private_lifts_the_address_check():
    assert check_url("http://127.0.0.1:8501/", allow_private=True, resolve=no_dns) == [
        ipaddress.IPv4Address("127.0.0.1")]
    assert check_url("http://localhost/", allow_private=True,
                     resolve=fake_dns({"localhost": ["127.0.0.1"]})) == [
        ipaddress.IPv4Address("127.0.0.1")]


def test_unknown_name_is_a_fetch_error_not_a_block():
    with pytest.raises(FetchError, match="could not find the server nowhere.example") as info:
        check_url("http://nowhere.example/", allow_private=False, resolve=fake_dns({}))
    assert not isinstance(info.value, BlockedAddressError)


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/secret",
                                    "http://[::ffff:127.0.0.1]:{port}/secret",
                                    "http://internal.example:{port}/secret",
                                    "http://10.0.0.1/secret",
                                    "file:///etc/passwd"])
def test_redirect_to_a_private_host_is_refused_before_connecting(target, local_server):
    # news.example "is" a public address; the connector routes that address to the
    # local server, as the internet would. Its page redirects somewhere internal.
    local_server.redirect("/start", target.format(port=local_server.port))
    local_server.route("/secret", body="<p>internal</p>")
    resolve = fake_dns({"news.example": [PUBLIC_V4], "internal.example": ["127.0.0.1"]})
    connected: list = []
    guard = Guard(resolve=resolve, connect=route_to(local_server, connected))
    settings = load_settings()
    with make_client(settings, guard=guard) as client, \
            pytest.raises(BlockedAddressError, match="refused"):
        fetch_url("http://news.example/start", settings, client=client)
    assert [r.path for r in local_server.requests] == ["/start"]
    assert connected == [(PUBLIC_V4, 80)]


def test_public_redirect_chain_is_followed(local_server):
    local_server.redirect("/start", "http://www.news.example/story")
    local_server.route("/story", body="<p>story</p>")
    resolve = fake_dns({"news.example": [PUBLIC_V4], "www.news.example": [PUBLIC_V6]})
    connected: list = []
    guard = Guard(resolve=resolve, connect=route_to(local_server, connected))
    settings = load_settings()
    with make_client(settings, guard=guard) as client:
        snap = fetch_url("http://news.example/start", settings, client=client)
    assert (snap.final_url, snap.body) == ("http://www.news.example/story", b"<p>story</p>")
    assert connected == [(PUBLIC_V4, 80), (PUBLIC_V6, 80)]
    assert [r.headers["Host"] for r in local_server.requests] == ["news.example",
                                                                  "www.news.example"]


def test_connection_goes_to_the_checked_address_not_a_rebound_one(local_server):
    # DNS rebinding: the first answer is public, every later one is loopback. The
    # client must connect to the address that was checked, without asking DNS again.
    local_server.route("/story", body="<p>story</p>")
    resolve = fake_dns({"rebind.example": lambda n: [PUBLIC_V4] if n == 1 else ["127.0.0.1"]})
    connected: list = []
    guard = Guard(resolve=resolve, connect=route_to(local_server, connected))
    settings = load_settings()
    with make_client(settings, guard=guard) as client:
        snap = fetch_url("http://rebind.example/story", settings, client=client)
    assert snap.body == b"<p>story</p>"
    assert connected == [(PUBLIC_V4, 80)]
    assert resolve.calls == ["rebind.example"]


def test_connect_time_check_refuses_a_rebound_answer(local_server):
    # With pins expiring at once, the socket layer resolves again itself; the
    # rebound loopback answer must then be refused there, before connecting.
    local_server.route("/story", body="<p>story</p>")
    resolve = fake_dns({"rebind.example": lambda n: [PUBLIC_V4] if n == 1 else ["127.0.0.1"]})
    connected: list = []
    guard = Guard(resolve=resolve, connect=route_to(local_server, connected), pin_seconds=0)
    settings = load_settings()
    with make_client(settings, guard=guard) as client, \
            pytest.raises(BlockedAddressError, match="rebind.example resolves to 127.0.0.1"):
        fetch_url("http://rebind.example/story", settings, client=client)
    assert connected == []
    assert (local_server.connections, local_server.requests) == (0, [])


def test_settings_stricter_than_the_client_win(local_server):
    local_server.route("/", body="<p>secret</p>")
    permissive = load_settings().with_overrides({"fetch.allow_private_hosts": True})
    with make_client(permissive) as client, pytest.raises(BlockedAddressError):
        fetch_url(local_server.url("/"), load_settings(), client=client)
    assert local_server.connections == 0


def test_https_to_the_pinned_address_keeps_the_host_name_for_sni_and_certificate():
    # The socket goes to the checked IP, but TLS must still ask for and verify
    # news.example (the certificate names only that host), and Host must say it too.
    with LocalServer(tls=True) as server:
        server.route("/story", body="<p>secure story</p>")
        connected: list = []
        guard = Guard(resolve=fake_dns({"news.example": [PUBLIC_V4]}),
                      connect=route_to(server, connected))
        settings = load_settings()
        with make_client(settings, guard=guard,
                         verify=LocalServer.client_ssl_context()) as client:
            snap = fetch_url("https://news.example/story", settings, client=client)
        assert snap.body == b"<p>secure story</p>"
        assert connected == [(PUBLIC_V4, 443)]
        assert server.sni_names == ["news.example"]
        assert [r.headers["Host"] for r in server.requests] == ["news.example"]
