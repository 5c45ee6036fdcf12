"""discover: providers served by the local test server in their real formats, merging,
canonical addresses, ranking with the real embedder, failures and hostile feeds, the CLI."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from comparer.discover import (
    Hit,
    canonical_url,
    decode_google_link,
    discover,
    discover_from_url,
    merge,
    query_from_article,
    rank,
    url_key,
)
from comparer.errors import ConfigError
from comparer.settings import load_settings
from tests.test_cli import run_cli

SINCE = datetime(2021, 2, 24, tzinfo=UTC)
UNTIL = datetime(2021, 2, 28, tzinfo=UTC)
REUTERS = "https://www.reuters.com/article/us-usa-syria-strike-idUSKBN2AQ04Y"
GUARDIAN = "https://www.theguardian.com/world/2021/feb/26/biden-orders-airstrike-syria"


def google_link(url: str) -> str:
    """An old-style Google News article link carrying ``url`` (protobuf field 4)."""
    raw = url.encode()
    length = bytes([len(raw)]) if len(raw) < 128 else bytes([len(raw) & 0x7F | 0x80, len(raw) >> 7])
    payload = b"\x08\x13\x22" + length + raw + b"\xd2\x01\x00"
    token = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"https://news.google.com/rss/articles/{token}?oc=5"


OPAQUE = "https://news.google.com/rss/articles/CBMiAUFVX3lxTE9wYXF1ZVRva2VuT25seQ?oc=5"

GOOGLE_RSS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<rss xmlns:media="http://search.yahoo.com/mrss/" version="2.0"><channel>
<generator>NFE/5.0</generator><title>"Syria airstrike" - Google News</title>
<link>https://news.google.com/search?q=Syria+airstrike</link><language>en-US</language>
<item><title>US strikes Iran-backed militia facilities in Syria - Reuters</title>
<link>{google_link(REUTERS)}</link><guid isPermaLink="false">a1</guid>
<pubDate>Fri, 26 Feb 2021 01:10:00 GMT</pubDate>
<description>&lt;a href="x"&gt;US strikes&lt;/a&gt;</description>
<source url="https://www.reuters.com">Reuters</source></item>
<item><title>Biden orders airstrike on militia in Syria - The Guardian</title>
<link>{OPAQUE}</link><guid isPermaLink="false">a2</guid>
<pubDate>Fri, 26 Feb 2021 02:00:00 GMT</pubDate>
<source url="https://www.theguardian.com">The Guardian</source></item>
<item><title>Syria airstrike anniversary remembered - Old Times</title>
<link>{google_link("https://oldtimes.example/2020/syria")}</link>
<pubDate>Wed, 01 Jan 2020 10:00:00 GMT</pubDate>
<source url="https://oldtimes.example">Old Times</source></item>
</channel></rss>"""

GDELT_JSON = {
    "articles": [
        {
            "url": REUTERS + "?utm_source=gdelt&utm_medium=api",
            "url_mobile": "",
            "title": "US strikes Iran-backed militia facilities in Syria",
            "seendate": "20210226T013000Z",
            "socialimage": "",
            "domain": "reuters.com",
            "language": "English",
            "sourcecountry": "United States",
        },
        {
            "url": "https://amp.theguardian.com/world/2021/feb/26/biden-orders-airstrike-syria",
            "title": "Biden orders airstrike on militia in Syria",
            "seendate": "20210226T030000Z",
            "domain": "theguardian.com",
            "language": "English",
            "sourcecountry": "United Kingdom",
        },
        {
            "url": "https://www.aljazeera.net/news/2021/2/26/syria-strike#comments",
            "title": "US air strikes on Syria kill militia fighters near Iraq border",
            "seendate": "20210226T120000Z",
            "domain": "aljazeera.net",
            "language": "Arabic",
            "sourcecountry": "Qatar",
        },
        {
            "url": "https://bakery.example/news/pie-contest",
            "title": "Local bakery wins the county pie contest again",
            "seendate": "20210227T230000Z",
            "domain": "bakery.example",
            "language": "English",
            "sourcecountry": "United States",
        },
    ]
}
GDELT_TOO_SHORT = (
    "Your search contained a keyword that was too short. Keywords must be at least 3 "
    "characters long."
)

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">
<title>Harbor Gazette</title><id>urn:harbor</id><updated>2021-02-26T12:00:00Z</updated>
<entry><title>US airstrike in Syria targets militia border post</title>
<link rel="alternate" href="https://m.harbor.example/world/amp/syria-strike?fbclid=XYZ"/>
<id>urn:1</id><published>2021-02-26T09:00:00Z</published>
<summary>Aircraft struck a post used by militias.</summary></entry>
<entry><title>City council approves the harbour budget</title>
<link href="https://harbor.example/local/budget"/><id>urn:2</id>
<updated>2021-02-26T10:00:00Z</updated><summary>Money for the docks.</summary></entry>
</feed>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>&lol4;</title><item><title>Syria airstrike &lol4;</title>
<link>https://bomb.example/a</link></item></channel></rss>"""


