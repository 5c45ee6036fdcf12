"""The SSRF guard: refused addresses never get a connection, on the first hop or any redirect."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from comparer.errors import BlockedAddressError, FetchError
from comparer.fetch import fetch_url, make_client
from comparer.netguard import Guard, check_url
from comparer.settings import load_settings
from tests.localserver import LocalServer

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
    # IETF special-purpose blocks that Python's ipaddress (3.11.7) calls global
    "http://192.0.0.192/",
    "http://3221225664/",  # 192.0.0.192 as one number
    "http://0xc00000c0/",
    "http://0300.0.0.0300/",
    "http://192.0.192/",  # inet_aton's a.b.c form: 192.0.0.192
    "http://[::ffff:192.0.0.192]/",
    "http://[64:ff9b::c000:c0]/",  # NAT64 wrapping 192.0.0.192
    "http://[2002:c000:c0::1]/",  # 6to4 wrapping 192.0.0.192
    "http://192.0.0.9/",  # PCP anycast ("globally reachable" in the registry)
    "http://192.31.196.1/",  # AS112-v4
    "http://192.52.193.1/",  # AMT
    "http://192.88.99.1/",  # deprecated 6to4 relay anycast
    "http://192.175.48.1/",  # AS112 direct delegation
    "http://[3fff::1]/",  # documentation (2024)
    "http://[2620:4f:8000::1]/",  # AS112 direct delegation, IPv6
    "http://[64:ff9b:1::808:808]/",  # local-use NAT64: a local translator, not 8.8.8.8
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
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers
        ]

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
    client = make_client(
        settings, guard=Guard(resolve=no_dns, connect=route_to(local_server, attempts))
    )
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


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/x",
        "gopher://127.0.0.1:70/",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "ws://example.com/",
        "//example.com/story",
        "example.com/story",
    ],
)
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
    with pytest.raises(
        BlockedAddressError, match=r"a loopback address \(intranet.example resolves to 127.0.0.1\)"
    ):
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
        ipaddress.IPv4Address(PUBLIC_V4)
    ]
    assert check_url(f"https://[{PUBLIC_V6}]/x", allow_private=False, resolve=no_dns) == [
        ipaddress.IPv6Address(PUBLIC_V6)
    ]
    resolve = fake_dns({"news.example": [PUBLIC_V4, PUBLIC_V6, PUBLIC_V4]})
    assert check_url("https://news.example/story?id=1", allow_private=False, resolve=resolve) == [
        ipaddress.IPv4Address(PUBLIC_V4),
        ipaddress.IPv6Address(PUBLIC_V6),
    ]
    assert resolve.calls == ["news.example"]


def test_allow_private_lifts_the_address_check():
    assert check_url("http://127.0.0.1:8501/", allow_private=True, resolve=no_dns) == [
        ipaddress.IPv4Address("127.0.0.1")
    ]
    assert check_url(
        "http://localhost/", allow_private=True, resolve=fake_dns({"localhost": ["127.0.0.1"]})
    ) == [ipaddress.IPv4Address("127.0.0.1")]


def test_unknown_name_is_a_fetch_error_not_a_block():
    with pytest.raises(FetchError, match="could not find the server nowhere.example") as info:
        check_url("http://nowhere.example/", allow_private=False, resolve=fake_dns({}))
    assert not isinstance(info.value, BlockedAddressError)


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://192.0.0.192:{port}/secret",
        "http://[::ffff:192.0.0.192]:{port}/secret",
        "http://special.example:{port}/secret",
        "http://internal.example:{port}/secret",
        "http://10.0.0.1/secret",
        "file:///etc/passwd",
    ],
)
def test_redirect_to_a_private_host_is_refused_before_connecting(target, local_server):
    # news.example "is" a public address; the connector routes that address to the
    # local server, as the internet would. Its page redirects somewhere internal.
    local_server.redirect("/start", target.format(port=local_server.port))
    local_server.route("/secret", body="<p>internal</p>")
    resolve = fake_dns(
        {
            "news.example": [PUBLIC_V4],
            "internal.example": ["127.0.0.1"],
            "special.example": ["192.0.0.192"],
        }
    )
    connected: list = []
    guard = Guard(resolve=resolve, connect=route_to(local_server, connected))
    settings = load_settings()
    with (
        make_client(settings, guard=guard) as client,
        pytest.raises(BlockedAddressError, match="refused"),
    ):
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
    assert [r.headers["Host"] for r in local_server.requests] == [
        "news.example",
        "www.news.example",
    ]


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
    with (
        make_client(settings, guard=guard) as client,
        pytest.raises(BlockedAddressError, match="rebind.example resolves to 127.0.0.1"),
    ):
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
        guard = Guard(
            resolve=fake_dns({"news.example": [PUBLIC_V4]}), connect=route_to(server, connected)
        )
        settings = load_settings()
        with make_client(settings, guard=guard, verify=LocalServer.client_ssl_context()) as client:
            snap = fetch_url("https://news.example/story", settings, client=client)
        assert snap.body == b"<p>secure story</p>"
        assert connected == [(PUBLIC_V4, 443)]
        assert server.sni_names == ["news.example"]
        assert [r.headers["Host"] for r in server.requests] == ["news.example"]


# The IANA special-purpose address registries, copied here from iana.org (IPv4 registry
# updated 2022-12, IPv6 registry 2025) independently of netguard.SPECIAL_PURPOSE, so that
# a block missing there fails here. (block, how the guard must treat it)
IANA_IPV4_SPECIAL = [
    "0.0.0.0/8",
    "0.0.0.0/32",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.0.0/29",
    "192.0.0.8/32",
    "192.0.0.9/32",
    "192.0.0.10/32",
    "192.0.0.170/32",
    "192.0.0.171/32",
    "192.0.2.0/24",
    "192.31.196.0/24",
    "192.52.193.0/24",
    "192.88.99.0/24",
    "192.88.99.2/32",
    "192.168.0.0/16",
    "192.175.48.0/24",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "240.0.0.0/4",
    "255.255.255.255/32",
]
IANA_IPV6_SPECIAL = [
    "::1/128",
    "::/128",
    "64:ff9b:1::/48",
    "100::/64",
    "100:0:0:1::/64",
    "2001::/23",
    "2001::/32",
    "2001:1::1/128",
    "2001:1::2/128",
    "2001:1::3/128",
    "2001:2::/48",
    "2001:3::/32",
    "2001:4:112::/48",
    "2001:10::/28",
    "2001:20::/28",
    "2001:30::/28",
    "2001:db8::/32",
    "2620:4f:8000::/48",
    "3fff::/20",
    "5f00::/16",
    "fc00::/7",
    "fe80::/10",
]
# These carry an IPv4 address; the guard judges them by it (public inside: allowed).
IANA_IPV6_TRANSLATION = ["::ffff:0:0/96", "64:ff9b::/96", "2002::/16"]


def _samples(block: str) -> list:
    net = ipaddress.ip_network(block)
    return [net[0], net[-1], net[net.num_addresses // 2], net[min(1, net.num_addresses - 1)]]


@pytest.mark.parametrize("block", IANA_IPV4_SPECIAL + IANA_IPV6_SPECIAL)
def test_every_iana_special_purpose_block_is_refused(block):
    from comparer.netguard import blocked_reason

    for ip in _samples(block):
        assert blocked_reason(ip) is not None, f"{ip} in {block} passes the guard"
        with pytest.raises(BlockedAddressError):
            shown = f"[{ip}]" if ip.version == 6 else str(ip)
            check_url(f"http://{shown}/", allow_private=False, resolve=no_dns)


@pytest.mark.parametrize("block", IANA_IPV6_TRANSLATION)
def test_translation_blocks_are_judged_by_the_ipv4_address_inside(block):
    from comparer.netguard import blocked_reason

    net = ipaddress.ip_network(block)

    def wrap(v4: str) -> ipaddress.IPv6Address:
        inner = int(ipaddress.IPv4Address(v4))
        if block == "2002::/16":
            return ipaddress.IPv6Address(int(net[0]) | inner << 80)
        return ipaddress.IPv6Address(int(net[0]) | inner)

    for private in ("127.0.0.1", "10.0.0.1", "192.0.0.192", "169.254.169.254"):
        assert blocked_reason(wrap(private)) is not None, (block, private)
    assert blocked_reason(wrap(PUBLIC_V4)) is None


def test_the_guard_table_covers_the_registries():
    """Every registry block is inside one of netguard's blocks (or handled by rule)."""
    from comparer.netguard import SPECIAL_PURPOSE

    table = [ipaddress.ip_network(block) for block, _ in SPECIAL_PURPOSE]
    for block in IANA_IPV4_SPECIAL + IANA_IPV6_SPECIAL:
        net = ipaddress.ip_network(block)
        covered = any(net.version == t.version and net.subnet_of(t) for t in table)
        assert covered or block == "2001::/32", f"{block} is not in netguard.SPECIAL_PURPOSE"


