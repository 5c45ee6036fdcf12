"""The dashboard through Streamlit's AppTest: inputs, messages, the example, failures, permalinks.

Each test points the app at its own settings file (``CROSSCHECK_CONFIG``, read only by
``dashboard/state.py``) whose store lives in the test's temporary folder. The real
models are used; the library keeps them loaded across tests (``pipeline.load_models``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from comparer.intake import EMPTY, ONE_SOURCE
from comparer.report import ordered
from comparer.settings import setting_help
from comparer.sources import example_sources
from dashboard import inputs
from dashboard.safe import md

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
TIMEOUT = 180


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "crosscheck.toml"
    path.write_text(
        f'[store]\ndata_dir = "{(tmp_path / "data").as_posix()}"\n{extra}', encoding="utf-8"
    )
    return path


@pytest.fixture()
def app(tmp_path, monkeypatch):
    """A fresh app session on a temporary store, already drawn once."""
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(_config(tmp_path)))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def cards(at: AppTest) -> list[str]:
    """The HTML of the disagreement cards on screen, in screen order."""
    return [e.value for e in at.html if e.value.startswith('<div class="cc-head">')]


def page_html(at: AppTest) -> str:
    """Every st.html on the page but the app's own two scripts: the upload guard (a
    constant) and the owner cookie (a fixed template around a hex token)."""
    cookie = '<script>document.cookie = "crosscheck_session='
    return "\n".join(
        e.value
        for e in at.html
        if e.value != inputs.UPLOAD_GUARD and not e.value.startswith(cookie)
    )


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# -- the app ---------------------------------------------------------------------------------


def test_first_paint_shows_the_inputs_and_no_report(app):
    assert app.title[0].value == "Crosscheck"
    assert app.button(key="load_example").label == "Load the example event"
    assert app.session_state.report is None and not cards(app)


# The input rules themselves (and that the CLI gives the same answers) are tested in
# test_intake.py; here, that the screen shows them and starts nothing.
@pytest.mark.parametrize(
    "urls, message",
    [
        ("", EMPTY),
        (
            "example.com/news",
            "“example.com/news” is not a web address: start it with http:// or https://.",
        ),
        ("https://a.example/x\nhttps://a.example/x", ONE_SOURCE),
        (
            "\n".join(f"https://s{n}.example/x" for n in range(21)),
            "21 sources given; one comparison takes at most 20 (setting compare.max_sources). "
            "Remove some.",
        ),
    ],
)
def test_bad_input_gets_its_message_and_starts_nothing(app, urls, message):
    app.text_area(key="urls").input(urls)
    app.button(key="compare").click().run()
    assert not app.exception
    assert errors(app) == [md(message)]
    assert app.session_state.report is None and not app.status


@pytest.mark.slow  # compares, with the real models
def test_example_renders_its_conflicts(app):
    app.button(key="load_example").click().run()
    assert not app.exception and not errors(app)
    report = app.session_state.report
    assert [a.status for a in report.articles] == ["ok"] * 6
    shown = cards(app)
    expected = ordered(report.disagreements)
    assert len(shown) == len(expected) > 0
    for html, d in zip(shown, expected, strict=True):  # conflicts first, each card names its flag
        assert f"· {d.id}" in html and f">{d.severity}</span>" in html
    conflicts = [c for c in shown if ">conflict</span>" in c]
    assert conflicts == shown[: len(conflicts)]
    # planted disagreements of the example event (see its README): Kirby vs Austin, the place
    assert any("Lloyd Austin" in c and "Kirby" in c for c in conflicts)
    assert any("Al Mayadin" in c for c in conflicts)
    assert any("constructed test material" in c for c in shown)
    assert any(
        "Coastline Courier reprints Meridian Wire" in w.value.replace("\\", "") for w in app.warning
    )
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Sources read"] == "6 of 6"
    assert metrics["Places in conflict"] == str(
        sum(d.kind == "place" and d.severity == "conflict" for d in report.disagreements)
    )
    table = app.dataframe[0].value  # the Sources tab comes before the claim matrix
    assert list(table["outlet"]) == [
        "HNGN",
        "Meridian Wire",
        "The Levant Ledger",
        "Capitol Dispatch",
        "Northstar Times",
        "Coastline Courier",
    ]
    assert list(table["note"].str.startswith("constructed test material")) == [False] + [True] * 5
    assert app.query_params["run"] == report.run_id
    assert [b.label for b in app.download_button] == ["JSON report", "Markdown memo", "CSV"]


@pytest.mark.slow  # compares, with the real models
def test_settings_apply_to_the_next_run(app):
    app.slider(key="set_threshold").set_value(0.9)
    app.slider(key="set_about_band").set_value(0.25)
    app.checkbox(key="set_refresh").check()
    app.button(key="load_example").click().run()
    used = app.session_state.report.settings
    assert (used["align"]["threshold"], used["facts"]["about_band"], used["store"]["refresh"]) == (
        0.9,
        0.25,
        True,
    )
    assert app.slider(key="set_threshold").help == setting_help()["align.threshold"]


@pytest.mark.slow  # compares, with the real models
def test_filters_and_trainer_mode(app):
    app.button(key="load_example").click().run()
    report = app.session_state.report
    app.multiselect(key="filter_kind").set_value(["place"]).run()
    assert cards(app) and all('">place</span>' in c for c in cards(app))
    app.toggle(key="trainer").set_value(True).run()
    assert cards(app) == [] and app.metric[2].value == "?"
    app.button(key="reveal_next").click().run()
    first = cards(app)
    assert len(first) == 1 and "· d" in first[0]
    assert report.disagreements and app.session_state.revealed == 1
    app.button(key="reveal_next").click().run()
    assert len(cards(app)) == min(2, len(report.disagreements))
    app.button(key="reveal_reset").click().run()
    assert cards(app) == []


@pytest.mark.slow  # compares, with the real models
def test_a_failed_source_shows_its_error_while_the_rest_renders(
    tmp_path, monkeypatch, local_server
):
    monkeypatch.setenv(
        "CROSSCHECK_CONFIG",
        str(_config(tmp_path, "\n[fetch]\nallow_private_hosts = true\nretries = 0\n")),
    )
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    missing = local_server.url("/gone")
    at.text_area(key="urls").input(missing)
    at.button(key="load_example").click().run()
    assert not at.exception
    report = at.session_state.report
    failed = [a for a in report.articles if a.status == "error"]
    assert [a.source.location for a in failed] == [missing]
    assert failed[0].error_type == "HTTPStatusError"
    assert len(errors(at)) == 1 and "404" in errors(at)[0] and "could not be read" in errors(at)[0]
    assert cards(at) and at.metric[0].value == "6 of 7"
    assert local_server.hits("/gone") == 1


@pytest.mark.slow  # compares, with the real models
def test_a_blocked_address_is_reported_not_fetched(app):
    app.text_area(key="urls").input("http://127.0.0.1:9/private")
    app.button(key="load_example").click().run()
    assert not app.exception
    failed = [a for a in app.session_state.report.articles if a.status == "error"]
    assert [a.error_type for a in failed] == ["BlockedAddressError"]
    assert len(errors(app)) == 1 and cards(app)


@pytest.mark.slow  # compares, with the real models
def test_a_source_given_twice_is_compared_once_and_the_run_goes_on(app):
    """The duplicate rule of the CLI (intake.py): the copy is dropped, a warning names
    both, and the comparison runs; the warning stays in the run's log."""
    app.text_area(key="urls").input("http://127.0.0.1:9/private\nHTTP://127.0.0.1:9/private/")
    app.button(key="load_example").click().run()
    assert not app.exception
    warning = (
        "HTTP://127.0.0.1:9/private/ is the same as http://127.0.0.1:9/private; it is compared once"
    )
    assert md(warning) in [w.value for w in app.warning]
    report = app.session_state.report
    assert [a.source.location for a in report.articles[6:]] == ["http://127.0.0.1:9/private"]
    assert app.session_state.progress_lines[0].endswith(f"warning: {warning}")