@pytest.fixture()
def disc(settings, local_server):
    """Settings pointing every provider at the local server (loopback allowed for it)."""
    return settings.with_overrides(
        {
            "fetch.allow_private_hosts": True,
            "fetch.connect_timeout": 1.0,
            "fetch.read_timeout": 2.0,
            "fetch.total_timeout": 10.0,
            "fetch.retries": 1,
            "fetch.backoff": 0.01,
            "fetch.max_bytes": 50_000,
            "discover.google_news_url": local_server.url("/gn/rss/search"),
            "discover.gdelt_url": local_server.url("/api/v2/doc/doc"),
        }
    )


def serve_all(srv) -> None:
    srv.route("/gn/rss/search", body=GOOGLE_RSS, content_type="application/xml; charset=utf-8")
    srv.route("/api/v2/doc/doc", body=json.dumps(GDELT_JSON), content_type="application/json")
    srv.route("/feeds/harbor.atom", body=ATOM, content_type="application/atom+xml")


def by_outlet(found) -> dict[str, dict]:
    return {r["outlet"]: r for r in found.to_dict()["results"]}


# --- canonical addresses ----------------------------------------------------------------


@pytest.mark.parametrize(
    "given, canonical",
    [
        (
            "https://www.example.com/a/story?utm_source=tw&utm_medium=x&id=7",
            "https://www.example.com/a/story?id=7",
        ),
        (
            "https://example.com/story?fbclid=abc&gclid=1&ocid=msn&cmpid=rss",
            "https://example.com/story",
        ),
        ("https://example.com/story#comments", "https://example.com/story"),
        ("HTTPS://Example.COM:443/story", "https://example.com/story"),
        ("http://example.com:8080/story", "http://example.com:8080/story"),
        ("https://www.example.com/world/amp/story-123", "https://www.example.com/world/story-123"),
        ("https://www.example.com/world/story-123/amp", "https://www.example.com/world/story-123"),
        (
            "https://www.example.com/world/story-123/amp/",
            "https://www.example.com/world/story-123/",
        ),
        (
            "https://www.example.com/world/story.amp.html",
            "https://www.example.com/world/story.html",
        ),
        ("https://www.example.com/world/story.amp", "https://www.example.com/world/story"),
        ("https://www.example.com/world/story?amp", "https://www.example.com/world/story"),
        (
            "https://www.example.com/world/story?amp=1&page=2",
            "https://www.example.com/world/story?page=2",
        ),
        ("https://www.example.com/s?outputType=amp", "https://www.example.com/s"),
        (
            "https://www.example.com/s?outputType=print",
            "https://www.example.com/s?outputType=print",
        ),
        ("https://amp.theguardian.com/world/x", "https://www.theguardian.com/world/x"),
        ("https://m.bbc.co.uk/news/x", "https://www.bbc.co.uk/news/x"),
        ("https://mobile.example.com/x", "https://www.example.com/x"),
        ("https://m.co/x", "https://m.co/x"),  # a two-label host is the site itself
        ("https://www.example.com/ampersand-story", "https://www.example.com/ampersand-story"),
        ("not a url", "not a url"),
        # an IPv6 literal keeps its brackets, with or without a port
        ("https://[::1]:8443/x?utm_source=a", "https://[::1]:8443/x"),
        ("https://[2001:db8::1]/a", "https://[2001:db8::1]/a"),
    ],
)
def test_canonical_url(given, canonical):
    assert canonical_url(given) == canonical