# --- stored snapshots: the guard applies to what the store would serve ---------------


def _stored(settings, snapshot):
    from comparer.store import Store

    with Store.open(settings) as store:
        store.save_snapshot(snapshot)


def _read_stored(settings, url):
    from comparer.pipeline import read_sources
    from comparer.sources import source_from_spec
    from comparer.store import Store

    with Store.open(settings) as store:
        (article,) = read_sources([source_from_spec(url, "s1")], settings, store=store)
    return article


def test_a_snapshot_stored_while_private_hosts_were_allowed_is_not_served_later(
    settings, local_server
):
    from tests.test_cli import PAGE

    url = local_server.route("/secret", body=PAGE)
    permissive = settings.with_overrides({"fetch.allow_private_hosts": True, "fetch.retries": 0})
    assert _read_stored(permissive, url).status == "ok"
    local_server.clear_log()
    later = _read_stored(settings, url)  # default settings, same store
    assert (later.status, later.error_type, later.from_store) == (
        "error",
        "BlockedAddressError",
        False,
    )
    assert later.error.startswith(f"the stored copy of {url} is not used: refused to fetch")
    assert "a loopback address" in later.error and later.text == ""
    assert (local_server.connections, local_server.requests) == (0, [])
    # with private hosts allowed again, the same snapshot is served from the store
    again = _read_stored(permissive, url)
    assert (again.status, again.from_store) == ("ok", True)
    assert local_server.connections == 0