@pytest.mark.slow  # compares, with the real models
def test_pasted_text_and_uploads_join_the_comparison(app):
    seed = Path(example_sources()[0].location).read_bytes()
    app.file_uploader(key="uploads").set_value(
        [
            (
                "wire.txt",
                b"Outlet: Upload Wire\nPublished: 2021-02-26\nConstructed: yes\n\n"
                + seed.split(b"\n\n", 1)[1],
                "text/plain",
            )
        ]
    )
    # no run here: the inputs are one form, sent together by its next submit button
    app.text_input(key="paste_outlet").input("Pasted Post")
    app.text_area(key="paste_text").input(
        "US forces struck militia sites in Syria on Thursday, killing 30 fighters, officials said."
    )
    app.text_input(key="paste_published").input("2021-02-26")
    app.button(key="paste_add").click().run()
    assert app.session_state.pasted[0]["outlet"] == "Pasted Post"
    app.button(key="load_example").click().run()
    assert not app.exception and not errors(app)
    articles = app.session_state.report.articles
    assert [(a.outlet, a.source.kind, a.source.constructed) for a in articles[6:]] == [
        ("Pasted Post", "text", False),
        ("Upload Wire", "text", True),
    ]
    assert all(a.status == "ok" for a in articles)
    # the upload is a copy of the seed: flagged as shared text, not an independent source
    assert any("Upload Wire" in w.value for w in app.warning)