def test_url_key_ignores_www_scheme_trailing_slash_and_query_order():
    assert url_key("http://example.com/a/?b=2&a=1") == url_key("https://www.example.com/a?a=1&b=2")
    assert url_key("https://m.example.com/a/amp") == url_key("https://example.com/a")
    assert url_key("https://example.com/a?id=1") != url_key("https://example.com/a?id=2")


def test_google_links_are_decoded_when_they_carry_the_address():
    assert decode_google_link(google_link(REUTERS)) == REUTERS
    long_url = "https://www.example.com/" + "x" * 200  # a two-byte length
    assert decode_google_link(google_link(long_url)) == long_url
    assert decode_google_link(OPAQUE) is None
    assert decode_google_link("https://example.com/rss/articles/abc") is None


# --- providers merged -------------------------------------------------------------------


def test_three_providers_merge_into_one_clean_ranked_list(disc, local_server, embedder):
    serve_all(local_server)
    settings = disc.with_overrides({"discover.feeds": [local_server.url("/feeds/harbor.atom")]})
    found = discover(
        "Syria airstrike militia", settings, embedder=embedder, since=SINCE, until=UNTIL
    )
    assert found.errors == ()
    assert found.asked == ("google_news", "gdelt", "feeds")
    rows = by_outlet(found)
    assert set(rows) == {
        "Reuters",
        "The Guardian",
        "aljazeera.net",
        "bakery.example",
        "Harbor Gazette",
    }
    # one Reuters row from two providers, at the publisher's address without utm_*
    assert rows["Reuters"]["url"] == REUTERS
    assert rows["Reuters"]["provider"] == "google_news+gdelt"
    assert rows["Reuters"]["published"] == "2021-02-26T01:10:00Z"  # the earlier date
    # the opaque Google link is replaced by GDELT's address of the same story (outlet +
    # near-identical title), AMP host made canonical
    assert rows["The Guardian"]["url"] == GUARDIAN and rows["The Guardian"]["resolved"] is True
    assert rows["aljazeera.net"]["url"] == "https://www.aljazeera.net/news/2021/2/26/syria-strike"
    assert rows["aljazeera.net"]["language"] == "ar"
    assert rows["Reuters"]["language"] == "en"
    assert rows["Harbor Gazette"]["url"] == "https://www.harbor.example/world/syria-strike"
    assert rows["Harbor Gazette"]["language"] == "en"
    # the 2020 item is outside the window; the council budget does not match the words
    assert not any("oldtimes" in r["url"] or "budget" in r["url"] for r in rows.values())
    # ranked: the bakery story is last, every Syria story above it
    results = found.to_dict()["results"]
    assert results[-1]["outlet"] == "bakery.example"
    assert results[-1]["score"] < min(r["score"] for r in results[:-1]) - 0.2
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_google_news_request_and_unresolved_links(disc, local_server, embedder):
    serve_all(local_server)
    found = discover(
        "Syria airstrike",
        disc,
        embedder=embedder,
        since=SINCE,
        until=UNTIL,
        providers=["google_news"],
    )
    (request,) = [r for r in local_server.requests if r.path.startswith("/gn/")]
    params = parse_qs(urlsplit(request.path).query)
    assert params["q"] == ["Syria airstrike after:2021-02-24 before:2021-03-01"]
    assert (params["hl"], params["gl"], params["ceid"]) == (["en-US"], ["US"], ["US:en"])
    rows = by_outlet(found)
    assert rows["Reuters"]["url"] == REUTERS and rows["Reuters"]["resolved"] is True
    assert rows["Reuters"]["title"] == "US strikes Iran-backed militia facilities in Syria"
    guardian = rows["The Guardian"]
    assert guardian["resolved"] is False and guardian["url"] == OPAQUE
    assert guardian["outlet_url"] == "https://www.theguardian.com"
    assert found.urls() == [REUTERS]  # compare --discover takes only publishers' addresses


