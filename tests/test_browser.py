"""The dashboard in a real browser: the example's conflict cards, and hostile text kept inert.

The app runs as ``python -m streamlit run dashboard/app.py`` on 127.0.0.1 in its own
process group, driven by Debian's Chromium through Playwright (see ``browser_helpers``).
Its settings file lets it fetch from the local test server (``allow_private_hosts``).
Under CI (``CI=true``) a missing /usr/bin/chromium fails the test instead of skipping it.

The example test also writes ``tests/artifacts/screenshot.png``; ``make screenshot`` copies
it to ``docs/screenshot.png`` (the README's picture), so test runs leave the tree clean.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import CHROMIUM, REPO, chromium, running_app, wait_for_run, write_config
from tests.localserver import LocalServer

pytestmark = pytest.mark.browser

SCREENSHOT = REPO / "tests" / "artifacts" / "screenshot.png"
CARD = "[class*='st-key-card_']"
HOSTILE = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "[click](javascript:alert(1))",
    "![x](http://127.0.0.1:1/x.png)",
    "javascript:window.__xss=1",
    ":red[styled] $x^2$",
]


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _page(site: str, title: str, killed: str, extra: list[str]) -> str:
    """A small news page; ``extra`` strings are HTML-escaped so they survive as text."""
    e = [_esc(x) for x in extra] + [""] * (6 - len(extra))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{_esc(title)}</title>
<meta property="og:site_name" content="{_esc(site)}">
<meta property="article:published_time" content="2024-03-05T08:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{_esc(title)}</h1>
<p>A fire destroyed the fuel depot in Riverton on Monday night, the county fire service said
in a statement on Tuesday morning. {e[0]}</p>
<p>{killed} in the blaze at the depot {e[1]}, officials at the county council said.</p>
<p>Residents of the nearby streets were told to keep their windows closed {e[2]} while crews
worked through the night to contain the thick smoke {e[3]} that drifted over the river.</p>
<p>The cause of the fire is not yet known, and the depot's owner said it would cooperate with
the investigation {e[4]} launched by the county on Tuesday.</p>
<p>Read the council statement <a href="javascript:window.__xss=1">{e[4] or "online"}</a> for
the list of closed roads {e[5]} around the depot this week.</p></article></body></html>"""


@pytest.fixture(scope="module")
def browser_ready():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def pages():
    with LocalServer() as srv:
        srv.route(
            "/hostile",
            body=_page(
                '<img src=x onerror="window.__xss=1"> Gazette',
                "Depot fire <script>window.__xss=1</script>",
                "One worker was killed",
                HOSTILE,
            ),
        )
        srv.route(
            "/plain",
            body=_page(
                "Riverton Courier", "Fire destroys Riverton depot", "12 workers were killed", []
            ),
        )
        yield srv