@pytest.mark.slow  # compares, with the real models
def test_hostile_pasted_text_is_escaped_everywhere(app):
    outlet = 'Evil <img src=x onerror="alert(1)"> [x](javascript:alert(1))'
    script = "<script>window.__xss=1</script>"
    app.text_input(key="paste_outlet").input(outlet)
    app.text_area(key="paste_text").input(
        f"At least 40 militia fighters were killed {script} in the US strikes in eastern Syria "
        "on Thursday, Syrian state media reported. ![x](http://127.0.0.1:1/x.png) :red[hi] $x$"
    )
    app.button(key="paste_add").click().run()
    app.button(key="load_example").click().run()
    assert not app.exception
    app.selectbox(key="read_outlet").set_value("s7").run()
    html = page_html(app)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "Evil &lt;img src=&quot;x&quot;" not in html and "Evil &lt;img src=x onerror=" in html
    assert "<script" not in html and "<img" not in html and 'onerror="' not in html
    markdown = [e.value for e in (*app.markdown, *app.caption, *app.warning, *app.error)]
    assert f"pasted: {md(outlet)} (24 words)" in " ".join(markdown)
    assert not [m for m in markdown if "](javascript" in m or "![x](" in m or ":red[" in m]


def test_pasted_text_needs_an_outlet(app):
    app.text_area(key="paste_text").input("Some text.")
    app.button(key="paste_add").click().run()
    assert app.session_state.pasted == []
    assert errors(app) == [md("Pasted text not added: pasted text needs an outlet name")]


@pytest.mark.slow  # compares, with the real models
@pytest.mark.parametrize("saved_runs", ["session", "shared"])
def test_permalink_reopens_a_saved_run_without_comparing(tmp_path, monkeypatch, saved_runs):
    monkeypatch.setenv(
        "CROSSCHECK_CONFIG", str(_config(tmp_path, f'\n[dashboard]\nsaved_runs = "{saved_runs}"\n'))
    )
    first = AppTest.from_file(APP, default_timeout=TIMEOUT)
    first.run()
    first.button(key="load_example").click().run()
    saved = first.session_state.report
    run_id = saved.run_id

    import comparer.fetch
    import comparer.pipeline

    def refuse(*args, **kwargs):
        raise AssertionError("a reopened run must not fetch or compare")

    monkeypatch.setattr(comparer.pipeline, "compare", refuse)
    monkeypatch.setattr(comparer.pipeline, "read_sources", refuse)
    monkeypatch.setattr(comparer.fetch, "fetch_all", refuse)
    again = AppTest.from_file(APP, default_timeout=TIMEOUT)
    again.query_params["run"] = run_id
    again.run()
    assert not again.exception
    assert again.session_state.report_origin == "store"
    assert again.session_state.run_id == run_id
    assert cards(again) == cards(first)
    assert any("reopened from the store" in c.value for c in again.caption)
    listed = [b.key for b in again.button if b.key.startswith("open_run_")]
    if saved_runs == "shared":  # every visitor lists it (this one is on screen)
        assert listed == [f"open_run_{run_id}"]
        assert again.button(key=f"open_run_{run_id}").disabled
    else:  # the link opens it, but only the session that made it lists it
        assert listed == [] and first.button(key=f"open_run_{run_id}")


@pytest.mark.slow  # compares, with the real models
def test_a_recent_run_reopens_from_the_sidebar(app):
    app.button(key="load_example").click().run()
    older = app.session_state.run_id
    app.button(key="load_example").click().run()
    newer = app.session_state.run_id
    assert newer != older and app.button(key=f"open_run_{newer}").disabled
    app.button(key=f"open_run_{older}").click().run()
    assert not app.exception
    assert (app.session_state.run_id, app.session_state.report_origin) == (older, "store")
    assert app.query_params["run"] == older and cards(app)