def test_gdelt_request_names_the_window(disc, local_server, embedder):
    serve_all(local_server)
    discover(
        "Syria airstrike",
        disc,
        embedder=embedder,
        since=SINCE,
        until=UNTIL,
        providers=["gdelt"],
        max_results=7,
    )
    (request,) = local_server.requests
    params = {k: v[0] for k, v in parse_qs(urlsplit(request.path).query).items()}
    assert params == {
        "query": "Syria airstrike",
        "mode": "ArtList",
        "format": "json",
        "maxrecords": "7",
        "startdatetime": "20210224000000",
        "enddatetime": "20210228000000",
    }


def test_window_filtering_drops_dated_hits_outside_and_keeps_undated(disc, local_server, embedder):
    serve_all(local_server)
    found = discover(
        "Syria airstrike",
        disc,
        embedder=embedder,
        since=datetime(2021, 2, 26, 2, 30, tzinfo=UTC),
        until=datetime(2021, 2, 27, tzinfo=UTC),
        providers=["gdelt"],
    )
    assert sorted(by_outlet(found)) == ["aljazeera.net", "theguardian.com"]


def test_one_provider_failing_leaves_the_others(disc, local_server, embedder):
    serve_all(local_server)
    local_server.route("/gn/rss/search", status=503, body="down", content_type="text/plain")
    local_server.route(
        "/api/v2/doc/doc", body=GDELT_TOO_SHORT, content_type="text/html; charset=UTF-8"
    )
    settings = disc.with_overrides({"discover.feeds": [local_server.url("/feeds/harbor.atom")]})
    found = discover("Syria airstrike", settings, embedder=embedder, since=SINCE, until=UNTIL)
    errors = {e.provider: e.error for e in found.errors}
    assert set(errors) == {"google_news", "gdelt"}
    assert "503" in errors["google_news"] and "tried 2 times" in errors["google_news"]
    assert errors["gdelt"].startswith("the API refused the search: Your search contained a keyword")
    assert [r["outlet"] for r in found.to_dict()["results"]] == ["Harbor Gazette"]
    assert found.answered


def test_all_providers_failing_is_not_an_answer(disc, local_server, embedder):
    local_server.route("/api/v2/doc/doc", body="{not json", content_type="application/json")
    found = discover(
        "Syria airstrike", disc, embedder=embedder, since=SINCE, until=UNTIL, providers=["gdelt"]
    )
    assert found.rows == () and not found.answered
    assert "not valid JSON" in found.errors[0].error


# --- hostile feeds ------------------------------------------------------------------------


def test_hostile_feeds_are_refused_and_named_while_the_good_one_counts(
    disc, local_server, embedder
):
    serve_all(local_server)
    huge = (
        '<rss version="2.0"><channel><title>Big</title>'
        + "<item><title>Syria airstrike</title></item>" * 5000
    )
    local_server.route(
        "/feeds/huge.xml",
        body=huge + "</channel></rss>",
        content_type="application/rss+xml",
        framing="chunked",
    )
    local_server.route(
        "/feeds/broken.xml", body="<rss><channel><item><title>Syria", content_type="text/xml"
    )
    local_server.route("/feeds/bomb.xml", body=BOMB, content_type="application/rss+xml")
    local_server.route("/feeds/page.html", body="<html><body>Syria airstrike</body></html>")
    feeds = [
        local_server.url(f"/feeds/{n}")
        for n in ("huge.xml", "broken.xml", "bomb.xml", "page.html", "harbor.atom")
    ]
    settings = disc.with_overrides({"discover.feeds": feeds})
    found = discover(
        "Syria airstrike",
        settings,
        embedder=embedder,
        since=SINCE,
        until=UNTIL,
        providers=["feeds"],
    )
    errors = [e.error for e in found.errors]
    assert {e.provider for e in found.errors} == {"feeds"} and len(errors) == 4
    huge_err, broken_err, bomb_err, page_err = errors  # in the order the feeds were listed
    assert huge_err.startswith(feeds[0]) and "50,000" in huge_err and "fetch.max_bytes" in huge_err
    assert broken_err.startswith(feeds[1]) and "bad XML" in broken_err
    assert feeds[2] in bomb_err and "declares XML entities" in bomb_err
    assert feeds[3] in page_err and "not an RSS or Atom feed" in page_err
    assert [r["outlet"] for r in found.to_dict()["results"]] == ["Harbor Gazette"]