@pytest.fixture(scope="module")
def app(browser_ready, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    config = write_config(tmp / "crosscheck.toml", data_dir=tmp / "data", allow_private=True)
    with running_app(config, tmp / "streamlit.log") as running:
        yield running, tmp


def card_texts(page, *, styled: bool = True) -> list[str]:
    """The cards' text once each has drawn its content (st.html fills in after the script).

    ``styled`` gives the rendered text (CSS applied: "CONFLICT"); otherwise the DOM text,
    which does not depend on when the page's styles arrive."""
    cards = page.locator(CARD)
    expect(cards.first).to_be_visible()
    expect(page.locator(CARD + " .cc-explain")).to_have_count(cards.count(), timeout=30_000)
    read = (lambda c: c.inner_text()) if styled else (lambda c: c.text_content())
    return [read(cards.nth(i)) for i in range(cards.count())]


def test_example_conflict_cards_in_chromium(app):
    running, tmp = app
    with chromium(tmp / "profile-example", width=1600, height=1500) as context:
        page = context.new_page()
        page.goto(running.url)
        page.get_by_role("button", name="Load the example event").click()
        first = wait_for_run(page)
        # once more with the models warm (the screenshot then shows a warm run's time)
        page.get_by_role("button", name="Load the example event").click()
        second = wait_for_run(page, previous=first)
        expect(page.get_by_text("Compared 6 of 6 sources")).to_be_visible()
        texts = card_texts(page)
        conflicts = [t for t in texts if t.startswith("CONFLICT")]
        assert len(conflicts) >= 5
        assert texts[: len(conflicts)] == conflicts  # conflicts first
        kinds = {t.split("\n")[1].strip() for t in conflicts}
        assert kinds == {"figure", "time", "attribution", "place"}
        assert any("Lloyd Austin" in t and "Kirby" in t for t in conflicts)
        assert any("Al Mayadin" in t for t in conflicts)
        main = page.locator("[data-testid=stMain]")
        expect(main).to_contain_text("reprints Meridian Wire's text")
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
        page.mouse.move(1590, 5)
        page.wait_for_timeout(1500)  # let the charts finish drawing
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # the permalink, opened in a new tab, shows the same cards from the store
        again = context.new_page()
        again.goto(f"{running.url}/?run={second}")
        again.locator(f".st-key-open_run_{second}").wait_for(timeout=60_000)
        expect(again.get_by_text("reopened from the store")).to_be_visible()
        expect(again.locator(CARD)).to_have_count(len(texts))
        assert card_texts(again, styled=False) == card_texts(page, styled=False)
    assert SCREENSHOT.stat().st_size > 50_000


def test_hostile_text_stays_text(app, pages):
    running, tmp = app
    dialogs: list[str] = []
    requested: list[str] = []
    with chromium(tmp / "profile-xss", width=1500, height=2400) as context:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requested.append(r.url))
        page.goto(running.url)
        page.get_by_label("Web addresses, one per line").fill(
            f"{pages.url('/hostile')}\n{pages.url('/plain')}"
        )
        page.locator(".st-key-paste_box summary").click()
        page.get_by_label("Outlet name").fill("Paste <b>Post</b> [x](javascript:alert(1))")
        page.get_by_label("Article text").fill(
            "A fire destroyed the fuel depot in Riverton on Monday night, the county fire "
            "service said in a statement on Tuesday morning. 30 workers were killed in the "
            "blaze at the depot <script>window.__xss=1</script>, officials at the county "
            "council said. ![y](http://127.0.0.1:1/y.png) <img src=y onerror=alert(2)>"
        )
        page.get_by_role("button", name="Add pasted text").click()
        page.get_by_text("pasted: Paste <b>Post</b> [x](javascript:alert(1))").wait_for()
        page.get_by_role("button", name="Compare").click()
        wait_for_run(page)
        expect(page.get_by_text("Compared 3 of 3 sources")).to_be_visible()
        main = page.locator("[data-testid=stMain]")
        expect(main).to_contain_text("Paste <b>Post</b> [x](javascript:alert(1))")  # outlet
        expect(main).to_contain_text("<script>window.__xss=1</script>, officials")  # a card
        page.get_by_role("tab", name="Reading view").click()
        panel = page.get_by_role("tabpanel", name="Reading view")
        for text in HOSTILE:  # retried until the panel has drawn it (or 30 s pass)
            expect(panel).to_contain_text(text, timeout=30_000)
        panel.get_by_role("combobox").click()  # the outlet list shows names as text
        page.get_by_role("option", name="Paste <b>Post</b> [x](javascript:alert(1))").click()
        expect(panel).to_contain_text("<img src=y onerror=alert(2)>")
        expect(panel).to_contain_text("![y](http://127.0.0.1:1/y.png)")
        page.screenshot(path=str(tmp / "hostile.png"))
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("img[src='x'], img[src='y'], a[href^='javascript']").count() == 0
        assert page.locator("script:has-text('__xss')").count() == 0
    assert dialogs == []
    assert not [u for u in requested if u.startswith("http://127.0.0.1:1/")]