@pytest.mark.parametrize(
    "requested, final, reason",
    [
        (f"http://{PUBLIC_V4}/story", "http://10.0.0.5/story", "a private address"),
        (f"http://{PUBLIC_V4}/story", "http://192.0.0.192/story", "special-purpose"),
        ("http://192.0.0.192/story", "http://192.0.0.192/story", "special-purpose"),
        ("http://localhost:8501/", "http://localhost:8501/", "localhost is this machine"),
        (f"http://{PUBLIC_V4}/story", "http://[::ffff:169.254.169.254]/latest", "link-local"),
    ],
)
def test_a_stored_redirect_into_a_private_range_is_not_served(requested, final, reason, settings):
    from tests.store_helpers import make_snapshot
    from tests.test_cli import PAGE

    _stored(settings, make_snapshot(requested, PAGE.encode(), final_url=final))
    article = _read_stored(settings, requested)  # literal addresses: no DNS, no fetch
    assert (article.status, article.error_type) == ("error", "BlockedAddressError")
    assert reason in article.error


def test_a_stored_public_page_is_still_served_without_fetching(settings):
    from tests.store_helpers import make_snapshot
    from tests.test_cli import PAGE

    url = f"http://{PUBLIC_V4}/story"
    _stored(settings, make_snapshot(url, PAGE.encode()))
    article = _read_stored(settings, url)
    assert (article.status, article.from_store) == ("ok", True)


def test_a_stored_page_whose_name_now_resolves_privately_is_not_served(settings, monkeypatch):
    from tests.store_helpers import make_snapshot
    from tests.test_cli import PAGE

    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        fake_dns({"intranet.example": ["10.1.2.3"], "news.example": [PUBLIC_V4]}),
    )
    _stored(settings, make_snapshot("https://news.example/a", PAGE.encode()))
    _stored(settings, make_snapshot("https://intranet.example/a", PAGE.encode()))
    _stored(settings, make_snapshot("https://gone.example/a", PAGE.encode()))
    assert _read_stored(settings, "https://news.example/a").from_store is True
    blocked = _read_stored(settings, "https://intranet.example/a")
    assert blocked.error_type == "BlockedAddressError"
    assert "intranet.example resolves to 10.1.2.3" in blocked.error
    gone = _read_stored(settings, "https://gone.example/a")  # cannot be shown public
    assert (gone.status, gone.error_type) == ("error", "FetchError")
    assert "could not find the server gone.example" in gone.error