def test_the_guard_refuses_a_feed_on_a_private_address_by_default(settings, local_server, embedder):
    local_server.route("/feeds/harbor.atom", body=ATOM, content_type="application/atom+xml")
    guarded = settings.with_overrides({"discover.feeds": [local_server.url("/feeds/harbor.atom")]})
    assert guarded.fetch.allow_private_hosts is False
    found = discover(
        "Syria airstrike", guarded, embedder=embedder, since=SINCE, until=UNTIL, providers=["feeds"]
    )
    (error,) = found.errors
    assert error.provider == "feeds" and "127.0.0.1" in error.error
    assert "fetch.allow_private_hosts" in error.error
    assert found.rows == () and local_server.connections == 0


# --- merging and ranking on their own -----------------------------------------------------


def hit(url: str, title: str, outlet: str, provider: str = "gdelt", **kw) -> Hit:
    return Hit(url=canonical_url(url), title=title, outlet=outlet, provider=provider, **kw)


def test_merge_keeps_one_row_per_outlet_and_story_and_the_seed_first():
    seed = hit(
        "https://www.harbor.example/world/syria-strike",
        "US airstrike in Syria",
        "Harbor Gazette",
        "seed",
    )
    rows = merge(
        [
            hit(
                "https://harbor.example/world/syria-strike/?utm_campaign=x",
                "US airstrike in Syria",
                "harbor.example",
            ),
            hit("https://www.reuters.com/a", "US strikes militia in Syria", "reuters.com"),
            hit(
                "https://www.reuters.com/a-updated",
                "US strikes militia in Syria!",
                "Reuters",
                "google_news",
            ),
            hit("https://www.reuters.com/b", "Markets fall as oil rises", "reuters.com"),
            hit("https://apnews.com/a", "US strikes militia in Syria", "apnews.com"),
        ],
        seed=seed,
    )
    assert [(r.hit.url, r.seed, r.providers) for r in rows] == [
        ("https://www.harbor.example/world/syria-strike", True, ("seed", "gdelt")),
        ("https://www.reuters.com/a", False, ("gdelt", "google_news")),
        ("https://www.reuters.com/b", False, ("gdelt",)),
        ("https://apnews.com/a", False, ("gdelt",)),  # same title, another outlet: kept
    ]
    assert rows[1].hit.outlet == "Reuters"  # the human name wins over the domain


def test_rank_by_title_similarity_then_time(embedder):
    centre = datetime(2021, 2, 26, tzinfo=UTC)
    rows = merge(
        [
            hit(
                "https://a.example/1",
                "Council debates parking fees downtown",
                "A",
                published=centre,
            ),
            hit(
                "https://b.example/1",
                "US warplanes bomb militia sites in eastern Syria",
                "B",
                published=SINCE,
            ),
            hit(
                "https://c.example/1",
                "US warplanes bomb militia sites in eastern Syria",
                "C",
                published=centre,
            ),
            hit("https://d.example/1", "Pentagon confirms strike on Syrian militia", "D"),
        ]
    )
    ranked = rank(
        rows,
        reference="US airstrike on Iran-backed militia in Syria",
        since=SINCE,
        until=UNTIL,
        embedder=embedder,
    )
    order = [r.hit.outlet for r in ranked]
    assert order.index("C") < order.index("B")  # same title: nearer the centre first
    assert order[-1] == "A"
    scores = {r.hit.outlet: r.score for r in ranked}
    assert scores["C"] - scores["B"] == pytest.approx(0.2, abs=1e-3)  # full closeness vs none
    assert scores["A"] < 0.4 < scores["D"]