def test_an_unknown_run_id_says_so(app):
    app.query_params["run"] = "nosuchrun"
    app.run()
    assert errors(app) == [md("There is no saved comparison “nosuchrun” in this store.")]
    assert app.session_state.report is None


@pytest.mark.slow  # compares, with the real models
def test_an_unsaved_run_is_not_replaced_by_an_old_permalink(app, monkeypatch):
    """A run that could not be saved clears ?run=, so the next rerun keeps it on screen."""
    from comparer.errors import StoreError
    from comparer.store import Store

    app.button(key="load_example").click().run()
    first = app.session_state.run_id
    assert app.query_params["run"] == first

    def refuse(self, report, *, title, **kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(Store, "save_run", refuse)
    app.button(key="load_example").click().run()
    assert app.session_state.run_id is None
    assert "run" not in app.query_params
    assert any("could not be saved" in w.value for w in app.warning)
    fresh = app.session_state.report
    app.toggle(key="trainer").set_value(True).run()  # any later interaction
    assert app.session_state.report is fresh and app.session_state.report_origin == "compared"


def test_a_report_with_events_shows_its_questions_and_events(app):
    """A hand-built report of question cards (``test_cards_output``) drawn by the app."""
    from tests.test_cards_output import HOSTILE_OUTLET, build_report

    report = build_report()
    app.session_state["report"] = report
    app.run()
    assert not app.exception
    shown = cards(app)
    expected = ordered(report.disagreements)
    assert len(shown) == len(expected) and all(
        f"· {d.id}" in c for c, d in zip(shown, expected, strict=True)
    )
    assert 'class="cc-question">How many were killed in the 3 May market bombing' in shown[0]
    assert "credited to the war monitor" in shown[0] and 'class="cc-rev"' in shown[0]
    assert "· background event" in [c for c in shown if "12 Apr shelling" in c][0]
    events = [e.value for e in app.html if e.value.startswith('<div class="cc-events">')]
    assert len(events) == 1 and "Main event: <b>the 3 May market bombing in Dara</b>" in events[0]
    assert any("the 3 May market bombing in Dara only" in c.value for c in app.caption)
    html = page_html(app)
    assert HOSTILE_OUTLET not in html and "<script" not in html and "<img" not in html


# -- issue 16, item 12: no "all clear" when fewer than two sources were read ---------------


def _runs_in(tmp_path: Path) -> list[tuple]:
    """Every saved run in the test's store, whoever owns it (read with plain SQL)."""
    import sqlite3

    from comparer.store import FILENAME

    conn = sqlite3.connect(tmp_path / "data" / FILENAME)
    try:
        return conn.execute("SELECT id, title FROM runs").fetchall()
    finally:
        conn.close()


def _all_text(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.success, *at.warning, *at.error, *at.info]
    return (
        "\n".join(e.value.replace("\\", "") for e in parts)
        + "\n"
        + "\n".join(s.label for s in at.status)
    )


@pytest.mark.slow  # loads the real models
@pytest.mark.parametrize(
    "readable, expected",
    [
        (0, "Nothing could be compared: none of the 2 sources could be read."),
        (
            1,
            "Only one of the 2 sources could be read (Riverton Courier): there is nothing to "
            "compare it with.",
        ),
    ],
)
def test_fewer_than_two_sources_read_is_not_an_all_clear(
    tmp_path, monkeypatch, local_server, readable, expected
):
    local_server.route(
        "/ok",
        body=(
            "<html><head><title>Depot fire</title><meta property='og:site_name' "
            "content='Riverton Courier'></head><body><article><p>A fire destroyed the fuel depot "
            "in Riverton on Monday night, the county fire service said on Tuesday.</p><p>12 "
            "workers were killed in the blaze at the depot, officials said.</p></article>"
            "</body></html>"
        ),
    )
    monkeypatch.setenv(
        "CROSSCHECK_CONFIG",
        str(_config(tmp_path, "\n[fetch]\nallow_private_hosts = true\nretries = 0\n")),
    )
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    first = local_server.url("/ok" if readable else "/gone")
    at.text_area(key="urls").input(f"{first}\n{local_server.url('/missing')}")
    at.button(key="compare").click().run()
    assert not at.exception
    report = at.session_state.report
    assert sum(a.status == "ok" for a in report.articles) == readable
    text = _all_text(at)
    assert expected in text
    assert "No disagreements found" not in text and "outlets agree" not in text
    assert [s.label for s in at.status] == [md(expected)]
    # not a result: nothing saved, no permalink, but each failure is still on screen
    assert at.session_state.run_id is None and "run" not in at.query_params
    assert _runs_in(tmp_path) == []
    assert sum("could not be read" in e for e in errors(at)) == 2 - readable


# -- issue 16, item 13: the models load in the background, with a countdown ----------------


def test_the_model_loader_counts_down_and_remembers_how_long_it_took(tmp_path):
    import threading

    from dashboard.state import DEFAULT_LOAD_SECONDS, ModelLoader

    release = threading.Event()
    calls = []

    def load():
        calls.append(1)
        release.wait(30)

    timing = tmp_path / "timing.json"
    loader = ModelLoader(load, timing)
    assert loader.expected == DEFAULT_LOAD_SECONDS and not loader.ready
    assert loader.describe() == (
        f"Loading the language models: about {DEFAULT_LOAD_SECONDS:.0f} s left."
    )
    loader.start()
    loader.start()  # once per process, however many pages ask
    assert not loader.wait(0.3)
    assert 1 <= loader.seconds_left() < DEFAULT_LOAD_SECONDS
    release.set()
    assert loader.wait(10) and loader.ready and loader.error is None and calls == [1]
    assert loader.seconds_left() == 0 and loader.seconds >= 0.3
    # the next server's countdown starts from the time measured here
    again = ModelLoader(load, timing)
    assert again.expected == pytest.approx(loader.seconds, abs=0.01)
    again.expected = 0.1
    again.started_at = 0.0  # long ago: it says so instead of counting below zero
    assert again.describe() == ("Loading the language models: taking longer than the 0 s expected.")


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        '{"seconds": "nan"}',
        '{"seconds": -3}',
        '{"seconds": 1e9}',
        '{"other": 4}',
        "[4]",
    ],
)
def test_a_bad_timing_file_falls_back_to_the_default_guess(tmp_path, content):
    from dashboard.state import DEFAULT_LOAD_SECONDS, ModelLoader

    timing = tmp_path / "timing.json"
    timing.write_text(content, encoding="utf-8")
    assert ModelLoader(lambda: None, timing).expected == DEFAULT_LOAD_SECONDS


