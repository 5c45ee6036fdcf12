"""The sidebar's "Find coverage" box through AppTest: GDELT's JSON and Google News' RSS
served by the local test server (the payloads of test_discover.py), the rows on screen,
ticked rows joining the web addresses, one provider failing beside the other."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from comparer.intake import plan_sources
from comparer.settings import load_settings
from dashboard import find
from dashboard.safe import md
from tests.test_dashboard_apptest import APP, TIMEOUT, _config
from tests.test_discover import GUARDIAN, REUTERS, serve_all

GDELT_PATH = "/api/v2/doc/doc"
GOOGLE_PATH = "/gn/rss/search"
ALJAZEERA = "https://www.aljazeera.net/news/2021/2/26/syria-strike"


@pytest.fixture()
def app(tmp_path, monkeypatch, local_server):
    """The app on a temporary store, its providers pointed at the local server."""
    extra = (
        "[fetch]\nallow_private_hosts = true\nretries = 0\nconnect_timeout = 1.0\n"
        "read_timeout = 2.0\ntotal_timeout = 10.0\n"
        f'[discover]\ngdelt_url = "{local_server.url(GDELT_PATH)}"\n'
        f'google_news_url = "{local_server.url(GOOGLE_PATH)}"\n'
    )
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(_config(tmp_path, extra)))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def search(at: AppTest, text: str, around: date | None = date(2021, 2, 26)) -> AppTest:
    at.text_input(key="find_query").input(text)
    at.date_input(key="find_date").set_value(around)
    at.button(key="find_go").click().run()
    assert not at.exception
    return at


def table(at: AppTest):
    (editor,) = at.data_editor
    return editor.value


def tick(at: AppTest, rows: list[int]) -> AppTest:
    """Tick rows as the browser would send it, then press Add."""
    at.session_state[find.editor_key_for(at.session_state.find_searches)] = {
        "edited_rows": {str(n): {"pick": True} for n in rows},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="find_add").click().run()
    assert not at.exception
    return at


def test_found_rows_are_listed_with_their_outlets(app, local_server):
    serve_all(local_server)
    search(app, "Syria airstrike")
    assert not app.warning and not app.error
    rows = table(app)
    assert list(rows.columns) == find.COLUMNS
    outlets = set(rows["outlet"])
    # GDELT's three stories in the window, Google's two merged into the same rows (Reuters,
    # The Guardian); the bakery story is found but ranked last, the 2020 one dropped
    assert {"Reuters", "The Guardian", "aljazeera.net"} <= outlets
    assert "Old Times" not in outlets
    assert rows["outlet"].iloc[-1] == "bakery.example"  # ranked: the unrelated story last
    assert list(rows["pick"]) == [False] * len(rows)
    assert local_server.hits(GDELT_PATH) and local_server.hits(GOOGLE_PATH)


def test_ticked_rows_join_the_addresses_compare_uses(app, local_server):
    serve_all(local_server)
    # typed, not yet submitted: the Find button's submit of the same form keeps it
    app.text_area(key="urls").input("https://first.example/story")
    search(app, "Syria airstrike")
    urls = list(table(app)["url"])
    wanted = [urls.index(REUTERS), urls.index(ALJAZEERA)]
    tick(app, wanted)
    lines = app.text_area(key="urls").value.splitlines()
    # appended in the table's (ranked) order, after what was there
    assert lines == ["https://first.example/story", *(urls[n] for n in sorted(wanted))]
    # ...and the intake Compare runs on reads exactly those three sources
    plan = plan_sources(
        urls=app.session_state.urls.splitlines(),
        pasted=[],
        uploads=[],
        example=False,
        settings=load_settings(),
    )
    assert plan.ok and [s.location for s in plan.sources()] == lines
    # ticking them again adds nothing twice
    tick(app, wanted + [urls.index(GUARDIAN)])
    assert app.text_area(key="urls").value.splitlines() == [*lines, GUARDIAN]
    assert any(
        c.value == md("1 added to the web addresses. 2 already listed.") for c in app.caption
    )


def test_one_provider_failing_is_named_and_the_other_still_lists(app, local_server):
    serve_all(local_server)
    local_server.route(GOOGLE_PATH, status=503, body="down", content_type="text/plain")
    search(app, "Syria airstrike")
    warnings = [w.value for w in app.warning]
    assert len(warnings) == 1 and warnings[0].startswith(md("google_news: "))
    assert "503" in warnings[0]
    outlets = set(table(app)["outlet"])
    assert {"reuters.com", "theguardian.com", "aljazeera.net"} <= outlets  # GDELT's names


def test_hostile_titles_stay_plain_text(app, local_server):
    import json

    evil = "<img src=x onerror=alert(1)> [click](javascript:alert(2)) :red[boo]"
    local_server.route(
        GDELT_PATH,
        body=json.dumps(
            {
                "articles": [
                    {
                        "url": "https://evil.example/syria",
                        "title": f"Syria airstrike {evil}",
                        "seendate": "20210226T013000Z",
                        "domain": "evil.example",
                        "language": "English",
                    }
                ]
            }
        ),
        content_type="application/json",
    )
    local_server.route(GOOGLE_PATH, status=500, body=evil, content_type="text/plain")
    search(app, "Syria airstrike")
    # a cell shows the library's title as it is (GDELT's parser drops the tag itself)
    assert table(app)["title"].iloc[0].endswith("[click](javascript:alert(2)) :red[boo]")
    for element in [*app.warning, *app.caption, *app.markdown]:
        assert "<img" not in element.value and "](javascript" not in element.value


def test_empty_search_says_what_to_do(app):
    search(app, "   ", around=None)
    assert [e.value for e in app.error] == [md("Type a story's link or a few words to search for.")]
    assert not app.data_editor