def _upload_text(outlet: str, killed: str) -> str:
    """A short .txt article with a header, as a user would upload it."""
    return (
        f"Outlet: {outlet}\nPublished: 2024-03-05T08:00:00Z\n\n"
        "A fire destroyed the fuel depot in Riverton on Monday night, the county fire "
        "service said in a statement on Tuesday morning.\n\n"
        f"{killed} in the blaze at the depot, officials at the county council said.\n\n"
        "Residents of the nearby streets were told to keep their windows closed while "
        "crews worked through the night to contain the smoke.\n"
    )


def _two_uploads(folder: Path) -> tuple[Path, Path]:
    (folder / "uploads").mkdir(exist_ok=True)
    first = folder / "uploads" / "riverton-courier.txt"
    second = folder / "uploads" / "valley-herald.txt"
    first.write_text(_upload_text("Riverton Courier", "12 workers were killed"), "utf-8")
    second.write_text(_upload_text("Valley Herald", "Three workers were killed"), "utf-8")
    return first, second


# Set before the app's scripts run: remembers whether a text ever appeared on the page,
# so a message that flashes and vanishes between two checks is still caught.
_WATCH = """
window.__seen = [];
new MutationObserver(() => {
  const text = document.body ? document.body.innerText : "";
  for (const needle of ["Nothing to compare yet", "No disagreements found"]) {
    if (text.includes(needle) && !window.__seen.includes(needle)) window.__seen.push(needle);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_compare_right_after_choosing_files_is_never_lost(browser_ready, tmp_path):
    """Issue 16, item 11: on a freshly started server, files chosen and Compare pressed at
    once (no pause between the two, several times over) always compare those files."""
    first, second = _two_uploads(tmp_path)
    config = write_config(tmp_path / "crosscheck.toml", data_dir=tmp_path / "data")
    with (
        running_app(config, tmp_path / "streamlit.log") as fresh,
        chromium(tmp_path / "profile-upload") as context,
    ):
        previous = ""
        for attempt in range(4):
            page = context.new_page()
            page.add_init_script(_WATCH)
            page.goto(fresh.url)
            compare = page.get_by_role("button", name="Compare")
            compare.wait_for()
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
                [str(first), str(second)]
            )
            compare.click()  # at once: the upload may still be on its way
            # a lost click shows "Nothing to compare yet" (briefly): stop waiting then
            page.wait_for_function(
                "old => window.__seen.includes('Nothing to compare yet') ||"
                " ((r) => r && r !== old)(new URLSearchParams(location.search).get('run'))",
                arg=previous,
                timeout=240_000,
            )
            seen = page.evaluate("window.__seen")
            assert "Nothing to compare yet" not in seen, f"attempt {attempt + 1}: click lost"
            previous = wait_for_run(page, previous=previous)
            expect(page.get_by_text("Compared 2 of 2 sources")).to_be_visible()
            main = page.locator("[data-testid=stMain]")
            expect(main).to_contain_text("Riverton Courier")
            expect(main).to_contain_text("Valley Herald")
            page.close()
        # a file of a refused type is never uploaded (its chip shows the error at once):
        # the click waits for the others only, not for a time-out
        refused = tmp_path / "uploads" / "scan.pdf"
        refused.write_bytes(b"%PDF-1.4 not an article")
        page = context.new_page()
        page.goto(fresh.url)
        compare = page.get_by_role("button", name="Compare")
        compare.wait_for()
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            [str(first), str(refused), str(second)]
        )
        compare.click()
        wait_for_run(page, previous=previous, timeout=60_000)
        expect(page.get_by_text("Compared 2 of 2 sources")).to_be_visible()


def test_nothing_read_is_not_an_all_clear(app, pages):
    """Issue 16, item 12: with 0 of 2 sources read the page says nothing could be compared,
    never "No disagreements found", and no run is saved or linked."""
    running, tmp = app
    with chromium(tmp / "profile-nothing") as context:
        page = context.new_page()
        page.add_init_script(_WATCH)
        page.goto(running.url)
        page.get_by_label("Web addresses, one per line").fill(
            f"{pages.url('/gone-one')}\n{pages.url('/gone-two')}"
        )
        page.get_by_role("button", name="Compare").click()
        main = page.locator("[data-testid=stMain]")
        expect(
            main.get_by_text(
                "Nothing could be compared: none of the 2 sources could be read."
            ).first
        ).to_be_visible(timeout=240_000)
        expect(main).to_contain_text("not saved: nothing was compared")
        expect(main.get_by_text("could not be read")).to_have_count(2)
        page.get_by_role("tab", name="Disagreements").click()
        page.wait_for_timeout(500)
        assert page.evaluate("window.__seen") == []  # no all-clear, not even for a moment
        assert "run=" not in page.url
        assert page.locator("[class*='st-key-open_run_']").count() == 0


def test_saved_runs_belong_to_their_browser_session(app):
    """Issue 16, item 10 (the default dashboard.saved_runs = "session"): a run is listed in
    the browser session that made it (across reloads and tabs), not in another browser,
    which can open it only by its link; a shared run's short id does not open at all."""
    from comparer import report as rpt
    from comparer.store import FILENAME, Store
    from tests.test_cards_output import build_report

    running, tmp = app
    (tmp / "data").mkdir(exist_ok=True)
    with Store(tmp / "data" / FILENAME) as store:  # as the CLI saves one: shared
        shared = store.save_run(rpt.to_json(build_report()), title="a shared run")
    first, second = _two_uploads(tmp)
    with chromium(tmp / "profile-owner-a") as mine:
        page = mine.new_page()
        page.goto(running.url)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            [str(first), str(second)]
        )
        page.get_by_role("button", name="Compare").click()
        run = wait_for_run(page)
        assert len(run) == 32
        page.reload()
        page.locator(f".st-key-open_run_{run}").wait_for(timeout=60_000)
        other_tab = mine.new_page()
        other_tab.goto(running.url)
        other_tab.locator(f".st-key-open_run_{run}").wait_for(timeout=60_000)
        expect(other_tab.locator("[class*='st-key-open_run_']")).to_have_count(1)
    with chromium(tmp / "profile-owner-b") as theirs:
        page = theirs.new_page()
        page.goto(running.url)
        expect(page.get_by_text("listed in this browser session only")).to_be_visible(
            timeout=60_000
        )
        assert page.locator("[class*='st-key-open_run_']").count() == 0
        page.goto(f"{running.url}/?run={run}")
        expect(page.get_by_text("reopened from the store")).to_be_visible(timeout=60_000)
        expect(page.locator("[data-testid=stMain]")).to_contain_text("Valley Herald")
        assert page.locator("[class*='st-key-open_run_']").count() == 0
        page.goto(f"{running.url}/?run={shared}")
        expect(page.get_by_text(f"There is no saved comparison “{shared}”")).to_be_visible(
            timeout=60_000
        )