# --- from a link --------------------------------------------------------------------------

STORY = """<html lang="en"><head><title>US airstrike hits Iran-backed militia in Syria</title>
<meta property="og:site_name" content="Harbor Gazette">
<meta property="article:published_time" content="2021-02-26T09:00:00Z"></head><body><article>
<h1>US airstrike hits Iran-backed militia in Syria</h1>
<p>United States aircraft struck a border post used by Kataib Hezbollah in eastern Syria on
Thursday, the Pentagon said. President Joe Biden ordered the strike after rocket attacks on
bases in Iraq, officials in Washington said.</p>
<p>Pentagon spokesman John Kirby said the facilities were destroyed and that the operation was
proportionate. Officials said the strike was meant to deter further attacks on coalition troops.</p>
<p>Residents near Abu Kamal reported hearing several loud explosions late in the evening near the
border, according to accounts gathered by the newspaper on Friday morning.</p>
</article></body></html>"""


def test_from_a_link_builds_the_query_and_window_and_marks_the_seed(
    disc, local_server, embedder, nlp
):
    serve_all(local_server)
    story_url = local_server.route("/world/syria-strike", body=STORY)
    local_server.route(
        "/api/v2/doc/doc",
        body=json.dumps(
            {
                "articles": [
                    *GDELT_JSON["articles"],
                    {
                        "url": story_url + "?utm_source=x",
                        "title": "US airstrike hits Iran-backed militia in Syria",
                        "seendate": "20210226T100000Z",
                        "domain": "127.0.0.1",
                        "language": "English",
                    },
                ]
            }
        ),
        content_type="application/json",
    )
    found = discover_from_url(story_url, disc, embedder=embedder, nlp=nlp, providers=["gdelt"])
    assert "Syria" in found.query and len(found.query.split()) <= 8
    assert (found.since, found.until) == (
        datetime(2021, 2, 24, 9, tzinfo=UTC),
        datetime(2021, 2, 28, 9, tzinfo=UTC),
    )
    first, *others = found.to_dict()["results"]
    assert first["seed"] is True and first["url"] == story_url and first["provider"] == "seed+gdelt"
    assert first["published"] == "2021-02-26T09:00:00Z"
    assert not any(r["seed"] or r["url"].startswith(story_url) for r in others)
    gdelt_request = next(r for r in local_server.requests if r.path.startswith("/api/"))
    assert parse_qs(urlsplit(gdelt_request.path).query)["query"] == [found.query]


def test_query_from_article_with_entities_and_title_only():
    title = "Biden orders US airstrike on Iran-backed militia in Syria"
    assert query_from_article(title) == "Biden orders airstrike Iran-backed militia Syria"


def test_query_from_article_puts_named_entities_first(nlp):
    query = query_from_article(
        "Strike hits border post",
        "President Joe Biden ordered it. Joe Biden said Syria was warned.",
        nlp=nlp,
    )
    assert query.startswith('"Joe Biden"') and "Strike" in query and "border" in query


# --- settings and the command line --------------------------------------------------------