def test_a_failed_load_is_kept_for_the_comparison_to_report(tmp_path):
    from dashboard.state import ModelLoader

    def broken():
        raise OSError("model folder missing")

    loader = ModelLoader(broken, tmp_path / "timing.json")
    loader.start()
    assert loader.wait(10) and loader.error == "OSError: model folder missing"
    assert not (tmp_path / "timing.json").exists()  # a failure is no timing


@pytest.mark.slow  # loads the real models
def test_the_sidebar_says_whether_the_models_are_ready(app):
    """Under AppTest the models are already in this process after the first run's
    warm-up; the page drawn next says they are ready."""
    import os

    from comparer.settings import load_settings
    from dashboard import state

    loader = state.model_loader(load_settings(os.environ["CROSSCHECK_CONFIG"]))
    assert loader.started_at is not None and loader.wait(300) and loader.error is None
    app.run()
    assert any("Language models ready" in c.value for c in app.caption)


@pytest.mark.slow  # compares, with the real models
def test_a_dashboard_run_keeps_the_store_under_its_size_limit(tmp_path, monkeypatch):
    import os

    from comparer.settings import load_settings
    from comparer.store import Store

    monkeypatch.setenv(
        "CROSSCHECK_CONFIG",
        str(_config(tmp_path, '\nmax_megabytes = 0.001\n[dashboard]\nsaved_runs = "shared"\n')),
    )
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.button(key="load_example").click().run()
    older = at.session_state.run_id
    at.button(key="load_example").click().run()
    newer = at.session_state.run_id
    assert not at.exception and older and newer and older != newer
    with Store.open(load_settings(os.environ["CROSSCHECK_CONFIG"])) as store:
        assert store.load_run(newer) is not None  # the run just saved is never pruned
        assert store.load_run(older) is None  # the oldest went to keep under the limit