def test_a_fresh_server_counts_down_until_the_models_are_ready(browser_ready, tmp_path):
    """Issue 16, item 13: the first page of a fresh server says the models are loading and
    how long is left, says by itself when they are ready, and then compares at once."""
    import re

    config = write_config(tmp_path / "crosscheck.toml", data_dir=tmp_path / "data")
    with (
        running_app(config, tmp_path / "streamlit.log") as fresh,
        chromium(tmp_path / "profile-models") as context,
    ):
        page = context.new_page()
        page.goto(fresh.url)
        sidebar = page.locator("[data-testid=stSidebar]")
        expect(
            sidebar.get_by_text(
                re.compile(r"Loading the language models: (about \d+ s left|taking longer than)")
            )
        ).to_be_visible(timeout=60_000)
        expect(sidebar).to_contain_text("You can press Compare now")
        # nobody clicks: the line updates itself until the models are ready
        expect(sidebar.get_by_text("Language models ready.")).to_be_visible(timeout=240_000)
        expect(sidebar.get_by_text("Loading the language models")).to_have_count(0)
        timing = tmp_path / "data" / "dashboard-model-load.json"
        assert timing.exists()  # the next start's countdown begins from this measure
        page.get_by_role("button", name="Load the example event").click()
        expect(page.get_by_text("Compared 6 of 6 sources")).to_be_visible(timeout=240_000)