def test_discover_settings_defaults_and_checks(tmp_path):
    s = load_settings()
    assert s.discover.providers == ("google_news", "gdelt") and s.discover.feeds == ()
    assert s.discover.window_days == 2 and s.discover.max_results == 30
    path = tmp_path / "d.toml"
    path.write_text(
        '[discover]\nfeeds = ["https://a.example/rss"]\nproviders = ["gdelt"]\n', encoding="utf-8"
    )
    assert load_settings(path).discover.feeds == ("https://a.example/rss",)
    for body, message in (
        ('providers = ["bing"]', 'discover.providers item 1 must be one of "google_news"'),
        ("feeds = [3]", "discover.feeds item 1 must be a string"),
        ('feeds = "https://a.example/rss"', "discover.feeds must be a list"),
        ('providers = ["gdelt", "gdelt"]', "lists 'gdelt' twice"),
    ):
        path.write_text(f"[discover]\n{body}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_settings(path)


def test_cli_discover_json_shape(tmp_path, local_server):
    serve_all(local_server)
    config = (
        "[fetch]\nallow_private_hosts = true\nretries = 0\n"
        f'[discover]\ngdelt_url = "{local_server.url("/api/v2/doc/doc")}"\n'
        f'google_news_url = "{local_server.url("/missing")}"\n'
    )
    out = run_cli(
        "discover",
        "--json",
        "--since",
        "2021-02-24",
        "--until",
        "2021-02-28",
        "--max",
        "3",
        "Syria",
        "airstrike",
        tmp_path=tmp_path,
        config_text=config,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"query", "window", "results", "errors"}
    assert data["query"] == "Syria airstrike"
    assert data["window"] == {"since": "2021-02-24T00:00:00Z", "until": "2021-02-28T00:00:00Z"}
    assert len(data["results"]) == 3
    for row in data["results"]:
        assert {"url", "title", "outlet", "published", "provider", "language", "score"} <= set(row)
        assert row["provider"] == "gdelt" and 0 <= row["score"] <= 1
    (error,) = data["errors"]
    assert error["provider"] == "google_news" and "404" in error["error"]

    text = run_cli(
        "discover",
        "--provider",
        "gdelt",
        "--since",
        "2021-02-24",
        "--until",
        "2021-02-28",
        "Syria",
        "airstrike",
        tmp_path=tmp_path,
        config_text=config,
    )
    assert text.returncode == 0, text.stderr
    assert (
        "reuters.com" in text.stdout
        and REUTERS in text.stdout
        and "window: 2021-02-24" in text.stdout
    )

    bad = run_cli("discover", "--since", "yesterday", "x", tmp_path=tmp_path, config_text=config)
    assert bad.returncode == 2 and "--since 'yesterday'" in bad.stderr


def test_cli_compare_discover_compares_the_top_results(tmp_path, local_server):
    from tests.test_cli import PAGE

    now = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    pages = [local_server.route(f"/story/{n}", body=PAGE) for n in (1, 2, 3)]
    titles = (  # different titles: one outlet's near-identical titles would be one story
        "Strike hits border post used by militias",
        "Border post strike: militia site destroyed",
        "Pentagon defends overnight strike on border post",
    )
    articles = [
        {"url": url, "title": title, "seendate": now, "domain": "127.0.0.1"}
        for url, title in zip(pages, titles, strict=True)
    ]
    local_server.route(
        "/api/v2/doc/doc", body=json.dumps({"articles": articles}), content_type="application/json"
    )
    config = (
        "[fetch]\nallow_private_hosts = true\n"
        f'[discover]\nproviders = ["gdelt"]\ngdelt_url = "{local_server.url("/api/v2/doc/doc")}"\n'
    )
    out = run_cli(
        "compare",
        "--discover",
        "strike border post",
        "--max",
        "2",
        "--json",
        "-",
        tmp_path=tmp_path,
        config_text=config,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    compared = {s["url"] for s in report["sources"]}
    assert len(compared) == 2 and compared <= set(pages)
    assert (
        local_server.hits("/story/1")
        + local_server.hits("/story/2")
        + local_server.hits("/story/3")
        == 2
    )
    # a window that holds none of the results: nothing to compare, said before any fetch
    past = run_cli(
        "compare",
        "--discover",
        "strike border post",
        "--since",
        "2001-01-01",
        "--until",
        "2001-01-03",
        tmp_path=tmp_path,
        config_text=config,
    )
    assert past.returncode == 2 and "comparing 0 of 0 results" in past.stderr
    assert sum(local_server.hits(f"/story/{n}") for n in (1, 2, 3)) == 2  # no new fetch
    # without --discover a window means nothing
    alone = run_cli("compare", "--since", "2021-01-01", "a.txt", "b.txt", tmp_path=tmp_path)
    assert alone.returncode == 2 and "--since and --until set the window" in alone.stderr