def _gdelt(articles: list[tuple[str, str, str]]) -> str:
    """A GDELT DOC 2.0 ArtList answer: (url, title, domain) per article."""
    import json

    return json.dumps(
        {
            "articles": [
                {
                    "url": url,
                    "title": title,
                    "seendate": "20240305T090000Z",
                    "domain": domain,
                    "language": "English",
                    "sourcecountry": "United States",
                }
                for url, title, domain in articles
            ]
        }
    )


def test_found_coverage_is_ticked_added_and_compared(browser_ready, tmp_path):
    """The whole discovery flow as a user clicks it: words and a date, the results table,
    two rows ticked in the grid, added to the web addresses, compared into cards."""
    with LocalServer() as srv:
        srv.route(
            "/riverton-courier",
            body=_page(
                "Riverton Courier", "Fire destroys Riverton depot", "12 workers were killed", []
            ),
        )
        srv.route(
            "/valley-post",
            body=_page(
                "Valley Post", "Riverton depot fire kills nine", "Nine workers were killed", []
            ),
        )
        srv.route(
            "/api/v2/doc/doc",
            content_type="application/json",
            body=_gdelt(
                [
                    (
                        srv.url("/riverton-courier"),
                        "Fire destroys Riverton depot",
                        "riverton.example",
                    ),
                    (
                        srv.url("/valley-post"),
                        "Riverton depot fire kills nine",
                        "valleypost.example",
                    ),
                ]
            ),
        )
        config = write_config(tmp_path / "c.toml", data_dir=tmp_path / "data", allow_private=True)
        with open(config, "a", encoding="utf-8") as fh:
            fh.write(
                f'\n[discover]\nproviders = ["gdelt"]\ngdelt_url = "{srv.url("/api/v2/doc/doc")}"\n'
            )
        with running_app(config, tmp_path / "streamlit.log") as running:
            with chromium(tmp_path / "profile-find") as context:
                page = context.new_page()
                page.goto(running.url)
                page.get_by_role("button", name="Load the example event").wait_for(timeout=60_000)
                page.locator(".st-key-find_box summary").click()
                page.get_by_label("A story's link or a few words").fill("Riverton depot fire")
                for part, typed in (("year", "2024"), ("month", "03"), ("day", "05")):
                    page.get_by_role("spinbutton", name=f"{part}, Around this date (").click()
                    page.keyboard.type(typed)
                page.get_by_role("button", name="Find coverage").click()
                grid = page.locator("[data-testid='stDataFrame']").first
                grid.wait_for(timeout=180_000)  # the search waits for the models
                rows = page.locator("[role=grid]").first
                expect(rows).to_contain_text("riverton.example")  # GDELT names outlets by domain
                expect(rows).to_contain_text("valleypost.example")
                # the grid is drawn on a canvas: focus it, then tick each row's box with
                # a click and the space bar, as a keyboard user would
                grid.scroll_into_view_if_needed()
                box = grid.bounding_box()
                assert box is not None
                header = row_height = 35
                page.mouse.click(box["x"] + 100, box["y"] + header + row_height / 2)
                for row in (0, 1):
                    y = box["y"] + header + row_height * row + row_height / 2
                    page.mouse.click(box["x"] + 23, y)
                    page.keyboard.press("Space")
                    page.wait_for_timeout(300)
                page.get_by_role("button", name="Add the ticked stories").click()
                expect(page.get_by_text("2 added to the web addresses.")).to_be_visible()
                box_of_urls = page.locator(".st-key-urls textarea")
                # the caption may be drawn a moment before the text area takes its new value
                for path in ("/riverton-courier", "/valley-post"):
                    expect(box_of_urls).to_have_value(re.compile(re.escape(srv.url(path))))
                urls = box_of_urls.input_value().splitlines()
                assert sorted(urls) == sorted(
                    [srv.url("/riverton-courier"), srv.url("/valley-post")]
                )
                page.get_by_role("button", name="Compare").click()
                wait_for_run(page)
                expect(page.get_by_text("Compared 2 of 2 sources")).to_be_visible()
                assert any("12" in t and "9" in t for t in card_texts(page, styled=False))
